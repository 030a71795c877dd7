package org.zmq4j.patterns.sequenced;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Metrics.count;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.ComponentMetrics;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.testkit.Metrics;

/** Sequenced publishers' and subscribers' numbers in {@code Context.metrics()}: gaps found, repaired, lost. */
@Timeout(120)
class SequencedMetricsTest {
    private static final Duration BEAT = SequencedTest.BEAT;
    private static final String SUB = "sequenced_subscriber";
    private static final String PUB = "sequenced_publisher";

    private final Held held = new Held();

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    private SequencedPublisher publisher(Retention r, int sndhwm) throws Exception {
        String[] e = Held.freeEndpoints(2);
        return held.keep(SequencedPublisher.builder("p").retention(r).heartbeat(BEAT).sndhwm(sndhwm).bind(held.ctx, e[0], e[1]));
    }

    private SequencedSubscriber subscriber(SequencedPublisher pub, int rcvhwm, StartAt start) {
        return held.keep(SequencedSubscriber.builder().name("s").subscribe("", start).heartbeat(BEAT).rcvhwm(rcvhwm)
                .connect(held.ctx, pub.dataEndpoint(), pub.replayEndpoint()));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private long sub(String name) {
        return count(held.ctx, SUB, name);
    }

    private long pub(String name) {
        return count(held.ctx, PUB, name);
    }

    @Test
    void gapsFromHwmDropsAreDetectedAndRepairedByReplay() throws Exception {
        SequencedPublisher pub = publisher(new MemoryRetention(100_000, 1 << 26), 10);
        SequencedSubscriber sub = subscriber(pub, 10, StartAt.now());
        SequencedTest.awaitGreeting(pub, sub, 1);
        assertEquals("s", Metrics.component(held.ctx, SUB).name());
        assertEquals("p", Metrics.component(held.ctx, PUB).name());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sub("publishers") < 1) { // the publisher counted our hello; its WELCOME is read in receive
            assertTrue(System.nanoTime() < deadline, "the subscriber never read the publisher's welcome");
            assertEquals(null, sub.receive(Duration.ofMillis(10)));
        }
        assertEquals(1, sub("publishers"));
        int n = 30_000;
        for (int i = 1; i <= n; i++) {
            pub.publish("t", b("m" + i)); // not read meanwhile: the PUB drops at its HWM, forcing gaps
        }
        SequencedTest.assertConsecutive(SequencedTest.take(sub, n, null), 1);
        // held messages while a gap is repaired: counted exactly in StreamTrackerTest; here the gauge is back to 0
        assertEquals(0, sub("pending_messages"), "nothing held once all arrived");

        assertEquals(n, sub("messages_total"));
        long detected = sub("gaps_detected_total");
        assertTrue(detected > 0, "the HWM drops showed as gaps");
        assertEquals(detected, sub("gaps_repaired_total"), "every gap filled by replay");
        assertEquals(0, sub("messages_lost_total"));
        assertEquals(0, sub("gaps_reported_total"));
        assertTrue(sub("replay_requests_total") >= detected, "a request per gap at least");
        assertEquals(sub.replayed(), sub("replayed_messages_total"));
        assertTrue(sub("replayed_messages_total") > 0);

        assertEquals(n, pub("messages_total"));
        assertEquals(n, pub("sequence"));
        assertEquals(n, pub("retained_messages"));
        assertEquals(1, pub("subscribers"));
        long asked = sub("replay_requests_total");
        deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pub("replay_requests_total") != asked) { // each request the subscriber sent reaches the publisher
            assertTrue(System.nanoTime() < deadline, "publisher took " + pub("replay_requests_total") + " of " + asked);
            assertEquals(null, sub.receive(Duration.ofMillis(10)));
        }

        sub.close();
        pub.close();
        assertTrue(Metrics.components(held.ctx, SUB).isEmpty() && Metrics.components(held.ctx, PUB).isEmpty(),
                "closed: gone from the context's metrics");
    }

    @Test
    void whatFellOutOfRetentionIsCountedAsTheGapReportsIt() throws Exception {
        SequencedPublisher pub = publisher(new MemoryRetention(100, 1 << 24), 1000);
        for (int i = 1; i <= 500; i++) {
            pub.publish("t", b("m" + i));
        }
        assertEquals(100, pub("retained_messages"));
        SequencedSubscriber sub = subscriber(pub, 1000, StartAt.from(1));
        List<SequencedEvent> events = new ArrayList<>();
        SequencedTest.assertConsecutive(SequencedTest.take(sub, 100, events), 401);
        assertEquals(List.of(new SequencedEvent.Gap("p", pub.epoch(), "", 1, 400)), events);
        assertEquals(400, sub("messages_lost_total"), "the Gap's size");
        assertEquals(1, sub("gaps_reported_total"));
        assertEquals(100, sub("messages_total"));
        assertEquals(0, sub("gaps_detected_total"), "a late start is not a gap in the stream");
    }

    @Test
    void gapsThatOutranTheRetentionAreLostExactlyAsReported() throws Exception {
        SequencedPublisher pub = publisher(new MemoryRetention(50, 1 << 24), 10);
        SequencedSubscriber sub = subscriber(pub, 10, StartAt.now());
        SequencedTest.awaitGreeting(pub, sub, 1);
        int n = 5_000;
        for (int i = 1; i <= n; i++) {
            pub.publish("t", b("m" + i)); // dropped at the HWM, and gone from the small retention before the replay
        }
        long delivered = 0;
        long lost = 0;
        long last = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (delivered + lost < n) { // every sequence number comes once: as a message or inside a Gap
            assertTrue(System.nanoTime() < deadline, delivered + " delivered, " + lost + " lost of " + n);
            SequencedEvent e = sub.receive(Duration.ofMillis(100));
            if (e instanceof SequencedEvent.Message m) {
                assertEquals(last + 1, m.sequence());
                last = m.sequence();
                delivered++;
            } else if (e instanceof SequencedEvent.Gap g) {
                assertEquals(last + 1, g.from());
                last = g.to();
                lost += g.to() - g.from() + 1;
            }
        }
        assertTrue(lost > 0, "the retention was too small");
        assertEquals(lost, sub("messages_lost_total"), "the Gaps' sizes added up");
        assertEquals(delivered, sub("messages_total"));
        assertTrue(sub("gaps_detected_total") > 0);
        assertTrue(sub("gaps_repaired_total") < sub("gaps_detected_total"), "the lost ones were not repaired");
    }

    @Test
    void theTrackerReportsGapsRepairsAndDuplicates() {
        List<String> seen = new ArrayList<>();
        StreamTracker t = new StreamTracker("", 100, 500, new StreamTracker.Actions() {
            @Override
            public void requestReplay(StreamTracker tracker, long after, long upTo) {
                seen.add("replay " + after + ".." + upTo);
            }

            @Override
            public void deliver(SequencedEvent event) {
                seen.add(event instanceof SequencedEvent.Message m ? "msg " + m.sequence() : event.toString());
            }

            @Override
            public void gapDetected(StreamTracker tracker) {
                seen.add("gap detected");
            }

            @Override
            public void gapRepaired(StreamTracker tracker) {
                seen.add("gap repaired");
            }

            @Override
            public void duplicate(StreamTracker tracker) {
                seen.add("duplicate");
            }
        });
        t.begin("p", 7, 0, 0, 0);
        t.onMessage(1, 0, m(1), 0);
        t.onMessage(4, 3, m(4), 0); // 2, 3 missing
        t.onMessage(5, 4, m(5), 0); // held too: the same gap
        t.onMessage(1, 0, m(1), 0);
        t.onMessage(2, 1, m(2), 0); // by replay
        t.onEnd(1, 2, 0, 0, 0); // an answer that stopped early: still the same gap
        t.onMessage(3, 2, m(3), 0);
        t.onEnd(2, 3, 0, 0, 0);
        assertEquals(List.of("msg 1", "gap detected", "replay 1..3", "duplicate", "msg 2", "replay 2..3", "msg 3", "msg 4",
                "msg 5", "gap repaired"), seen);
        seen.clear();
        t.onMessage(9, 8, m(9), 0); // 6..8 missing, and no longer kept
        t.onEnd(5, 8, 6, 8, 0);
        assertEquals(List.of("gap detected", "replay 5..8", "Gap[publisher=p, epoch=7, prefix=, from=6, to=8]", "msg 9"), seen,
                "a gap that was lost is not repaired");
    }

    private static SequencedEvent.Message m(long seq) {
        return new SequencedEvent.Message("p", 7, seq, "", b("t"), List.of(), false);
    }

    @Test
    void aSubscriberIsNamedAfterItsFirstDataEndpointByDefault() throws Exception {
        SequencedPublisher pub = publisher(new MemoryRetention(10, 1 << 20), 1000);
        try (SequencedSubscriber sub = SequencedSubscriber.builder().subscribe("").connect(held.ctx, pub.dataEndpoint(),
                pub.replayEndpoint())) {
            ComponentMetrics c = Metrics.component(held.ctx, SUB);
            assertEquals(pub.dataEndpoint(), c.name());
            assertEquals(0, Metrics.value(c, "messages_total"));
        }
        assertTrue(Metrics.components(held.ctx, SUB).isEmpty());
    }
}
