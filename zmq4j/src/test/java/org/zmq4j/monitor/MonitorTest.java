package org.zmq4j.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.MonitorHandle;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketEvent.Type;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.support.Python;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitorTest {
    private static final String PYTHON = Python.interpreter();

    /** Waits (bounded) for an event of {@code type}, skipping others. */
    private static SocketEvent await(LinkedBlockingQueue<SocketEvent> events, Type type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            SocketEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.type() == type) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " event within 10 s");
    }

    private static void assumePyzmq() {
        Python.assumePyzmq();
    }

    @Test
    void typedListenerSeesTheConnectionLifecycle() throws Exception {
        try (Context ctx = new Context()) {
            Socket rep = ctx.socket(SocketType.REP);
            Socket req = ctx.socket(SocketType.REQ);
            LinkedBlockingQueue<SocketEvent> server = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<SocketEvent> client = new LinkedBlockingQueue<>();
            MonitorHandle h = rep.addMonitor(server::add, SocketEvent.ALL);
            req.addMonitor(client::add, SocketEvent.ALL);
            rep.bind("tcp://127.0.0.1:*");
            assertEquals(rep.lastEndpoint(), await(server, Type.LISTENING).endpoint());
            req.connect(rep.lastEndpoint());
            await(client, Type.CONNECTED);
            await(client, Type.HANDSHAKE_SUCCEEDED);
            SocketEvent accepted = await(server, Type.ACCEPTED);
            assertTrue(accepted.value() > 0, "a connection number stands in for the fd");
            await(server, Type.HANDSHAKE_SUCCEEDED);
            req.setOption(Option.LINGER, 0);
            req.close();
            await(server, Type.DISCONNECTED);
            h.close();
            assertEquals(Type.MONITOR_STOPPED, await(server, Type.MONITOR_STOPPED).type());
            rep.close();
        }
    }

    /**
     * As in libzmq, HANDSHAKE_SUCCEEDED means the connection is part of the socket: sends made
     * after the events for three pullers are shared by all three (found by the TaskPipeline
     * example, where a worker connected but still missed its share).
     */
    @Test
    void aConnectionIsUsableOnceItsHandshakeSucceededEventIsSeen() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (Context ctx = new Context()) {
                Socket push = ctx.socket(SocketType.PUSH);
                java.util.concurrent.atomic.AtomicInteger handshakes = new java.util.concurrent.atomic.AtomicInteger();
                push.addMonitor(e -> {
                    handshakes.incrementAndGet();
                    // hold the I/O thread inside the event, widening any window in which the event
                    // is visible but the connection not yet on its way to the socket
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }, Type.HANDSHAKE_SUCCEEDED.code());
                push.bind("tcp://127.0.0.1:*");
                List<Socket> pulls = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Socket pull = ctx.socket(SocketType.PULL);
                    pull.setOption(Option.RCVTIMEO, 5000);
                    pull.connect(push.lastEndpoint());
                    pulls.add(pull);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (handshakes.get() < 3 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertEquals(3, handshakes.get(), "three handshakes");
                for (int i = 0; i < 30; i++) {
                    push.send(new byte[] {(byte) i});
                }
                for (Socket pull : pulls) {
                    for (int i = 0; i < 10; i++) {
                        assertNotNull(pull.recv(), "round " + round + ": each puller gets its third of the 30 messages");
                    }
                }
            }
        }
    }

    @Test
    void reconnectAttemptsAreReported() throws Exception {
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH)) {
            push.setOption(Option.LINGER, 0);
            push.setOption(Option.RECONNECT_IVL, 20);
            LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
            push.addMonitor(events::add, Type.CONNECT_RETRIED.code() | Type.CONNECT_DELAYED.code());
            int port;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
                port = probe.getLocalPort(); // closed again: nothing listens there
            }
            push.connect("tcp://127.0.0.1:" + port);
            assertEquals(20, await(events, Type.CONNECT_RETRIED).value(), "value is the reconnect interval");
        }
    }

    @Test
    void aRetriedConnectSaysWhyTheAttemptFailed() throws Exception {
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH)) {
            push.setOption(Option.LINGER, 0);
            LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
            push.addMonitor(events::add, Type.CONNECT_RETRIED.code());
            push.connect("tcp://no-such-host.invalid:5555");
            SocketEvent e = await(events, Type.CONNECT_RETRIED);
            assertTrue(e.reason().contains("cannot resolve host 'no-such-host.invalid'") && e.reason().contains("reconnecting in"),
                    e.reason());
        }
    }

    @Test
    void bindFailureIsReported() throws Exception {
        try (Context ctx = new Context(); Socket a = ctx.socket(SocketType.PULL); Socket b = ctx.socket(SocketType.PULL)) {
            a.bind("tcp://127.0.0.1:*");
            LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
            b.addMonitor(events::add, SocketEvent.ALL);
            assertThrows(ZmqException.class, () -> b.bind(a.lastEndpoint()));
            SocketEvent e = await(events, Type.BIND_FAILED);
            assertEquals(ZmqException.Errno.EADDRINUSE.number(), e.value());
        }
    }

    @Test
    void protocolErrorIsReportedAsHandshakeFailedProtocol() throws Exception {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL)) {
            pull.setOption(Option.LINGER, 0);
            LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
            pull.addMonitor(events::add, SocketEvent.ALL);
            pull.bind("tcp://127.0.0.1:*");
            URI uri = URI.create(pull.lastEndpoint());
            try (java.net.Socket raw = new java.net.Socket()) {
                raw.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
                OutputStream out = raw.getOutputStream();
                byte[] greeting = org.zmq4j.wire.Greeting.encode("PLAIN", false);
                out.write(greeting);
                out.flush();
                SocketEvent e = await(events, Type.HANDSHAKE_FAILED_PROTOCOL);
                assertEquals(SocketEvent.PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH, e.value());
                assertTrue(e.reason().contains("mechanism mismatch"), e.reason());
                await(events, Type.DISCONNECTED);
            }
        }
    }

    /** The libzmq way: events arrive on a PAIR in libzmq's frame layout, and pyzmq's parser reads them. */
    @Test
    void inprocMonitorFramesParseWithPyzmqsParser() throws Exception {
        assumePyzmq();
        List<byte[][]> messages = new ArrayList<>();
        try (Context ctx = new Context()) {
            Socket rep = ctx.socket(SocketType.REP);
            rep.monitor("inproc://monitor.rep", SocketEvent.ALL);
            Socket mon = ctx.socket(SocketType.PAIR);
            mon.setOption(Option.RCVTIMEO, 5000);
            mon.connect("inproc://monitor.rep");
            rep.bind("tcp://127.0.0.1:*");
            Socket req = ctx.socket(SocketType.REQ);
            req.connect(rep.lastEndpoint());
            for (int i = 0; i < 3; i++) { // LISTENING, ACCEPTED, HANDSHAKE_SUCCEEDED
                byte[] first = mon.recv();
                assertNotNull(first);
                assertTrue(mon.hasMore());
                messages.add(new byte[][] {first, mon.recv()});
            }
            req.setOption(Option.LINGER, 0);
            req.close();
            rep.monitor(null, 0);
            SocketEvent last;
            do { // DISCONNECTED may come first
                byte[] first = mon.recv();
                assertNotNull(first, "MONITOR_STOPPED must arrive");
                last = SocketEvent.decode(first, mon.recv());
            } while (last.type() != Type.MONITOR_STOPPED);
            rep.close();
            mon.close();
        }
        StringBuilder script = new StringBuilder("from zmq.utils.monitor import parse_monitor_message\nimport zmq\n");
        for (byte[][] m : messages) {
            script.append("e = parse_monitor_message([bytes.fromhex('").append(hex(m[0])).append("'), bytes.fromhex('")
                    .append(hex(m[1])).append("')])\nprint(int(e['event']), e['value'], e['endpoint'].decode())\n");
        }
        Process p = new ProcessBuilder(PYTHON, "-c", script.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (byte[][] m : messages) {
            SocketEvent ours = SocketEvent.decode(m[0], m[1]);
            String line = out.readLine();
            assertEquals(ours.type().code() + " " + ours.value() + " " + ours.endpoint(), line, "pyzmq's reading of our frames");
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(Type.LISTENING, SocketEvent.decode(messages.get(0)[0], messages.get(0)[1]).type());
    }

    /** A libzmq peer connects and goes away: zmq4j reports ACCEPTED, HANDSHAKE_SUCCEEDED, DISCONNECTED. */
    @Test
    void libzmqPeerConnectingAndLeavingIsReported() throws Exception {
        assumePyzmq();
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL)) {
            pull.setOption(Option.LINGER, 0);
            pull.setOption(Option.RCVTIMEO, 10_000);
            LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
            pull.addMonitor(events::add, SocketEvent.ALL);
            pull.bind("tcp://127.0.0.1:*");
            String script = "import zmq,sys\nc=zmq.Context()\ns=c.socket(zmq.PUSH)\ns.connect(sys.argv[1])\n"
                    + "s.send(b'hi')\nimport time\nsys.stdin.readline()\ns.close(linger=0)\nc.term()\n";
            Process p = new ProcessBuilder(PYTHON, "-c", script, pull.lastEndpoint()).start();
            try {
                await(events, Type.ACCEPTED);
                await(events, Type.HANDSHAKE_SUCCEEDED);
                assertArrayEquals("hi".getBytes(), pull.recv());
                p.getOutputStream().write('\n');
                p.getOutputStream().flush();
                await(events, Type.DISCONNECTED);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** libzmq's monitor sees a zmq4j peer the same way it sees a libzmq one. */
    @Test
    void libzmqMonitorSeesZmq4jHandshake() throws Exception {
        assumePyzmq();
        String script = String.join("\n",
                "import zmq, sys",
                "from zmq.utils.monitor import recv_monitor_message",
                "c = zmq.Context()",
                "s = c.socket(zmq.PULL)",
                "m = s.get_monitor_socket()",
                "port = s.bind_to_random_port('tcp://127.0.0.1')",
                "print(port, flush=True)",
                "seen = []",
                "m.RCVTIMEO = 10000",
                "while zmq.EVENT_HANDSHAKE_SUCCEEDED not in seen:",
                "    seen.append(recv_monitor_message(m)['event'])",
                "print('handshake ok', flush=True)");
        Process p = new ProcessBuilder(PYTHON, "-c", script).redirectErrorStream(true).start();
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH)) {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            push.setOption(Option.LINGER, 0);
            push.connect("tcp://127.0.0.1:" + out.readLine());
            assertEquals("handshake ok", out.readLine());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void monitorEndpointMustBeInproc() {
        try (Context ctx = new Context(); Socket s = ctx.socket(SocketType.PUB)) {
            ZmqException e = assertThrows(ZmqException.class, () -> s.monitor("tcp://127.0.0.1:5555", SocketEvent.ALL));
            assertEquals(ZmqException.Errno.EPROTONOSUPPORT, e.errno());
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }
}
