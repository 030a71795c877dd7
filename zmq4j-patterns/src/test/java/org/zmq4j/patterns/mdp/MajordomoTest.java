package org.zmq4j.patterns.mdp;

import static org.zmq4j.patterns.testkit.Held.await;
import static org.zmq4j.patterns.testkit.Held.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zmq4j.Context;
import org.zmq4j.patterns.NoReplyException;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.patterns.testkit.Held;

/** Broker, workers and clients of this module together over tcp, both protocol versions. */
@Timeout(60)
class MajordomoTest {
    private static final Duration FAST = Duration.ofMillis(200);

    private final Held held = new Held();
    private final Context ctx = held.ctx;

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        return held.keep(c);
    }

    private String broker(BrokerConfig config) {
        MajordomoBroker b = keep(new MajordomoBroker(ctx, config));
        String ep = b.bind("tcp://127.0.0.1:0");
        b.start();
        return ep;
    }

    /** An echo worker on its own thread; its replies get {@code tag} appended. */
    private MajordomoWorker echo(String ep, String service, MdpVersion v, String tag) {
        MajordomoWorker w = new MajordomoWorker(ctx, ep, service, v, FAST, 3);
        Thread t = new Thread(() -> {
            try {
                w.serve(body -> {
                    List<byte[]> r = new ArrayList<>(body);
                    if (tag != null) {
                        r.add(tag.getBytes(StandardCharsets.UTF_8));
                    }
                    return r;
                });
            } finally {
                w.close();
            }
        }, "worker-" + service);
        t.start();
        held.joinAtEnd(t);
        held.keep(w);
        return w;
    }

    private static ClientConfig client(String ep, MdpVersion v) {
        return ClientConfig.of(ep).withVersion(v).withTimeout(Duration.ofSeconds(5)).withRetries(0);
    }

    @ParameterizedTest
    @EnumSource(MdpVersion.class)
    void echoThroughTheBroker(MdpVersion v) throws Exception {
        String ep = broker(BrokerConfig.defaults().withHeartbeat(FAST));
        echo(ep, "echo", v, null);
        try (MajordomoClient c = new MajordomoClient(ctx, client(ep, v))) {
            for (int i = 0; i < 100; i++) {
                assertEquals(List.of("hello", "#" + i), c.call("echo", "hello", "#" + i).strings());
            }
            assertEquals(List.of("200"), c.call("mmi.service", "echo").strings());
            assertEquals(List.of("404"), c.call("mmi.service", "nothing").strings());
        }
    }

    @Test
    void partialRepliesStreamToTheClient() throws Exception {
        String ep = broker(BrokerConfig.defaults().withHeartbeat(FAST));
        MajordomoWorker w = keep(new MajordomoWorker(ctx, ep, "count", MdpVersion.MDP02, FAST, 3));
        Thread t = new Thread(() -> {
            MajordomoWorker.Request r = w.receive();
            for (int i = 1; i <= 3; i++) {
                w.partial(r, List.of(("part " + i).getBytes(StandardCharsets.UTF_8)));
            }
            w.reply(r, List.of("done".getBytes(StandardCharsets.UTF_8)));
        });
        t.start();
        held.joinAtEnd(t);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (MajordomoClient c = new MajordomoClient(ctx, client(ep, MdpVersion.MDP02))) {
            Reply r = c.call("count", List.of("go".getBytes(StandardCharsets.UTF_8)),
                    p -> seen.add(new String(p.get(0), StandardCharsets.UTF_8)));
            assertEquals(List.of("part 1", "part 2", "part 3"), seen);
            assertEquals(3, r.partials().size());
            assertEquals(List.of("done"), r.strings());
        }
    }

    @Test
    void closingAServingWorkerFromAnotherThreadSaysDisconnect() throws Exception {
        MajordomoBroker b = keep(new MajordomoBroker(ctx, BrokerConfig.defaults()));
        String ep = b.bind("tcp://127.0.0.1:0");
        b.start();
        MajordomoWorker w = new MajordomoWorker(ctx, ep, "echo", MdpVersion.MDP02, Duration.ofMillis(2500), 3);
        Thread t = new Thread(() -> w.serve(body -> body), "serving");
        t.start();
        await(() -> b.workers() == 1, "the worker to register");
        w.close();
        t.join(5_000);
        assertTrue(!t.isAlive(), "serve() returned");
        await(() -> b.workers() == 0, "the broker to take the DISCONNECT"); // long before any expiry
        w.close(); // idempotent
    }

    @Test
    void noWorkerMeansNoReplyAfterTheRetries() {
        String ep = broker(BrokerConfig.defaults());
        ClientConfig cfg = ClientConfig.of(ep).withTimeout(Duration.ofMillis(200)).withRetries(2);
        try (MajordomoClient c = new MajordomoClient(ctx, cfg)) {
            NoReplyException e = assertThrows(NoReplyException.class, () -> c.call("nobody", "x"));
            assertEquals(3, e.attempts());
            assertTrue(e.getMessage().contains("'nobody'") && e.getMessage().contains(ep), e.getMessage());
        }
    }

    @Test
    void clientFailsOverToTheSecondBroker() throws Exception {
        String dead = "tcp://127.0.0.1:1"; // nothing listens there
        String ep = broker(BrokerConfig.defaults().withHeartbeat(FAST));
        echo(ep, "echo", MdpVersion.MDP01, "b2");
        ClientConfig cfg = new ClientConfig(List.of(dead, ep), MdpVersion.MDP01, Duration.ofMillis(300), 1);
        try (MajordomoClient c = new MajordomoClient(ctx, cfg)) {
            assertEquals(List.of("x", "b2"), c.call("echo", "x").strings());
        }
    }

    @Test
    void workerThatDiesMidRequestIsReplacedOnRetry() throws Exception {
        String ep = broker(BrokerConfig.defaults().withHeartbeat(FAST));
        // a worker that takes one request and vanishes without a word, as a killed process does
        Socket dying = ctx.socket(SocketType.DEALER);
        dying.setOption(Option.LINGER, 0);
        dying.connect(ep);
        dying.sendMore(new byte[0]);
        dying.sendMore("MDPW01".getBytes(StandardCharsets.US_ASCII));
        dying.sendMore(new byte[] {1});
        dying.send("echo".getBytes(StandardCharsets.US_ASCII));
        ClientConfig cfg = ClientConfig.of(ep).withTimeout(Duration.ofMillis(1000)).withRetries(3);
        try (MajordomoClient c = new MajordomoClient(ctx, cfg)) {
            CompletableFuture<Reply> reply = CompletableFuture.supplyAsync(() -> c.call("echo", "once"));
            dying.recv(); // the REQUEST reaches the doomed worker
            dying.close();
            echo(ep, "echo", MdpVersion.MDP01, "second");
            assertEquals(List.of("once", "second"), reply.get(20, TimeUnit.SECONDS).strings());
        }
    }

    @Test
    void workersRegisterAgainAfterTheBrokerRestarts() throws Exception {
        BrokerConfig cfg = BrokerConfig.defaults().withHeartbeat(FAST);
        MajordomoBroker first = new MajordomoBroker(ctx, cfg);
        String ep = first.bind("tcp://127.0.0.1:0");
        first.start();
        echo(ep, "echo", MdpVersion.MDP02, null);
        await(() -> first.workers() == 1, "the worker to register");
        first.close();
        MajordomoBroker second = keep(new MajordomoBroker(ctx, cfg));
        await(() -> {
            try {
                second.bind(ep); // the old listener closes in the background, as in libzmq
                return true;
            } catch (org.zmq4j.ZmqException e) {
                return false;
            }
        }, "the old broker's port to be free");
        second.start();
        await(() -> second.workers() == 1, "the worker to register with the new broker");
        try (MajordomoClient c = new MajordomoClient(ctx, client(ep, MdpVersion.MDP02))) {
            assertEquals(List.of("back"), c.call("echo", "back").strings());
        }
    }

    @ParameterizedTest
    @EnumSource(MdpVersion.class)
    void asyncClientMatchesManyRepliesInFlight(MdpVersion v) throws Exception {
        String ep = broker(BrokerConfig.defaults().withHeartbeat(FAST));
        for (int i = 0; i < 4; i++) {
            echo(ep, "echo", v, null);
        }
        try (AsyncMajordomoClient c = new AsyncMajordomoClient(ctx, client(ep, v), 16)) {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                replies.add(c.submit("echo", "req", Integer.toString(i)));
            }
            for (int i = 0; i < 500; i++) {
                assertEquals(List.of("req", Integer.toString(i)), replies.get(i).get(20, TimeUnit.SECONDS).strings());
            }
        }
    }

    @Test
    void asyncClientGivesUpAndClosesCleanly() throws Exception {
        String ep = broker(BrokerConfig.defaults());
        ClientConfig cfg = ClientConfig.of(ep).withTimeout(Duration.ofMillis(150)).withRetries(1);
        CompletableFuture<Reply> pending;
        try (AsyncMajordomoClient c = new AsyncMajordomoClient(ctx, cfg, 4)) {
            CompletableFuture<Reply> r = c.submit("nobody", "x");
            Exception e = assertThrows(Exception.class, () -> r.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof NoReplyException, e.toString());
            assertEquals(2, ((NoReplyException) e.getCause()).attempts());
        }
        try (AsyncMajordomoClient c = new AsyncMajordomoClient(ctx, cfg.withTimeout(Duration.ofSeconds(30)), 4)) {
            pending = c.submit("nobody", "y");
        }
        Exception e = assertThrows(Exception.class, () -> pending.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof org.zmq4j.ZmqException, e.toString());
    }
}
