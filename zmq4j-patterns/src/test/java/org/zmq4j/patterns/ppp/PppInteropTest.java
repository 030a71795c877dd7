package org.zmq4j.patterns.ppp;

import static org.zmq4j.patterns.testkit.Held.await;
import static org.zmq4j.patterns.testkit.Held.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.patterns.testkit.PyInteropTest;
import org.zmq4j.patterns.testkit.PyPeer;
import org.zmq4j.patterns.lazypirate.LazyPirateClient;
import org.zmq4j.patterns.testkit.Held;

/**
 * The Paranoid Pirate queue and worker and the Lazy Pirate client of this module against peers
 * written in Python from rfc 6 ({@code src/test/python/ppp_peer.py}, pyzmq on libzmq), both ways:
 * our queue with their workers and clients, their queue with our worker and client, a hung worker,
 * a queue that crashes and comes back.
 */
@Timeout(120)
class PppInteropTest extends PyInteropTest {
    private static final Duration BEAT = Duration.ofMillis(200);
    private static final String PY_BEAT = "200";
    private final Context ctx = held.ctx;

    PppInteropTest() {
        super("ppp_peer.py");
    }

    private <T extends AutoCloseable> T keep(T c) {
        return held.keep(c);
    }

    private ParanoidPirateQueue javaQueue() {
        return keep(new ParanoidPirateQueue(ctx, BEAT, 3));
    }

    private void javaWorker(String backend, String tag) {
        PirateTest.echoWorker(held, backend, tag, BEAT);
    }

    private PyPeer pythonWorker(String backend, String... extra) throws Exception {
        List<String> a = new ArrayList<>(List.of("worker", "--connect", backend, "--heartbeat-ms", PY_BEAT, "--liveness", "3"));
        a.addAll(List.of(extra));
        return py(a.toArray(String[]::new));
    }

    /** Their queue; frontend and backend endpoints as it reports them. */
    private String[] pythonQueue(String frontend, String backend) throws Exception {
        PyPeer q = py("queue", "--frontend", frontend, "--backend", backend, "--heartbeat-ms", PY_BEAT, "--liveness", "3");
        String line = q.awaitOut("^(READY .*)$", 20);
        String[] parts = line.split(" ");
        return new String[] {parts[1], parts[2]};
    }

    /** Rebinding a port may fail while the old listener finishes closing: bounded retries. */
    private static void rebind(Runnable bind, String endpoint) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                bind.run();
                return;
            } catch (org.zmq4j.ZmqException e) {
                assertTrue(System.nanoTime() < deadline, "could not rebind " + endpoint + ": " + e);
                Thread.sleep(20);
            }
        }
    }

    @Test
    void ourQueueServesTheirWorkersAndTheirClient() throws Exception {
        ParanoidPirateQueue q = javaQueue();
        String fe = q.bindFrontend("tcp://127.0.0.1:0");
        String be = q.bindBackend("tcp://127.0.0.1:0");
        q.start();
        PyPeer w1 = pythonWorker(be);
        PyPeer w2 = pythonWorker(be);
        await(() -> q.waitingWorkers() == 2, "both Python workers to say READY");

        PyPeer client = py("client", "--connect", fe, "--requests", "6", "--timeout-ms", "5000", "hello", "", "world");
        assertEquals(0, client.exitCode(30), client.describe());
        assertEquals("hello\n\nworld\n".repeat(6), client.out());

        try (LazyPirateClient c = new LazyPirateClient(ctx, List.of(fe), Duration.ofSeconds(5), 0)) {
            for (int i = 0; i < 6; i++) {
                assertEquals(List.of("java", Integer.toString(i)), strings(c.request("java", Integer.toString(i))));
            }
        }
        // 12 requests: the least recently used worker takes each, so both served
        w1.awaitErr("RECV REQUEST", 5);
        w2.awaitErr("RECV REQUEST", 5);
        w1.awaitErr("RECV HEARTBEAT", 5); // our queue's heartbeats reach them
        assertNoProtocolErrors();
    }

    @Test
    void theirQueueServesOurWorkerAndOurClient() throws Exception {
        String[] eps = pythonQueue("tcp://127.0.0.1:0", "tcp://127.0.0.1:0");
        PyPeer queue = peers().get(0);
        javaWorker(eps[1], "j");
        queue.awaitErr("RECV READY", 20);

        try (LazyPirateClient c = new LazyPirateClient(ctx, List.of(eps[0]), Duration.ofSeconds(5), 0)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(List.of("req", Integer.toString(i), "j"), strings(c.request("req", Integer.toString(i))));
            }
        }
        PyPeer client = py("client", "--connect", eps[0], "--timeout-ms", "5000", "from", "python");
        assertEquals(0, client.exitCode(30), client.describe());
        assertEquals("from\npython\nj\n", client.out());
        queue.awaitErr("RECV HEARTBEAT", 5); // our worker heartbeats their queue
        assertNoProtocolErrors();
    }

    @Test
    void ourQueueDropsAHungPythonWorkerAndTheClientRetriesOnAnother() throws Exception {
        ParanoidPirateQueue q = javaQueue();
        String fe = q.bindFrontend("tcp://127.0.0.1:0");
        String be = q.bindBackend("tcp://127.0.0.1:0");
        q.start();
        PyPeer hung = pythonWorker(be, "--silent-after", "1");
        await(() -> q.waitingWorkers() == 1, "the Python worker to say READY");
        try (LazyPirateClient c = new LazyPirateClient(ctx, List.of(fe), Duration.ofMillis(800), 20)) {
            assertEquals(List.of("first"), strings(c.request("first")));
            hung.awaitErr("SILENT after 1", 5);
            // it is waiting again (it replied) but goes silent: the queue must drop it
            await(() -> q.waitingWorkers() == 0, "the hung worker to expire");
            javaWorker(be, "fresh");
            assertEquals(List.of("second", "fresh"), strings(c.request("second")));
        }
        assertNoProtocolErrors();
    }

    @Test
    void ourWorkerComesBackToTheirQueueAfterItCrashes() throws Exception {
        String[] eps = pythonQueue("tcp://127.0.0.1:0", "tcp://127.0.0.1:0");
        PyPeer first = peers().get(0);
        javaWorker(eps[1], "j");
        first.awaitErr("RECV READY", 20);
        first.kill();
        forget(first);

        // the same ports again; the old listeners are gone with the process
        PyPeer second = py("queue", "--frontend", eps[0], "--backend", eps[1], "--heartbeat-ms", PY_BEAT, "--liveness", "3");
        second.awaitOut("^READY ", 20);
        // our worker notices the silence (3 beats), reconnects with a back-off and says READY anew
        second.awaitErr("RECV READY", 30);
        PyPeer client = py("client", "--connect", eps[0], "--timeout-ms", "5000", "again");
        assertEquals(0, client.exitCode(30), client.describe());
        assertEquals("again\nj\n", client.out());
        assertNoProtocolErrors();
    }

    @Test
    void theirWorkerComesBackToOurQueueAfterItRestarts() throws Exception {
        ParanoidPirateQueue q1 = javaQueue();
        String fe = q1.bindFrontend("tcp://127.0.0.1:0");
        String be = q1.bindBackend("tcp://127.0.0.1:0");
        q1.start();
        PyPeer w = pythonWorker(be);
        await(() -> q1.waitingWorkers() == 1, "the Python worker to say READY");
        q1.close();

        ParanoidPirateQueue q2 = javaQueue();
        rebind(() -> q2.bindFrontend(fe), fe);
        rebind(() -> q2.bindBackend(be), be);
        q2.start();
        // their worker comes back either way: its DEALER reconnects by itself and its heartbeats
        // make it known (as the zguide's queue does), or it notices our silence and starts over
        // with a new socket and READY
        await(() -> q2.waitingWorkers() == 1, "the Python worker to come back");
        try (LazyPirateClient c = new LazyPirateClient(ctx, List.of(fe), Duration.ofSeconds(5), 0)) {
            assertEquals(List.of("back"), strings(c.request("back")));
        }
        assertNoProtocolErrors();
    }
}
