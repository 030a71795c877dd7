package org.zmq4j.patterns.mdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Held.await;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Multipart;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.patterns.testkit.Held;

/**
 * One broker, a thousand workers and a thousand clients, each its own connection (raw DEALERs
 * speaking MDP/0.1, served from one test thread): every worker registers, every request is
 * answered by a worker, each worker takes one.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MajordomoScaleTest {
    private static final int WORKERS = 1000;
    private static final int CLIENTS = 1000;

    private final Held held = new Held();

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    @Test
    void aThousandWorkersAndAThousandClients() throws Exception {
        MajordomoBroker broker = held.keep(new MajordomoBroker(held.ctx));
        String ep = broker.bind("tcp://127.0.0.1:0");
        broker.start();
        try (Context peers = new Context(2); Poller poller = new Poller()) {
            Socket[] workers = new Socket[WORKERS];
            for (int i = 0; i < WORKERS; i++) {
                workers[i] = dealer(peers, ep);
                workers[i].send(Multipart.of("", "MDPW01").add(new byte[] {1}).add("echo"));
                poller.register(workers[i], Poller.POLLIN);
            }
            await(() -> broker.workers() == WORKERS, "every worker registered (" + broker.workers() + " so far)");
            Socket[] clients = new Socket[CLIENTS];
            for (int i = 0; i < CLIENTS; i++) {
                clients[i] = dealer(peers, ep);
                clients[i].send(Multipart.of("", "MDPC01", "echo", "request " + i));
            }
            Set<Integer> servedBy = new HashSet<>();
            int answered = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (answered < CLIENTS && System.nanoTime() < deadline) {
                poller.poll(1000);
                for (int w = 0; w < WORKERS; w++) {
                    Multipart m;
                    while ((m = workers[w].recvMultipart(Socket.DONTWAIT)) != null) {
                        if (m.size() >= 6 && m.frame(2).length == 1 && m.frame(2)[0] == 2) { // REQUEST
                            // [, MDPW01, REQUEST, client, "", body] -> [, MDPW01, REPLY, client, "", body]
                            Multipart reply = Multipart.of("", "MDPW01").add(new byte[] {3}).add(m.frame(3)).add("").add(m.frame(5));
                            workers[w].send(reply);
                            servedBy.add(w);
                            answered++;
                        }
                    }
                }
            }
            assertEquals(CLIENTS, answered, "requests the workers saw");
            assertEquals(WORKERS, servedBy.size(), "least recently used first: each worker took one");
            for (int i = 0; i < CLIENTS; i++) {
                clients[i].setOption(Option.RCVTIMEO, 30_000);
                Multipart r = clients[i].recvMultipart();
                assertTrue(r != null, "client " + i + " got no reply");
                assertEquals(List.of("", "MDPC01", "echo", "request " + i), r.strings());
            }
        }
    }

    private static Socket dealer(Context ctx, String ep) {
        Socket s = ctx.socket(SocketType.DEALER);
        s.setOption(Option.LINGER, 0);
        s.connect(ep);
        return s;
    }
}
