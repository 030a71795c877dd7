package org.zmq4j.patterns.sequenced;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The subscriber's per-stream logic and the wire pieces, without sockets. */
class StreamTrackerTest {
    private final List<String> log = new ArrayList<>();
    /** The sum of heldChanged's deltas: the pending_messages gauge's value. */
    private int held;
    private final StreamTracker t = new StreamTracker("a.", 4, 500, new StreamTracker.Actions() {
        @Override
        public void heldChanged(int delta) {
            held += delta;
        }

        @Override
        public void requestReplay(StreamTracker tracker, long after, long upTo) {
            log.add("replay " + after + ".." + upTo);
        }

        @Override
        public void deliver(SequencedEvent event) {
            log.add(event instanceof SequencedEvent.Message m ? "msg " + m.sequence()
                    : event instanceof SequencedEvent.Gap g ? "gap " + g.from() + "-" + g.to() : event.toString());
        }
    });

    private static SequencedEvent.Message m(long seq) {
        return new SequencedEvent.Message("p", 7, seq, "a.", "a.x".getBytes(StandardCharsets.UTF_8), List.of(), false);
    }

    private void in(long seq, long previous) {
        t.onMessage(seq, previous, m(seq), 0);
    }

    @Test
    void linksToFilteredPredecessorsAreInLineAndALinkBeyondAsksForTheRange() {
        t.begin("p", 7, 10, 10, 0);
        in(13, 10); // 11, 12 went to other prefixes
        in(20, 13);
        assertEquals(List.of("msg 13", "msg 20"), log);
        in(30, 25); // 25 missed
        assertEquals("replay 20..29", log.get(2));
        in(31, 30);
        in(26, 21); // arrives after all (another connection): held, still waiting for the answer
        assertEquals(3, log.size());
        assertEquals(3, held, "30, 31 and 26 held");
        t.onMessage(25, 20, m(25), 0); // by replay
        t.onEnd(20, 29, 0, 0, 0);
        assertEquals(0, held, "all released in order");
        assertEquals(List.of("msg 13", "msg 20", "replay 20..29", "msg 25", "msg 26", "msg 30", "msg 31"), log);
        in(31, 30);
        assertEquals(1, t.duplicates());
    }

    @Test
    void whatIsNoLongerRetainedIsAGapThenTheRestFollows() {
        t.begin("p", 7, 0, 100, 0);
        assertEquals(List.of("replay 0..100"), log);
        t.onMessage(60, 55, m(60), 0);
        t.onEnd(0, 100, 1, 50, 0);
        assertEquals(List.of("replay 0..100", "gap 1-50", "msg 60"), log);
        assertEquals(100, t.after());
        assertEquals(50, t.lost());
    }

    @Test
    void aShortAnswerIsContinuedAndAStatusAheadTwiceAsksForTheTail() {
        t.begin("p", 7, 0, 0, 0);
        t.onStatus(5, 0);
        assertTrue(log.isEmpty(), "the data may be on its way");
        t.onStatus(5, 0);
        assertEquals(List.of("replay 0..5"), log);
        t.onMessage(2, 0, m(2), 0);
        t.onEnd(0, 3, 0, 0, 0); // stopped early
        assertEquals(List.of("replay 0..5", "msg 2", "replay 3..5"), log);
        t.tick(499);
        assertEquals(3, log.size());
        t.tick(500);
        assertEquals("replay 3..5", log.get(3), "an unanswered request is asked again");
    }

    @Test
    void theWindowDropsTheNewestBeyondItsBound() {
        t.begin("p", 7, 0, 0, 0);
        for (long s = 10; s < 20; s++) {
            in(s, s - 1);
        }
        assertEquals(4, t.pending());
        assertEquals(4, held, "the gauge counts what the window keeps, not what it dropped");
        assertEquals(6, t.dropped());
        assertEquals(List.of("replay 0..9"), log);
    }

    @Test
    void anAnswerCoveringAMessageDroppedFromTheFullWindowIsAskedForAgain() {
        t.begin("p", 7, 0, 0, 0);
        in(30, 29);
        assertEquals(List.of("replay 0..29"), log);
        for (long s = 5; s <= 21; s += 4) {
            t.onMessage(s, -1, m(s), 0); // replayed, published before the prefix was known: no link, held
        }
        assertEquals(4, t.pending(), "the window: 5, 9, 13, 17 (30 and then 21 dropped)");
        assertEquals(4, held);
        t.onEnd(0, 29, 0, 0, 0); // the answer covered 21, which the window dropped: not skipped
        assertEquals(0, held);
        assertEquals(List.of("replay 0..29", "msg 5", "msg 9", "msg 13", "msg 17", "replay 20..29"), log);
        assertEquals(20, t.after());
    }

    @Test
    void theHeaderRoundTripsAndRejectsWhatIsNotOne() {
        byte[][] prefixes = {"a.".getBytes(StandardCharsets.UTF_8), new byte[0]};
        byte[] h = Header.encode("pub".getBytes(StandardCharsets.UTF_8), 9, 42, prefixes, new long[] {40, 41}, 2,
                "body".getBytes(StandardCharsets.UTF_8));
        Header d = Header.decode(h);
        assertArrayEquals("body".getBytes(StandardCharsets.UTF_8), Header.bodyOf(h));
        assertTrue(Header.plausible(h));
        assertEquals(40, Header.previousOf(h, "a.".getBytes(StandardCharsets.UTF_8)));
        assertEquals(42, Header.sequenceOf(h));
        assertEquals("pub", d.publisher());
        assertEquals(9, d.epoch());
        assertEquals(42, d.sequence());
        assertEquals(40, d.previous("a.".getBytes(StandardCharsets.UTF_8)));
        assertEquals(41, d.previous(new byte[0]));
        assertEquals(-1, d.previous("b".getBytes(StandardCharsets.UTF_8)));
        int length = Header.lengthOf(h);
        assertThrows(IllegalArgumentException.class, () -> Header.decode(java.util.Arrays.copyOf(h, length - 1)));
        byte[] longer = h.clone();
        longer[5]++; // says one byte more than its links take
        assertThrows(IllegalArgumentException.class, () -> Header.decode(longer));
        assertEquals(-2, Header.previousOf(longer, "zz".getBytes(StandardCharsets.UTF_8)));
        byte[] bad = h.clone();
        bad[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> Header.decode(bad));
        assertThrows(IllegalArgumentException.class, () -> Header.decode(new byte[3]));
    }

    @Test
    void memoryRetentionKeepsTheLastByCountAndBytes() {
        MemoryRetention r = new MemoryRetention(3, 1000);
        for (long s = 1; s <= 5; s++) {
            r.append(s, new byte[] {(byte) s}, List.of(new byte[10]));
        }
        assertEquals(3, r.first());
        assertEquals(5, r.last());
        assertEquals(null, r.get(2));
        assertArrayEquals(new byte[] {4}, r.get(4).topic());
        MemoryRetention small = new MemoryRetention(100, 50); // records of 8 + 1 + 4 + 10 = 23 bytes: two fit
        for (long s = 1; s <= 5; s++) {
            small.append(s, new byte[] {(byte) s}, List.of(new byte[] {(byte) s, 1, 2, 3, 4, 5, 6, 7, 8, (byte) (s * 3)}));
            assertEquals(Math.max(1, s - 1), small.first(), "after " + s);
            assertArrayEquals(new byte[] {(byte) s}, small.get(s).topic(), "wrapped records read back");
            assertEquals((byte) (s * 3), small.get(s).frames().get(0)[9]);
        }
        assertEquals(null, small.get(3));
        MemoryRetention tiny = new MemoryRetention(10, 10);
        tiny.append(1, new byte[1], List.of(new byte[100])); // larger than the ring: not kept
        assertEquals(null, tiny.get(1));
        assertTrue(tiny.first() > tiny.last(), "nothing kept");
        assertThrows(IllegalArgumentException.class, () -> small.append(9, new byte[1], List.of()));
    }
}
