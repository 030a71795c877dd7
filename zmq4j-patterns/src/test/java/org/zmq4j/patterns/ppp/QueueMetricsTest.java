package org.zmq4j.patterns.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Metrics.awaitValue;
import static org.zmq4j.patterns.testkit.Metrics.count;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.patterns.lazypirate.LazyPirateClient;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.testkit.Metrics;

/** The Paranoid Pirate queue's numbers in {@code Context.metrics()}, against known traffic. */
@Timeout(60)
class QueueMetricsTest {
    private static final Duration BEAT = Duration.ofMillis(100);
    private static final String KIND = "ppp_queue";

    private final Held held = new Held();
    private final Context ctx = held.ctx;

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    @Test
    void requestsRepliesWorkersAndExpiriesAreCounted() throws Exception {
        ParanoidPirateQueue q = held.keep(new ParanoidPirateQueue(ctx, BEAT, 3));
        String front = q.bindFrontend("tcp://127.0.0.1:0");
        String back = q.bindBackend("tcp://127.0.0.1:0");
        q.start();
        assertEquals(front, Metrics.component(ctx, KIND).name());
        PirateTest.echoWorker(held, back, "a", BEAT);
        PirateTest.echoWorker(held, back, "b", BEAT);
        awaitValue(ctx, KIND, "workers", 2);
        int n = 25;
        try (LazyPirateClient c = new LazyPirateClient(ctx, List.of(front), Duration.ofSeconds(5), 0)) {
            for (int i = 0; i < n; i++) {
                assertEquals("#" + i, new String(c.request(List.of(("#" + i).getBytes(StandardCharsets.UTF_8))).get(0),
                        StandardCharsets.UTF_8));
            }
        }
        awaitValue(ctx, KIND, "replies_total", n);
        assertEquals(n, count(ctx, KIND, "requests_total"));
        assertEquals(0, count(ctx, KIND, "worker_expirations_total"));

        // a worker that says READY once and then nothing: dropped after three silent intervals
        Socket ghost = held.keep(ctx.socket(SocketType.DEALER));
        ghost.setOption(Option.LINGER, 0);
        ghost.connect(back);
        ghost.send(new byte[] {Ppp.READY});
        awaitValue(ctx, KIND, "worker_expirations_total", 1);
        awaitValue(ctx, KIND, "workers", 2);

        q.close();
        assertTrue(Metrics.components(ctx, KIND).isEmpty(), "a closed queue leaves the context's metrics");
    }
}
