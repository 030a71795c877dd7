package org.zmq4j.patterns.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Metrics.awaitValue;
import static org.zmq4j.patterns.testkit.Metrics.count;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.testkit.Metrics;

/** A Clone server's numbers in {@code Context.metrics()}. */
@Timeout(60)
class CloneMetricsTest {
    private static final String KIND = "clone_server";
    private final Held held = new Held();

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    @Test
    void updatesKeysSequenceAndSnapshotsAreCounted() throws Exception {
        int port = Held.freePortBlock(3);
        CloneServer server = held.keep(CloneServer.start(held.ctx, CloneServerConfig.standalone(port).withBindHost("127.0.0.1")));
        assertEquals("tcp://127.0.0.1:" + port, Metrics.component(held.ctx, KIND).name());
        assertEquals(1, count(held.ctx, KIND, "active"));
        CloneClient c = held.keep(CloneClient.builder().server("tcp://127.0.0.1:" + port).connect(held.ctx));
        assertTrue(c.awaitSynced(Duration.ofSeconds(10)));
        awaitValue(held.ctx, KIND, "snapshots_total", 1);
        int n = 20;
        for (int i = 0; i < n; i++) {
            c.set("/k/" + (i % 5), ("v" + i).getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        }
        awaitValue(held.ctx, KIND, "kvmsg_sequence", n);
        assertEquals(n, count(held.ctx, KIND, "updates_total"));
        assertEquals(n, count(held.ctx, KIND, "client_updates_total"));
        awaitValue(held.ctx, KIND, "keys", 5);
        assertEquals(server.sequence(), count(held.ctx, KIND, "kvmsg_sequence"));
        server.close();
        assertTrue(Metrics.components(held.ctx, KIND).isEmpty());
    }
}
