package org.zmq4j.durable.titanic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Metrics.awaitValue;
import static org.zmq4j.patterns.testkit.Metrics.count;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.patterns.mdp.BrokerConfig;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoBroker;
import org.zmq4j.patterns.mdp.MajordomoWorker;
import org.zmq4j.patterns.mdp.MdpVersion;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.testkit.Metrics;

/** Titanic's numbers in {@code Context.metrics()}: requests stored, pending, replied, closed. */
@Timeout(120)
class TitanicMetricsTest {
    private static final Duration BEAT = Duration.ofMillis(200);
    private static final String KIND = "titanic";

    @TempDir
    Path dir;

    private final Held held = new Held();

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    @Test
    void requestsArePendingUntilAWorkerComesThenRepliedAndClosed() throws Exception {
        MajordomoBroker b = held.keep(new MajordomoBroker(held.ctx, BrokerConfig.defaults().withHeartbeat(BEAT)));
        String ep = b.bind("tcp://127.0.0.1:0");
        b.start();
        TitanicServer t = held.keep(TitanicServer.start(held.ctx, TitanicConfig.builder(ep, dir.resolve("store")).heartbeat(BEAT)
                .dispatchTimeout(Duration.ofSeconds(2)).retryInterval(Duration.ofMillis(100)).build()));
        assertEquals(dir.resolve("store").toString(), Metrics.component(held.ctx, KIND).name());
        TitanicClient c = held.keep(new TitanicClient(held.ctx, ClientConfig.of(ep).withTimeout(Duration.ofSeconds(5))));
        int k = 3;
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            uuids.add(c.submit("late", List.of(("x" + i).getBytes(StandardCharsets.UTF_8))));
        }
        assertEquals(k, count(held.ctx, KIND, "requests_total"));
        assertEquals(k, count(held.ctx, KIND, "pending_requests"), "no worker for the service");
        assertEquals(k, count(held.ctx, KIND, "open_requests"));
        assertTrue(count(held.ctx, KIND, "fsync_total") >= 1, "stored durably");

        MajordomoWorker w = held.keep(new MajordomoWorker(held.ctx, ep, "late", MdpVersion.MDP01, BEAT, 3));
        Thread worker = new Thread(() -> w.serve(body -> body), "late");
        worker.setDaemon(true);
        worker.start();
        awaitValue(held.ctx, KIND, "pending_requests", 0);
        assertEquals(k, count(held.ctx, KIND, "replies_total"));
        for (String u : uuids) {
            c.close(u);
        }
        assertEquals(k, count(held.ctx, KIND, "closed_requests_total"));
        assertEquals(0, count(held.ctx, KIND, "open_requests"));
        t.close();
        assertTrue(Metrics.components(held.ctx, KIND).isEmpty());
    }
}
