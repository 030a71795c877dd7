package org.zmq4j.patterns.ppp;

import static org.zmq4j.patterns.testkit.Held.await;
import static org.zmq4j.patterns.testkit.Held.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.patterns.NoReplyException;
import org.zmq4j.patterns.lazypirate.LazyPirateClient;
import org.zmq4j.patterns.testkit.Held;

/** The Paranoid Pirate queue and worker and the Lazy Pirate client of this module together. */
@Timeout(60)
class PirateTest {
    private static final Duration BEAT = Duration.ofMillis(100);

    private final Held held = new Held();
    private final Context ctx = held.ctx;

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        return held.keep(c);
    }

    /** A queue; its endpoints, frontend then backend. */
    private String[] queue(ParanoidPirateQueue[] holder) {
        ParanoidPirateQueue q = keep(new ParanoidPirateQueue(ctx, BEAT, 3));
        String[] eps = {q.bindFrontend("tcp://127.0.0.1:0"), q.bindBackend("tcp://127.0.0.1:0")};
        q.start();
        holder[0] = q;
        return eps;
    }

    private void echoWorker(String backend, String tag) {
        echoWorker(held, backend, tag, BEAT);
    }

    /** A worker on its own thread that replies with the request's frames and then {@code tag}. */
    static void echoWorker(Held held, String backend, String tag, Duration beat) {
        ParanoidPirateWorker w = held.keep(new ParanoidPirateWorker(held.ctx, backend, beat, 3));
        Thread t = new Thread(() -> w.serve(Held.echoTagged(tag)), "ppworker-" + tag);
        t.start();
        held.joinAtEnd(t);
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void requestsThroughTheQueueAlternateBetweenWorkers() throws Exception {
        ParanoidPirateQueue[] q = new ParanoidPirateQueue[1];
        String[] eps = queue(q);
        echoWorker(eps[1], "a");
        echoWorker(eps[1], "b");
        await(() -> q[0].waitingWorkers() == 2, "two workers");
        try (LazyPirateClient c = new LazyPirateClient(ctx, List.of(eps[0]), Duration.ofSeconds(5), 0)) {
            List<String> tags = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                List<String> r = strings(c.request("req", Integer.toString(i)));
                assertEquals(List.of("req", Integer.toString(i)), r.subList(0, 2));
                tags.add(r.get(2));
            }
            assertTrue(tags.contains("a") && tags.contains("b"), "both workers served: " + tags);
        }
    }

    @Test
    void aWorkerThatStopsHeartbeatingIsDropped() throws Exception {
        ParanoidPirateQueue[] q = new ParanoidPirateQueue[1];
        String[] eps = queue(q);
        try (Socket hung = ctx.socket(SocketType.DEALER)) { // says READY, then nothing: a hung worker
            hung.setOption(Option.LINGER, 0);
            hung.connect(eps[1]);
            hung.send(new byte[] {Ppp.READY});
            await(() -> q[0].waitingWorkers() == 1, "the worker to be waiting");
            long start = System.nanoTime();
            await(() -> q[0].waitingWorkers() == 0, "the silent worker to be dropped");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms < 3_000, "dropped after " + ms + " ms; expected about 3 heartbeats of 100 ms");
            byte[] beat = hung.recv(Socket.DONTWAIT);
            assertTrue(beat != null && beat.length == 1 && beat[0] == Ppp.HEARTBEAT, "the queue heartbeated it meanwhile");
        }
    }

    @Test
    void lazyPirateRetriesUntilAWorkerComes() throws Exception {
        ParanoidPirateQueue[] q = new ParanoidPirateQueue[1];
        String[] eps = queue(q);
        try (LazyPirateClient c = new LazyPirateClient(ctx, List.of(eps[0]), Duration.ofMillis(300), 20)) {
            Thread late = new Thread(() -> echoWorker(eps[1], "late"));
            late.start(); // the first attempts find no worker: the request waits, then is retried
            late.join();
            assertEquals(List.of("x", "late"), strings(c.request("x")));
        }
    }

    @Test
    void lazyPirateAgainstAPlainRepServerThatRestarts() throws Exception {
        Socket rep = ctx.socket(SocketType.REP);
        rep.setOption(Option.LINGER, 0);
        rep.bind("tcp://127.0.0.1:0");
        String ep = rep.lastEndpoint();
        try (LazyPirateClient c = new LazyPirateClient(ctx, List.of(ep), Duration.ofMillis(300), 30)) {
            Thread server = new Thread(() -> {
                rep.recv(); // the first request is swallowed: the server "crashes" before replying
                rep.close();
                Socket again = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (again == null && System.nanoTime() < deadline) {
                    Socket s = ctx.socket(SocketType.REP);
                    try {
                        s.bind(ep);
                        again = s;
                    } catch (org.zmq4j.ZmqException e) {
                        s.close(); // the old listener is still closing
                        pause();
                    }
                }
                byte[] req = again.recv();
                again.send(("re:" + new String(req, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                again.close();
            });
            server.start();
            held.joinAtEnd(server);
            assertEquals(List.of("re:hello"), strings(c.request("hello")));
        }
    }

    @Test
    void lazyPirateGivesUpAndFailsOver() throws Exception {
        Socket rep = keep(ctx.socket(SocketType.REP));
        rep.bind("tcp://127.0.0.1:0");
        String dead = "tcp://127.0.0.1:1";
        try (LazyPirateClient c = new LazyPirateClient(ctx, List.of(dead), Duration.ofMillis(100), 2)) {
            NoReplyException e = assertThrows(NoReplyException.class, () -> c.request("x"));
            assertEquals(3, e.attempts());
        }
        Thread server = new Thread(() -> {
            rep.recv();
            rep.send("from the second".getBytes(StandardCharsets.UTF_8));
        });
        server.start();
        held.joinAtEnd(server);
        try (LazyPirateClient c = new LazyPirateClient(ctx, List.of(dead, rep.lastEndpoint()), Duration.ofSeconds(3), 1)) {
            assertEquals(List.of("from the second"), strings(c.request("x")));
        }
    }
}
