package org.zmq4j.durable.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.ZmqException;
import org.zmq4j.durable.journal.FsyncPolicy;
import org.zmq4j.durable.journal.JournalConfig;
import org.zmq4j.patterns.sequenced.SequencedEvent;
import org.zmq4j.patterns.sequenced.SequencedPublisher;
import org.zmq4j.patterns.sequenced.SequencedSubscriber;
import org.zmq4j.patterns.sequenced.StartAt;
import org.zmq4j.patterns.testkit.Held;

/** A sequenced publisher on a journal: its epoch and numbers survive a restart, and subscribers replay across it. */
@Timeout(120)
class JournalRetentionTest {
    private static final Duration BEAT = Duration.ofMillis(100);
    private final Held held = new Held();
    @TempDir
    Path dir;

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    private SequencedPublisher publisher(String[] eps, long keep, long segmentBytes) throws Exception {
        JournalConfig config = JournalConfig.builder().policy(FsyncPolicy.os()).segmentBytes(segmentBytes).build();
        for (int attempt = 0; ; attempt++) { // a closed socket frees its port a moment later
            JournalRetention r = JournalRetention.open(dir, config, keep);
            try {
                return held.keep(SequencedPublisher.builder("journaled").retention(r).heartbeat(BEAT).bind(held.ctx, eps[0], eps[1]));
            } catch (ZmqException e) {
                r.close();
                assertTrue(attempt < 200 && e.errno() == ZmqException.Errno.EADDRINUSE, e.toString());
                Thread.sleep(25);
            }
        }
    }

    private static List<SequencedEvent> take(SequencedSubscriber sub, int messages) {
        List<SequencedEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int got = 0;
        while (got < messages) {
            assertTrue(System.nanoTime() < deadline, "only " + got + " of " + messages + ": " + out.subList(Math.max(0, out.size() - 3), out.size()));
            SequencedEvent e = sub.receive(Duration.ofMillis(100));
            if (e != null) {
                out.add(e);
                got += e instanceof SequencedEvent.Message ? 1 : 0;
            }
        }
        return out;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRestartedPublisherKeepsItsEpochAndSubscribersReplayWhatItSentMeanwhile() throws Exception {
        String[] eps = Held.freeEndpoints(2);
        SequencedPublisher first = publisher(eps, 1_000_000, 1 << 20);
        long epoch = first.epoch();
        SequencedSubscriber sub = held.keep(SequencedSubscriber.builder().subscribe("", StartAt.from(1)).heartbeat(BEAT)
                .connect(held.ctx, first.dataEndpoint(), first.replayEndpoint()));
        for (int i = 1; i <= 100; i++) {
            assertEquals(i, first.publish("t", b("m" + i)));
        }
        List<SequencedEvent> before = take(sub, 100);
        first.close();
        SequencedPublisher second = publisher(eps, 1_000_000, 1 << 20);
        assertEquals(epoch, second.epoch(), "the journal's id is the epoch");
        for (int i = 101; i <= 150; i++) {
            assertEquals(i, second.publish("t", b("m" + i)), "numbering continues");
        }
        List<SequencedEvent> after = take(sub, 50);
        List<SequencedEvent> all = new ArrayList<>(before);
        all.addAll(after);
        for (int i = 0; i < 150; i++) {
            SequencedEvent.Message m = (SequencedEvent.Message) all.get(i); // no NewEpoch, no Gap
            assertEquals(i + 1, m.sequence());
            assertEquals("m" + (i + 1), m.text());
        }
        SequencedSubscriber late = held.keep(SequencedSubscriber.builder().subscribe("", StartAt.from(1)).heartbeat(BEAT)
                .connect(held.ctx, second.dataEndpoint(), second.replayEndpoint()));
        List<SequencedEvent> replayed = take(late, 150);
        assertEquals(150, replayed.size(), "everything from the journal, across the restart");
    }

    @Test
    void theJournalKeepsTheLastMessagesAndWhatItReleasedIsAGap() throws Exception {
        String[] eps = Held.freeEndpoints(2);
        SequencedPublisher pub = publisher(eps, 200, 4096); // small segments: whole ones are released
        for (int i = 1; i <= 2000; i++) {
            pub.publish("t", b("message " + i));
        }
        SequencedSubscriber sub = held.keep(SequencedSubscriber.builder().subscribe("", StartAt.from(1)).heartbeat(BEAT)
                .connect(held.ctx, pub.dataEndpoint(), pub.replayEndpoint()));
        List<SequencedEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (events.isEmpty() || !(events.get(events.size() - 1) instanceof SequencedEvent.Message m && m.sequence() == 2000)) {
            assertTrue(System.nanoTime() < deadline, "not all in: " + events.size());
            SequencedEvent e = sub.receive(Duration.ofMillis(100));
            if (e != null) {
                events.add(e);
            }
        }
        SequencedEvent.Gap gap = (SequencedEvent.Gap) events.get(0);
        assertEquals(1, gap.from());
        assertTrue(gap.to() <= 1800 && gap.to() >= 1600, "kept the last 200 and at most what shares their segments: " + gap);
        long expect = gap.to() + 1;
        for (SequencedEvent e : events.subList(1, events.size())) {
            assertEquals(expect++, ((SequencedEvent.Message) e).sequence());
        }
    }
}
