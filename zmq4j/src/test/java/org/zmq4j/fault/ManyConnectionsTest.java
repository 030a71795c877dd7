package org.zmq4j.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/** 5,000 concurrent connections to one ROUTER, each answered; no file descriptor leaks afterwards. */
class ManyConnectionsTest {
    private static final int CLIENTS = 5000;

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void fiveThousandDealersTalkToOneRouter() throws Exception {
        int before = openFds();
        try (Context server = new Context(); Context clients = new Context(2)) {
            Socket router = server.socket(SocketType.ROUTER);
            router.setOption(Option.LINGER, 0);
            router.setOption(Option.BACKLOG, 4096);
            router.setOption(Option.RCVTIMEO, 30_000);
            router.bind("tcp://127.0.0.1:*");
            Socket[] dealers = new Socket[CLIENTS];
            for (int i = 0; i < CLIENTS; i++) {
                dealers[i] = clients.socket(SocketType.DEALER);
                dealers[i].setOption(Option.LINGER, 0);
                dealers[i].setOption(Option.ROUTING_ID, ("c" + i).getBytes());
                dealers[i].connect(router.lastEndpoint());
                dealers[i].send(ByteBuffer.allocate(4).putInt(i).array());
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < CLIENTS; i++) {
                byte[] id = router.recv();
                assertNotNull(id, "only " + i + " of " + CLIENTS + " clients were heard from");
                byte[] body = router.recv();
                assertEquals("c" + ByteBuffer.wrap(body).getInt(), new String(id), "routing id matches the sender");
                assertTrue(seen.add(new String(id)), "each client once");
                router.sendMore(id);
                router.send(body);
            }
            try (Poller poller = new Poller()) {
                for (Socket d : dealers) {
                    poller.register(d, Poller.POLLIN);
                }
                int answered = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                boolean[] done = new boolean[CLIENTS];
                while (answered < CLIENTS && System.nanoTime() < deadline) {
                    poller.poll(1000);
                    for (int i = 0; i < CLIENTS; i++) {
                        if (!done[i] && poller.isReadable(dealers[i])) {
                            assertArrayEquals(ByteBuffer.allocate(4).putInt(i).array(), dealers[i].recv(Socket.DONTWAIT));
                            done[i] = true;
                            answered++;
                        }
                    }
                }
                assertEquals(CLIENTS, answered, "every client gets its own answer back");
            }
            for (Socket d : dealers) {
                d.close();
            }
            router.close();
        }
        int after = openFds();
        assertTrue(after - before < 20, "file descriptors leaked: " + before + " before, " + after + " after");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tenThousandSocketsUseNoFileDescriptors() {
        int before = openFds();
        try (Context ctx = new Context()) {
            Socket[] sockets = new Socket[10_000];
            for (int i = 0; i < sockets.length; i++) {
                sockets[i] = ctx.socket(SocketType.values()[i % 11]);
            }
            int during = openFds();
            assertTrue(during - before < 20, "10,000 unconnected sockets must not use descriptors: " + before + " -> " + during);
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
