package org.zmq4j.patterns.sequenced;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.testkit.PyInteropTest;
import org.zmq4j.patterns.testkit.PyPeer;

/**
 * Sequenced publish-subscribe against a publisher and a subscriber written in Python on pyzmq
 * (libzmq) from docs/sequenced.md alone ({@code src/test/python/seq_peer.py}), both directions:
 * HWM drops repaired by replay, a late start from sequence 1 past the retention (exactly the lost
 * range reported), a restarted publisher (a new epoch, no gap), filtered prefixes. Their peers
 * report anything against the document as a PROTOCOL ERROR, which fails the test.
 */
@Timeout(180)
class SequencedInteropTest extends PyInteropTest {
    private static final String BEAT_MS = "100";

    SequencedInteropTest() {
        super("seq_peer.py");
    }

    private PyPeer theirPublisher(String[] eps, String retain, String sndhwm) throws Exception {
        PyPeer p = py("publisher", "--data", eps[0], "--replay", eps[1], "--id", "py", "--retain", retain,
                "--heartbeat-ms", BEAT_MS, "--sndhwm", sndhwm);
        p.awaitOut("^READY", 20);
        return p;
    }

    private SequencedSubscriber ourSubscriber(String[] eps, String prefix, StartAt start) {
        return held.keep(SequencedSubscriber.builder().subscribe(prefix, start).heartbeat(Duration.ofMillis(100)).rcvhwm(5)
                .connect(held.ctx, eps[0], eps[1]));
    }

    /** Events until {@code messages} messages came (bounded). */
    private static List<SequencedEvent> take(SequencedSubscriber sub, int messages) {
        List<SequencedEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int got = 0;
        while (got < messages) {
            assertTrue(System.nanoTime() < deadline, "only " + got + " of " + messages + " messages");
            SequencedEvent e = sub.receive(Duration.ofMillis(100));
            if (e != null) {
                out.add(e);
                got += e instanceof SequencedEvent.Message ? 1 : 0;
            }
        }
        return out;
    }

    private static void assertMessages(List<SequencedEvent> events, int from, int count) {
        int n = 0;
        for (SequencedEvent e : events) {
            if (e instanceof SequencedEvent.Message m) {
                assertEquals(from + n, m.sequence(), "in order, none missing");
                n++;
            }
        }
        assertEquals(count, n);
    }

    /** Waits (bounded) for {@code n} lines starting with {@code prefix} on the peer's standard output; returns them. */
    private static List<String> lines(PyPeer p, String prefix, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<String> l = p.out().lines().filter(s -> s.startsWith(prefix)).toList();
            if (l.size() >= n) {
                return l;
            }
            assertTrue(System.nanoTime() < deadline, "only " + l.size() + " of " + n + " '" + prefix + "' lines: " + p.describe());
            Thread.sleep(20);
        }
    }

    /** Their subscriber's MSG lines are sequences from..from+count-1 of one epoch, in order. */
    private static void assertTheirMessages(List<String> msgs, int from, int count) {
        assertEquals(count, msgs.size(), "exactly once");
        for (int i = 0; i < count; i++) {
            String[] f = msgs.get(i).split(" ");
            assertEquals(Integer.toString(from + i), f[3], "line " + i + ": " + msgs.get(i));
        }
    }

    private void awaitSubscribers(PyPeer publisher, int n) throws Exception {
        publisher.tell("WAITSUBS " + n + " 20000");
        publisher.awaitOut("^SUBS " + n, 30);
    }

    @Test
    void theirPublisherOurSubscriber() throws Exception {
        String[] eps = Held.freeEndpoints(2);
        PyPeer pub = theirPublisher(eps, "100000", "5");
        SequencedSubscriber sub = ourSubscriber(eps, "", StartAt.now());
        awaitSubscribers(pub, 1);
        pub.tell("BURST t 5000"); // far beyond both HWMs of 5 while we read nothing
        pub.awaitOut("^DONE 5000", 30);
        List<SequencedEvent> got = take(sub, 5000);
        assertMessages(got, 1, 5000);
        assertTrue(sub.replayed() > 0, "repaired by replay");
        assertEquals("py", ((SequencedEvent.Message) got.get(0)).publisher());

        SequencedSubscriber filtered = ourSubscriber(eps, "a.", StartAt.now());
        awaitSubscribers(pub, 2);
        for (int i = 0; i < 10; i++) {
            pub.tell("BURST b.y 30");
            pub.tell("BURST a.x 20");
        }
        pub.tell("SEQ");
        pub.awaitOut("^SEQ 5500", 30);
        List<SequencedEvent> mine = take(filtered, 200);
        assertTrue(mine.stream().allMatch(e -> e instanceof SequencedEvent.Message m && m.topicString().equals("a.x")),
                "only a., no gap for the b. messages between");

        assertMessages(take(sub, 500), 5001, 500); // "" hears those too, in order, before their publisher ends

        pub.endInput(); // the publisher ends; another starts on the same endpoints: a new epoch
        assertEquals(0, pub.exitCode(20), pub.describe());
        forget(pub);
        PyPeer again = theirPublisher(eps, "100000", "1000");
        List<SequencedEvent> after = new ArrayList<>();
        again.tell("WAITSUBS 1 20000");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!again.out().contains("SUBS 1")) { // our subscriber works inside receive: it says hello again there
            assertTrue(System.nanoTime() < deadline, again.describe());
            SequencedEvent e = sub.receive(Duration.ofMillis(20));
            if (e != null) {
                after.add(e);
            }
        }
        again.tell("BURST t 50");
        again.awaitOut("^DONE 50", 30);
        int have = (int) after.stream().filter(e -> e instanceof SequencedEvent.Message).count();
        after.addAll(take(sub, 50 - have));
        long oldEpoch = ((SequencedEvent.Message) got.get(0)).epoch();
        SequencedEvent.NewEpoch epoch = (SequencedEvent.NewEpoch) after.get(0); // no gap, no duplicate before it
        assertEquals(oldEpoch, epoch.previousEpoch());
        assertMessages(after.subList(1, after.size()), 1, 50);
        assertEquals(51, after.size(), "nothing else: " + after.subList(0, Math.min(5, after.size())));
        assertNoProtocolErrors();
    }

    @Test
    void theirPublisherReportsWhatFellOutOfItsRetention() throws Exception {
        String[] eps = Held.freeEndpoints(2);
        PyPeer pub = theirPublisher(eps, "100", "1000");
        pub.tell("BURST t 500");
        pub.awaitOut("^DONE 500", 30);
        SequencedSubscriber sub = ourSubscriber(eps, "", StartAt.from(1));
        List<SequencedEvent> got = take(sub, 100);
        SequencedEvent.Gap gap = (SequencedEvent.Gap) got.get(0);
        assertEquals(1, gap.from());
        assertEquals(400, gap.to());
        assertMessages(got.subList(1, got.size()), 401, 100);
        assertNoProtocolErrors();
    }

    private SequencedPublisher ourPublisher(String[] eps, int retain, int sndhwm) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return held.keep(SequencedPublisher.builder("java").retention(new MemoryRetention(retain, 1 << 24))
                        .heartbeat(Duration.ofMillis(100)).sndhwm(sndhwm).bind(held.ctx, eps[0], eps[1]));
            } catch (ZmqException e) {
                assertTrue(attempt < 200 && e.errno() == ZmqException.Errno.EADDRINUSE, e.toString());
                Thread.sleep(25);
            }
        }
    }

    private PyPeer theirSubscriber(String[] eps, String prefix, String start, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("subscriber", "--data", eps[0], "--replay", eps[1], "--prefix", prefix,
                "--start", start, "--heartbeat-ms", BEAT_MS, "--rcvhwm", "5"));
        args.addAll(List.of(more));
        return py(args.toArray(new String[0]));
    }

    @Test
    void ourPublisherTheirSubscriber() throws Exception {
        String[] eps = Held.freeEndpoints(2);
        SequencedPublisher pub = ourPublisher(eps, 100_000, 5);
        PyPeer sub = theirSubscriber(eps, "", "now", "--slow-start-ms", "1500");
        Held.await(() -> pub.subscribers() == 1, "their subscriber's hello");
        for (int i = 0; i < 5000; i++) {
            pub.publish("t", ("m" + (i + 1)).getBytes(StandardCharsets.UTF_8)); // it reads nothing yet
        }
        assertTheirMessages(lines(sub, "MSG ", 5000), 1, 5000);
        assertTrue(pub.replayed() > 0, "repaired by replay");

        PyPeer filtered = theirSubscriber(eps, "a.", "now");
        Held.await(() -> pub.subscribers() == 2, "the second hello");
        for (int i = 0; i < 300; i++) {
            pub.publish(i % 3 == 0 ? "a.x" : "b.y", "v".getBytes(StandardCharsets.UTF_8));
        }
        List<String> mine = lines(filtered, "MSG ", 100);
        assertTrue(mine.stream().allMatch(l -> l.split(" ")[5].equals("a.x")), "only a.: " + mine.get(0));
        assertTrue(filtered.out().lines().noneMatch(l -> l.startsWith("GAP")), "no gap for what the filter kept away");

        lines(sub, "MSG ", 5000 + 300); // "" hears the filter test's 300 too: all in before the publisher goes
        long oldEpoch = pub.epoch();
        pub.close();
        SequencedPublisher again = ourPublisher(eps, 100_000, 1000);
        Held.await(() -> again.subscribers() >= 1, "a hello to the restarted publisher");
        for (int i = 0; i < 50; i++) {
            again.publish("t", ("new" + (i + 1)).getBytes(StandardCharsets.UTF_8));
        }
        String epochLine = lines(sub, "NEWEPOCH ", 1).get(0);
        assertEquals("NEWEPOCH java " + Long.toUnsignedString(again.epoch()) + " " + Long.toUnsignedString(oldEpoch), epochLine);
        lines(sub, "MSG ", 5000 + 300 + 50);
        List<String> out = sub.out().lines().toList();
        List<String> newEpoch = out.subList(out.indexOf(epochLine) + 1, out.size()).stream().filter(l -> l.startsWith("MSG ")).toList();
        assertTheirMessages(newEpoch, 1, 50);
        assertTrue(sub.out().lines().noneMatch(l -> l.startsWith("GAP")), "a restart is not a gap");
        assertNoProtocolErrors();
    }

    @Test
    void ourPublisherReportsWhatFellOutOfItsRetention() throws Exception {
        String[] eps = Held.freeEndpoints(2);
        SequencedPublisher pub = ourPublisher(eps, 100, 1000);
        for (int i = 0; i < 500; i++) {
            pub.publish("t", "x".getBytes(StandardCharsets.UTF_8));
        }
        PyPeer sub = theirSubscriber(eps, "", "from:1");
        String gap = lines(sub, "GAP ", 1).get(0);
        assertEquals("GAP java " + Long.toUnsignedString(pub.epoch()) + " - 1 400", gap);
        assertTheirMessages(lines(sub, "MSG ", 100), 401, 100);
        PyPeer last = theirSubscriber(eps, "", "last:10");
        assertTheirMessages(lines(last, "MSG ", 10), 491, 10);
        assertNoProtocolErrors();
    }
}
