package org.zmq4j.patterns.mdp;

import static org.zmq4j.patterns.testkit.Held.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.zmq4j.Context;
import org.zmq4j.patterns.testkit.PyInteropTest;
import org.zmq4j.patterns.testkit.PyPeer;
import org.zmq4j.patterns.testkit.Held;

/**
 * Every Majordomo role of this module against a peer written in Python from rfc 7 / rfc 18 (pyzmq,
 * that is libzmq underneath), both directions: our broker with their workers and clients, their
 * broker with our workers and clients, both protocol versions mixed, heartbeats and expiry.
 */
@Timeout(120)
class MdpInteropTest extends PyInteropTest {
    private static final Duration BEAT = Duration.ofMillis(200);
    private final Context ctx = held.ctx;

    MdpInteropTest() {
        super("mdp_peer.py");
    }

    private <T extends AutoCloseable> T keep(T c) {
        return held.keep(c);
    }

    private String javaBroker() {
        MajordomoBroker b = keep(new MajordomoBroker(ctx, BrokerConfig.defaults().withHeartbeat(BEAT)));
        String ep = b.bind("tcp://127.0.0.1:0");
        b.start();
        return ep;
    }

    private PyPeer pythonBroker() throws Exception {
        return py("broker", "--bind", "tcp://127.0.0.1:0", "--heartbeat-ms", "200");
    }

    private static String name(MdpVersion v) {
        return v.name().toLowerCase();
    }

    /** A Java echo worker on its own thread; MDP/0.2 ones send two partial replies first. */
    private void javaWorker(String ep, String service, MdpVersion v) {
        MajordomoWorker w = keep(new MajordomoWorker(ctx, ep, service, v, BEAT, 3));
        Thread t = new Thread(() -> {
            try {
                MajordomoWorker.Request r;
                while ((r = w.receive()) != null) {
                    if (v == MdpVersion.MDP02) {
                        w.partial(r, List.of("partial-1".getBytes(StandardCharsets.UTF_8)));
                        w.partial(r, List.of("partial-2".getBytes(StandardCharsets.UTF_8)));
                    }
                    w.reply(r, r.body());
                }
            } finally {
                w.close();
            }
        }, "java-worker");
        t.setDaemon(true);
        t.start();
    }

    // ---------------------------------------------------------------- our broker, their peers

    @ParameterizedTest(name = "worker {0}, client {1}")
    @CsvSource({"mdp01,mdp01", "mdp01,mdp02", "mdp02,mdp01", "mdp02,mdp02"})
    void ourBrokerTheirWorkerAndClient(String worker, String client) throws Exception {
        String ep = javaBroker();
        PyPeer w = py("worker", "--connect", ep, "--service", "echo", "--protocol", worker, "--partials", "2",
                "--heartbeat-ms", "200");
        w.awaitOut("READY", 30);
        PyPeer c = py("client", "--connect", ep, "--service", "echo", "--protocol", client, "--requests", "3",
                "--timeout-ms", "10000", "hello", "wide world");
        assertEquals(0, c.exitCode(60), c.describe() + w.describe());
        String once;
        if (client.equals("mdp01")) {
            once = "hello\nwide world\n";
        } else if (worker.equals("mdp02")) {
            once = "PARTIAL partial-1\nPARTIAL partial-2\nFINAL hello\nFINAL wide world\n";
        } else {
            once = "FINAL hello\nFINAL wide world\n";
        }
        assertEquals(once.repeat(3), c.out());
        w.assertNoProtocolError();
        c.assertNoProtocolError();
    }

    @Test
    void ourBrokerAnswersTheirMmiClient() throws Exception {
        String ep = javaBroker();
        PyPeer w = py("worker", "--connect", ep, "--service", "echo", "--protocol", "mdp01", "--heartbeat-ms", "200");
        w.awaitOut("READY", 30);
        for (String[] q : new String[][] {{"echo", "200"}, {"nothing", "404"}}) {
            PyPeer c = py("client", "--connect", ep, "--service", "mmi.service", "--protocol", "mdp01", q[0]);
            assertEquals(0, c.exitCode(60), c.describe());
            assertEquals(q[1] + "\n", c.out());
        }
        PyPeer c = py("client", "--connect", ep, "--service", "mmi.nope", "--protocol", "mdp02", "x");
        assertEquals(0, c.exitCode(60), c.describe());
        assertEquals("FINAL 501\n", c.out());
    }

    @ParameterizedTest
    @EnumSource(MdpVersion.class)
    void ourBrokerHeartbeatsTheirWorkerAndForgetsItWhenKilled(MdpVersion v) throws Exception {
        String ep = javaBroker();
        PyPeer w = py("worker", "--connect", ep, "--service", "doomed", "--protocol", name(v), "--heartbeat-ms", "200");
        w.awaitOut("READY", 30);
        w.awaitErr("RECV HEARTBEAT", 20);
        ClientConfig cfg = ClientConfig.of(ep).withVersion(v).withTimeout(Duration.ofSeconds(10)).withRetries(0);
        try (MajordomoClient c = new MajordomoClient(ctx, cfg)) {
            assertEquals(List.of("200"), c.call("mmi.service", "doomed").strings());
            w.kill();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // expiry after liveness (3) heartbeats of silence: 600 ms here
            while (!c.call("mmi.service", "doomed").strings().equals(List.of("404"))) {
                assertTrue(System.nanoTime() < deadline, "the killed worker was never dropped");
                Thread.sleep(50);
            }
        }
        w.assertNoProtocolError();
    }

    // ---------------------------------------------------------------- their broker, our peers

    @ParameterizedTest(name = "worker {0}, client {1}")
    @CsvSource({"MDP01,MDP01", "MDP01,MDP02", "MDP02,MDP01", "MDP02,MDP02"})
    void theirBrokerOurWorkerAndClients(MdpVersion worker, MdpVersion client) throws Exception {
        PyPeer b = pythonBroker();
        String ep = b.awaitOut("READY (\\S+)", 30);
        javaWorker(ep, "echo", worker);
        b.awaitErr("READY.*echo", 30);
        List<String> partials = new CopyOnWriteArrayList<>();
        ClientConfig cfg = ClientConfig.of(ep).withVersion(client).withTimeout(Duration.ofSeconds(10)).withRetries(0);
        try (MajordomoClient c = new MajordomoClient(ctx, cfg)) {
            for (int i = 0; i < 3; i++) {
                partials.clear();
                Reply r = c.call("echo", List.of(("hello " + i).getBytes(StandardCharsets.UTF_8), new byte[0]),
                        p -> partials.add(strings(p).get(0)));
                assertEquals(List.of("hello " + i, ""), r.strings());
                boolean streamed = worker == MdpVersion.MDP02 && client == MdpVersion.MDP02;
                assertEquals(streamed ? List.of("partial-1", "partial-2") : List.of(), partials);
            }
        }
        try (AsyncMajordomoClient c = new AsyncMajordomoClient(ctx, cfg, 8)) {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(c.submit("echo", "n", Integer.toString(i)));
            }
            for (int i = 0; i < 50; i++) {
                assertEquals(List.of("n", Integer.toString(i)), replies.get(i).get(30, TimeUnit.SECONDS).strings());
            }
        }
        b.assertNoProtocolError();
    }

    @ParameterizedTest
    @EnumSource(MdpVersion.class)
    void ourWorkerHeartbeatsTheirBroker(MdpVersion v) throws Exception {
        PyPeer b = pythonBroker();
        String ep = b.awaitOut("READY (\\S+)", 30);
        javaWorker(ep, "beats", v);
        b.awaitErr("HEARTBEAT.*" + v.name().substring(0, 3) + "W" + v.name().substring(3), 20);
        b.assertNoProtocolError();
    }

    @Test
    void ourWorkerRegistersAgainWithARestartedBroker() throws Exception {
        PyPeer b = pythonBroker();
        String ep = b.awaitOut("READY (\\S+)", 30);
        javaWorker(ep, "echo", MdpVersion.MDP01);
        b.awaitErr("READY.*echo", 30);
        b.kill();
        PyPeer again = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (again == null) { // the port is free once the killed process's socket is gone
            PyPeer p = py("broker", "--bind", ep, "--heartbeat-ms", "200");
            try {
                p.awaitOut("READY", 10);
                again = p;
            } catch (AssertionError e) {
                assertTrue(System.nanoTime() < deadline, e.getMessage());
            }
        }
        again.awaitErr("READY.*echo", 30);
        ClientConfig cfg = ClientConfig.of(ep).withTimeout(Duration.ofSeconds(10)).withRetries(0);
        try (MajordomoClient c = new MajordomoClient(ctx, cfg)) {
            assertEquals(List.of("back"), c.call("echo", "back").strings());
        }
        again.assertNoProtocolError();
    }
}
