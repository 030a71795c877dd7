package org.zmq4j.durable.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Metrics.awaitValue;
import static org.zmq4j.patterns.testkit.Metrics.count;
import static org.zmq4j.patterns.testkit.Metrics.value;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.ComponentMetrics;
import org.zmq4j.Context;
import org.zmq4j.durable.journal.FileJournal;
import org.zmq4j.durable.journal.FsyncPolicy;
import org.zmq4j.durable.journal.JournalConfig;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.testkit.Metrics;

/** Durable senders' and receivers' numbers in {@code Context.metrics()}: the window, acknowledgements, fsyncs. */
@Timeout(120)
class DeliveryMetricsTest {
    private static final String SENDER = "durable_sender";
    private static final String RECEIVER = "durable_receiver";
    private static final JournalConfig GROUP = JournalConfig.builder().policy(FsyncPolicy.group(Duration.ZERO)).build();

    @TempDir
    Path dir;

    private final Held held = new Held();
    private final Context ctx = held.ctx;

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    private DurableReceiver receiver(String ep) throws Exception {
        return DurableReceiver.open(ctx, DurableReceiverConfig.builder(ep, dir.resolve("state")).journal(GROUP)
                .heartbeat(Duration.ofMillis(200)).build());
    }

    private DurableSender sender(String id, String ep) throws Exception {
        return DurableSender.open(ctx, DurableSenderConfig.builder(id, dir.resolve("j-" + id), ep).journal(GROUP)
                .window(200).ackTimeout(Duration.ofMillis(300)).heartbeat(Duration.ofMillis(200)).build());
    }

    /** Receives and acknowledges {@code n} messages (bounded); returns their sequences. */
    private static List<Long> take(DurableReceiver r, int n) {
        List<Long> got = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (got.size() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + got.size() + " of " + n);
            Delivery d = r.receive(Duration.ofMillis(100));
            if (d != null) {
                got.add(d.sequence());
                d.ack();
            }
        }
        return got;
    }

    private double sender(String name) {
        return value(ctx, SENDER, name);
    }

    @Test
    void messagesWaitUnacknowledgedWhileTheReceiverIsDownAndDrainWhenItComes() throws Exception {
        String ep = Held.freeEndpoints(1)[0];
        DurableSender s = held.keep(sender("a", ep));
        assertEquals("a", Metrics.component(ctx, SENDER).name());
        int n = 50;
        for (int i = 0; i < n; i++) {
            s.send("m" + i);
        }
        assertEquals(n, count(ctx, SENDER, "unacknowledged_messages"));
        assertEquals(n, count(ctx, SENDER, "sent_total"));
        assertEquals(0, count(ctx, SENDER, "transmitted_total"), "nobody to transmit to");
        assertEquals(0, count(ctx, SENDER, "acknowledged_total"));
        assertEquals(0, count(ctx, SENDER, "connected"));
        Held.await(() -> sender("oldest_unacknowledged_age_seconds") > 0, "the oldest message to age");
        double age = sender("oldest_unacknowledged_age_seconds");
        Held.await(() -> sender("oldest_unacknowledged_age_seconds") > age, "it keeps aging while nobody acknowledges");
        Held.await(() -> sender("fsync_total") >= 1, "the journal's group fsync");
        assertTrue(sender("fsync_seconds_total") > 0 && sender("last_fsync_seconds") > 0, "fsyncs are timed");

        DurableReceiver r = held.keep(receiver(ep));
        assertEquals(r.endpoint(), Metrics.component(ctx, RECEIVER).name());
        List<Long> got = take(r, n);
        assertEquals(0, got.get(0));
        assertEquals(n - 1, got.get(n - 1));
        awaitValue(ctx, SENDER, "unacknowledged_messages", 0);
        assertEquals(0, sender("oldest_unacknowledged_age_seconds"), "none waits");
        assertEquals(n, count(ctx, SENDER, "acknowledged_total"));
        assertEquals(n, count(ctx, SENDER, "transmitted_total"));
        assertEquals(0, count(ctx, SENDER, "resent_total"));
        assertEquals(1, count(ctx, SENDER, "connected"));

        assertEquals(n, count(ctx, RECEIVER, "delivered_total"));
        awaitValue(ctx, RECEIVER, "acknowledged_total", n);
        assertEquals(0, count(ctx, RECEIVER, "duplicates_total"));
        assertEquals(1, count(ctx, RECEIVER, "senders"));
        assertEquals(0, count(ctx, RECEIVER, "waiting_messages"));
        assertTrue(count(ctx, RECEIVER, "fsync_total") >= 1, "the acknowledgements were made durable");

        s.close();
        r.close();
        assertTrue(Metrics.components(ctx, SENDER).isEmpty() && Metrics.components(ctx, RECEIVER).isEmpty(),
                "closed: gone from the context's metrics");
    }

    @Test
    void whatARestartedReceiverNeverAcknowledgedIsResent() throws Exception {
        DurableReceiver r = receiver("tcp://127.0.0.1:0");
        String ep = r.endpoint();
        DurableSender s = held.keep(sender("a", ep));
        for (int i = 0; i < 10; i++) {
            s.send("m" + i);
        }
        List<Delivery> first = new ArrayList<>();
        while (first.size() < 10) {
            Delivery d = r.receive(Duration.ofSeconds(10));
            assertNotNull(d);
            first.add(d);
        }
        assertEquals(0, count(ctx, RECEIVER, "waiting_messages"), "all taken by receive()");
        assertEquals(10, count(ctx, RECEIVER, "delivered_total"));
        first.get(3).ack(); // 0..3
        assertTrue(s.awaitAcknowledged(3, Duration.ofSeconds(10)));
        assertEquals(4, count(ctx, SENDER, "acknowledged_total"));
        assertEquals(6, count(ctx, SENDER, "unacknowledged_messages"));
        r.close();
        r = held.keep(receiver(ep));
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L), take(r, 6));
        assertTrue(s.flush(Duration.ofSeconds(10)));
        assertEquals(10, count(ctx, SENDER, "transmitted_total"));
        assertTrue(count(ctx, SENDER, "resent_total") >= 6, "4..9 went again: " + count(ctx, SENDER, "resent_total"));
        assertEquals(10, count(ctx, SENDER, "acknowledged_total"));
        assertEquals(6, count(ctx, RECEIVER, "delivered_total"), "the new receiver's own count");
    }

    @Test
    void theReceiverCountsDeliveriesDuplicatesAndGaps() throws Exception {
        ReceiverCore core = new ReceiverCore(Map.of(), 1);
        ReceiverCore.Link link = new ReceiverCore.Link() {
            @Override
            public void send(byte[] route, byte[] command) {
            }

            @Override
            public void deliver(String id, long epoch, long seq, byte[] payload) {
            }
        };
        byte[] route = {1};
        core.hello(route, new Ddp.Hello(7, "a"), link);
        core.hello(new byte[] {2}, new Ddp.Hello(7, "b"), link); // one sender at most: refused
        core.data(route, 0, new byte[0], link);
        core.data(route, 1, new byte[0], link);
        core.data(route, 1, new byte[0], link);
        core.data(route, 3, new byte[0], link);
        try (FileJournal j = FileJournal.open(dir.resolve("j"))) {
            ComponentMetrics m = new ReceiverMetrics("tcp://x:1", core, j, () -> 0).metrics();
            assertEquals(2, value(m, "delivered_total"));
            assertEquals(1, value(m, "duplicates_total"));
            assertEquals(1, value(m, "out_of_order_total"));
            assertEquals(1, value(m, "refused_senders_total"));
            assertEquals(1, value(m, "senders"));
        }
    }
}
