package org.zmq4j.patterns.sequenced;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.patterns.testkit.Held;

/** Sequenced publish-subscribe over tcp: order, HWM drops repaired, late joins, retention gaps, restarts, filters, several publishers. */
@Timeout(120)
class SequencedTest {
    static final Duration BEAT = Duration.ofMillis(100);
    private final Held held = new Held();

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    private SequencedPublisher publisher(String id, Retention r, int sndhwm, String... eps) throws Exception {
        String[] e = eps.length == 2 ? eps : Held.freeEndpoints(2);
        return held.keep(SequencedPublisher.builder(id).retention(r).heartbeat(BEAT).sndhwm(sndhwm).bind(held.ctx, e[0], e[1]));
    }

    private SequencedSubscriber subscriber(SequencedPublisher pub, int rcvhwm, String prefix, StartAt start) {
        return held.keep(SequencedSubscriber.builder().subscribe(prefix, start).heartbeat(BEAT).rcvhwm(rcvhwm)
                .connect(held.ctx, pub.dataEndpoint(), pub.replayEndpoint()));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Receives until {@code n} messages came (failing on anything else unless {@code events} collects it). */
    static List<SequencedEvent.Message> take(SequencedSubscriber sub, int n, List<SequencedEvent> events) {
        List<SequencedEvent.Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (out.size() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + out.size() + " of " + n + " messages; events " + events);
            SequencedEvent e = sub.receive(Duration.ofMillis(100));
            if (e instanceof SequencedEvent.Message m) {
                out.add(m);
            } else if (e != null) {
                assertTrue(events != null, "unexpected " + e);
                events.add(e);
            }
        }
        return out;
    }

    static void assertConsecutive(List<SequencedEvent.Message> got, long first) {
        for (int i = 0; i < got.size(); i++) {
            assertEquals(first + i, got.get(i).sequence(), "message " + i);
        }
    }

    /** Waits (bounded) until the publisher greeted the subscriber. */
    static void awaitGreeting(SequencedPublisher pub, SequencedSubscriber sub, int subscribers) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pub.subscribers() < subscribers) {
            assertTrue(System.nanoTime() < deadline, "the subscriber never said hello");
            assertEquals(null, sub.receive(Duration.ofMillis(10)));
        }
    }

    @Test
    void aSubscriberGetsEveryMessageInOrder() throws Exception {
        SequencedPublisher pub = publisher("p", new MemoryRetention(10_000, 1 << 24), 1000);
        SequencedSubscriber sub = subscriber(pub, 1000, "", StartAt.now());
        awaitGreeting(pub, sub, 1);
        for (int i = 1; i <= 1000; i++) {
            assertEquals(i, pub.publish("t", b("m" + i)));
        }
        List<SequencedEvent.Message> got = take(sub, 1000, null);
        assertConsecutive(got, 1);
        assertEquals("m1000", got.get(999).text());
        assertEquals("p", got.get(0).publisher());
        assertEquals(pub.epoch(), got.get(0).epoch());
    }

    @Test
    void aSubscriberDroppedAtTheHwmGetsTheRestByReplay() throws Exception {
        SequencedPublisher pub = publisher("p", new MemoryRetention(100_000, 1 << 26), 10);
        SequencedSubscriber sub = subscriber(pub, 10, "", StartAt.now());
        awaitGreeting(pub, sub, 1);
        int n = 30_000;
        for (int i = 1; i <= n; i++) {
            pub.publish("t", b("m" + i)); // the subscriber does not read meanwhile: the PUB drops at its HWM
        }
        List<SequencedEvent.Message> got = take(sub, n, null);
        assertConsecutive(got, 1);
        assertTrue(got.stream().anyMatch(SequencedEvent.Message::replayed), "some came by replay");
        assertTrue(sub.replayed() > 0);
    }

    @Test
    void aLateSubscriberStartsFromASequenceOrWithTheLastFew() throws Exception {
        SequencedPublisher pub = publisher("p", new MemoryRetention(1000, 1 << 24), 1000);
        for (int i = 1; i <= 500; i++) {
            pub.publish("t", b("m" + i));
        }
        SequencedSubscriber all = subscriber(pub, 1000, "", StartAt.from(1));
        SequencedSubscriber last = subscriber(pub, 1000, "", StartAt.last(10));
        List<SequencedEvent.Message> fromAll = new ArrayList<>(take(all, 1, null));
        List<SequencedEvent.Message> fromLast = new ArrayList<>(take(last, 1, null)); // both greeted: their starts are set
        for (int i = 501; i <= 600; i++) {
            pub.publish("t", b("m" + i));
        }
        fromAll.addAll(take(all, 599, null));
        fromLast.addAll(take(last, 109, null));
        assertConsecutive(fromAll, 1);
        assertConsecutive(fromLast, 491);
    }

    @Test
    void whatFellOutOfRetentionIsReportedExactly() throws Exception {
        SequencedPublisher pub = publisher("p", new MemoryRetention(100, 1 << 24), 1000);
        for (int i = 1; i <= 500; i++) {
            pub.publish("t", b("m" + i));
        }
        SequencedSubscriber sub = subscriber(pub, 1000, "", StartAt.from(1));
        List<SequencedEvent> events = new ArrayList<>();
        List<SequencedEvent.Message> got = take(sub, 100, events);
        assertEquals(List.of(new SequencedEvent.Gap("p", pub.epoch(), "", 1, 400)), events);
        assertConsecutive(got, 401);
    }

    @Test
    void aRestartedPublisherIsANewEpochNotAGap() throws Exception {
        String[] eps = Held.freeEndpoints(2);
        SequencedPublisher first = publisher("p", new MemoryRetention(1000, 1 << 24), 1000, eps);
        SequencedSubscriber sub = subscriber(first, 1000, "", StartAt.now());
        awaitGreeting(first, sub, 1);
        for (int i = 1; i <= 100; i++) {
            first.publish("t", b("old" + i));
        }
        assertConsecutive(take(sub, 100, null), 1);
        long oldEpoch = first.epoch();
        first.close();
        SequencedPublisher second = null;
        for (int attempt = 0; second == null; attempt++) { // a closed socket frees its port a moment later, as libzmq's
            try {
                second = publisher("p", new MemoryRetention(1000, 1 << 24), 1000, eps);
            } catch (org.zmq4j.ZmqException e) {
                assertTrue(attempt < 200 && e.errno() == org.zmq4j.ZmqException.Errno.EADDRINUSE, e.toString());
                Thread.sleep(25);
            }
        }
        SequencedPublisher restarted = second;
        for (int i = 1; i <= 50; i++) {
            restarted.publish("t", b("new" + i));
        }
        List<SequencedEvent> events = new ArrayList<>();
        List<SequencedEvent.Message> got = take(sub, 50, events);
        assertEquals(List.of(new SequencedEvent.NewEpoch("p", restarted.epoch(), oldEpoch)), events, "no gap, no duplicate");
        assertConsecutive(got, 1);
        assertEquals("new1", got.get(0).text());
        assertTrue(got.stream().allMatch(m -> m.epoch() == restarted.epoch()));
    }

    @Test
    void aPrefixSubscriberSeesNoGapsInTheFilteredStreamAndHasItsOwnRepaired() throws Exception {
        SequencedPublisher pub = publisher("p", new MemoryRetention(100_000, 1 << 26), 10);
        SequencedSubscriber a = subscriber(pub, 10, "a.", StartAt.now());
        awaitGreeting(pub, a, 1);
        int n = 20_000;
        for (int i = 1; i <= n; i++) {
            pub.publish(i % 3 == 0 ? "a.x" : "b.y", b("m" + i));
        }
        List<SequencedEvent.Message> got = take(a, n / 3, null);
        long prev = 0;
        for (SequencedEvent.Message m : got) {
            assertTrue(m.sequence() > prev && m.sequence() % 3 == 0, "in order, only a.: " + m.sequence());
            assertEquals(m.sequence() - 3 == prev || prev == 0, true, "none missing after " + prev);
            prev = m.sequence();
            assertEquals("a.", m.prefix());
        }
        assertEquals(n / 3 * 3, prev);
    }

    @Test
    void aSubscriberWhoseConnectionIsCutGetsWhatWasSentMeanwhile() throws Exception {
        SequencedPublisher pub = publisher("p", new MemoryRetention(100_000, 1 << 26), 1000);
        try (org.zmq4j.patterns.testkit.TcpRelay relay = new org.zmq4j.patterns.testkit.TcpRelay(
                org.zmq4j.patterns.testkit.TcpRelay.port(pub.dataEndpoint()))) {
            SequencedSubscriber sub = held.keep(SequencedSubscriber.builder().subscribe("").heartbeat(BEAT)
                    .connect(held.ctx, relay.endpoint(), pub.replayEndpoint()));
            awaitGreeting(pub, sub, 1);
            List<SequencedEvent.Message> got = new ArrayList<>();
            int cuts = 0;
            for (int i = 1; i <= 3000; i++) {
                pub.publish("t", b("m" + i));
                if (i % 1000 == 500) {
                    got.addAll(take(sub, i - got.size() - 100, null)); // most of what was sent so far
                    cuts += relay.cut() > 0 ? 1 : 0; // and the rest sent while the connection is down
                    for (int j = 0; j < 200; j++) {
                        pub.publish("t", b("m" + ++i));
                    }
                }
            }
            got.addAll(take(sub, 3000 - got.size(), null));
            assertConsecutive(got, 1);
            assertEquals(3, cuts, "three cuts");
            assertTrue(sub.replayed() > 0, "what was sent while cut came by replay");
        }
    }

    @Test
    void theTailOfAStreamLostAtTheHwmComesWithTheStatus() throws Exception {
        SequencedPublisher pub = publisher("p", new MemoryRetention(100_000, 1 << 26), 5);
        SequencedSubscriber sub = subscriber(pub, 5, "", StartAt.now());
        awaitGreeting(pub, sub, 1);
        for (int i = 1; i <= 5000; i++) {
            pub.publish("t", b("m" + i)); // then silence: only the STATUS tells what the tail was
        }
        assertConsecutive(take(sub, 5000, null), 1);
    }

    @Test
    void orderIsKeptPerPublisher() throws Exception {
        SequencedPublisher p1 = publisher("one", new MemoryRetention(10_000, 1 << 24), 1000);
        SequencedPublisher p2 = publisher("two", new MemoryRetention(10_000, 1 << 24), 1000);
        SequencedSubscriber sub = held.keep(SequencedSubscriber.builder().subscribe("").heartbeat(BEAT)
                .connect(held.ctx, p1.dataEndpoint(), p1.replayEndpoint()).connect(p2.dataEndpoint(), p2.replayEndpoint()));
        awaitGreeting(p1, sub, 1);
        awaitGreeting(p2, sub, 1);
        for (int i = 1; i <= 500; i++) {
            p1.publish("t", b("x"));
            p2.publish("t", b("y"));
        }
        Map<String, List<Long>> seen = new HashMap<>();
        for (SequencedEvent.Message m : take(sub, 1000, null)) {
            seen.computeIfAbsent(m.publisher(), k -> new ArrayList<>()).add(m.sequence());
        }
        for (String p : List.of("one", "two")) {
            List<Long> s = seen.get(p);
            assertEquals(500, s.size());
            for (int i = 0; i < 500; i++) {
                assertEquals(i + 1, s.get(i));
            }
        }
    }

    @Test
    void garbageOnTheReplayChannelIsAnsweredWithAnErrorAndTheRestServedOn() throws Exception {
        SequencedPublisher pub = publisher("p", new MemoryRetention(1000, 1 << 20), 1000);
        try (org.zmq4j.Socket rogue = held.ctx.socket(org.zmq4j.SocketType.DEALER)) {
            rogue.setOption(org.zmq4j.Option.RCVTIMEO, 5000);
            rogue.connect(pub.replayEndpoint());
            List<List<byte[]>> junk = List.of(List.of(b("SQ-HELLO")), List.of(b("SQ-REPLAY"), b("x")), List.of(b("WHAT")),
                    List.of(b("SQ-HELLO"), b("p"), new byte[3]), List.of(b("SQ-REPLAY"), new byte[8], b(""), new byte[8], new byte[2]));
            for (List<byte[]> m : junk) {
                for (int i = 0; i < m.size(); i++) {
                    rogue.send(m.get(i), i < m.size() - 1 ? org.zmq4j.Socket.SNDMORE : 0);
                }
                assertEquals("SQ-ERROR", new String(rogue.recv(), StandardCharsets.UTF_8), "an error for each");
                while (rogue.hasMore()) {
                    rogue.recv();
                }
            }
            rogue.send(new byte[100_000]); // past the replay channel's 64 KiB MAXMSGSIZE: that connection is dropped
        }
        SequencedSubscriber sub = subscriber(pub, 1000, "", StartAt.now());
        awaitGreeting(pub, sub, 1);
        pub.publish("t", b("still"));
        assertEquals("still", take(sub, 1, null).get(0).text());
    }

    @Test
    void aHostilePublisherCostsTheSubscriberNothingButItsMessages() throws Exception {
        String[] eps = Held.freeEndpoints(2);
        try (org.zmq4j.Socket rogue = held.ctx.socket(org.zmq4j.SocketType.PUB)) {
            rogue.bind(eps[0]);
            SequencedSubscriber sub = held.keep(SequencedSubscriber.builder().subscribe("").heartbeat(BEAT)
                    .connect(held.ctx, eps[0], eps[1])); // nobody on the replay endpoint
            byte[] liar = Header.encode(b("p"), 1, 5, new byte[0][], new long[0], 0, b("x"));
            liar[5] = (byte) 0xff; // says a header longer than the frame
            List<byte[]> frames = List.of(b("SQ"), new byte[40], liar, Header.encode(b("p"), 1, 5, new byte[0][], new long[0], 0, b("x")));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (sub.malformed() < 3) {
                assertTrue(System.nanoTime() < deadline, "malformed seen: " + sub.malformed());
                for (byte[] f : frames) {
                    rogue.send(b("t"), org.zmq4j.Socket.SNDMORE);
                    rogue.send(f);
                }
                assertEquals(null, sub.receive(Duration.ofMillis(20)), "nothing handed over from a publisher that never said hello");
            }
        }
    }

    @Test
    void overlappingPrefixesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequencedSubscriber.builder().subscribe("a").subscribe("ab"));
        assertTrue(e.getMessage().contains("overlaps"));
        assertInstanceOf(IllegalArgumentException.class, assertThrows(IllegalArgumentException.class,
                () -> SequencedPublisher.builder("")));
    }
}
