package org.zmq4j.pgm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The receiver's rules, sans-IO, driven by a {@link PgmSource} and a clock: in-order delivery,
 * gaps NAKed after the back-off to the SPM's address (several in OPT_NAK_LIST), NCF then RDATA
 * filling the gap, NAKs repeated without an NCF, loss declared when retries run out or the trail
 * passes, the stream joining again at the next message, late joins, SPMR before any SPM, and the
 * bounds against hostile input (a jump of 2^31, a flood of sessions, bad datagrams).
 */
class PgmReceiverTest {
    private static final byte[] SOURCE_NLA = {10, 0, 0, 1};
    private static final byte[] GROUP = {(byte) 239, (byte) 192, 1, 1};
    private static final int PORT = 5555;

    /** What the receiver put out. */
    private static final class Sink implements PgmReceiver.Output {
        final List<String> messages = new ArrayList<>();
        final List<PgmPacket> unicast = new ArrayList<>();
        final List<PgmPacket> multicast = new ArrayList<>();

        @Override
        public void message(PgmPacket.Tsi source, List<byte[]> frames) {
            StringBuilder b = new StringBuilder();
            for (byte[] f : frames) {
                b.append(b.length() == 0 ? "" : "|").append(new String(f, StandardCharsets.US_ASCII));
            }
            messages.add(b.toString());
        }

        @Override
        public void unicast(byte[] datagram, byte[] address) {
            assertArrayEquals(SOURCE_NLA, address, "NAKs go to the SPM's address");
            unicast.add(parse(datagram));
        }

        @Override
        public void multicast(byte[] datagram) {
            multicast.add(parse(datagram));
        }

        List<Long> nakked() {
            List<Long> out = new ArrayList<>();
            for (PgmPacket p : unicast) {
                for (long s : ((PgmPacket.Nak) p).sqns()) {
                    out.add(s);
                }
            }
            return out;
        }
    }

    private static PgmPacket parse(byte[] d) {
        try {
            return PgmCodec.parse(d, 0, d.length);
        } catch (PgmFormatException e) {
            throw new AssertionError(e);
        }
    }

    private static PgmPacket.Tsi tsi(int n) {
        return new PgmPacket.Tsi(new byte[] {9, 8, 7, 6, 5, (byte) n}, 1000 + n);
    }

    private static PgmSource source(PgmPacket.Tsi tsi) {
        return new PgmSource(tsi, PORT, SOURCE_NLA, GROUP, new PgmTransmitWindow(1000), 0);
    }

    private static PgmReceiver receiver(int window) {
        return new PgmReceiver(PORT, GROUP, PgmReceiver.Settings.libzmq(window, -1), new SplittableRandom(7));
    }

    private static void feed(PgmReceiver r, byte[] d, long now, Sink sink) {
        r.onDatagram(d, 0, d.length, now, sink);
    }

    private static List<byte[]> msg(String text) {
        return List.of(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Runs the clock in 10 ms steps, as the engine's timer would. */
    private static void runClock(PgmReceiver r, long from, long to, Sink sink) {
        for (long t = from; t <= to; t += 10) {
            r.tick(t, sink);
        }
    }

    @Test
    void inOrderDataIsDeliveredAndNothingIsNaked() {
        PgmSource src = source(tsi(1));
        PgmReceiver r = receiver(80);
        Sink sink = new Sink();
        for (byte[] d : src.start()) {
            feed(r, d, 0, sink);
        }
        for (int i = 0; i < 10; i++) {
            for (byte[] d : src.send(msg("m" + i), i)) {
                feed(r, d, i, sink);
            }
        }
        runClock(r, 10, 1000, sink);
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), sink.messages);
        assertEquals(List.of(), sink.unicast);
        assertEquals(0, r.lost());
        assertEquals(0, r.heldBytes());
    }

    @Test
    void aGapIsNakedAfterTheBackOffAndFilledByTheRepair() {
        PgmSource src = source(tsi(1));
        PgmReceiver r = receiver(80);
        Sink sink = new Sink();
        feed(r, src.start().get(0), 0, sink);
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            packets.addAll(src.send(msg("m" + i), 0));
        }
        for (int i = 0; i < packets.size(); i++) {
            if (i != 2 && i != 3) {
                feed(r, packets.get(i), 0, sink); // 2 and 3 are lost on the way
            }
        }
        assertEquals(List.of("m0", "m1"), sink.messages, "held back behind the gap");
        r.tick(0, sink);
        assertEquals(List.of(), sink.unicast, "not before the back-off");
        runClock(r, 10, 50, sink);
        assertEquals(List.of(2L, 3L), sink.nakked().stream().sorted().toList(), "both NAKed within the 50 ms back-off");
        // the source answers each NAK as it would on the wire: NCF, then RDATA
        List<byte[]> ncfs = new ArrayList<>();
        List<byte[]> repairs = new ArrayList<>();
        for (PgmPacket p : sink.unicast) {
            PgmPacket.Nak nak = (PgmPacket.Nak) p;
            assertArrayEquals(GROUP, nak.groupNla());
            byte[] wire = PgmCodec.encode(nak);
            List<byte[]> answer = src.onDatagram(wire, 0, wire.length);
            assertInstanceOf(PgmPacket.Nak.class, parse(answer.get(0)));
            ncfs.add(answer.get(0));
            repairs.addAll(answer.subList(1, answer.size()));
        }
        int naks = sink.unicast.size();
        for (byte[] ncf : ncfs) {
            feed(r, ncf, 60, sink);
        }
        runClock(r, 60, 250, sink);
        assertEquals(naks, sink.unicast.size(), "no repeat while the RDATA is awaited");
        for (byte[] rdata : repairs) {
            feed(r, rdata, 260, sink);
        }
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5"), sink.messages);
        assertEquals(2, r.repaired());
        assertEquals(0, r.heldBytes());
    }

    @Test
    void withoutAnNcfTheNakIsRepeatedThenTheLossIsDeclaredAndTheStreamGoesOn() {
        PgmSource src = source(tsi(1));
        PgmReceiver r = new PgmReceiver(PORT, GROUP, new PgmReceiver.Settings(80, 50, 200, 200, 3, 3, 25, 300_000, -1, 8, 1 << 20),
                new SplittableRandom(1));
        Sink sink = new Sink();
        feed(r, src.start().get(0), 0, sink);
        List<byte[]> packets = new ArrayList<>();
        packets.addAll(src.send(msg("a"), 0));
        packets.addAll(src.send(List.of("b".repeat(3000).getBytes(StandardCharsets.US_ASCII)), 0)); // 3 packets
        packets.addAll(src.send(msg("c"), 0));
        for (int i = 0; i < packets.size(); i++) {
            if (i != 2) {
                feed(r, packets.get(i), 0, sink); // the middle of "b" never comes
            }
        }
        runClock(r, 0, 5000, sink);
        assertEquals(4, sink.unicast.size(), "the NAK and 3 repeats (NAK_NCF_RETRIES 3)");
        assertEquals(List.of(2L, 2L, 2L, 2L), sink.nakked());
        assertEquals(1, r.lost());
        assertEquals(List.of("a", "c"), sink.messages, "the message cut by the loss is dropped, the next one delivered");
        assertEquals(0, r.heldBytes());
    }

    @Test
    void whenTheTrailPassesAMissingPacketItIsLostAtOnce() {
        PgmSource src = new PgmSource(tsi(1), PORT, SOURCE_NLA, GROUP, new PgmTransmitWindow(2), 0);
        PgmReceiver r = receiver(80);
        Sink sink = new Sink();
        feed(r, src.start().get(0), 0, sink);
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            packets.addAll(src.send(msg("m" + i), 0));
        }
        feed(r, packets.get(0), 0, sink);
        feed(r, packets.get(4), 0, sink); // its trail is 3: 1 and 2 cannot be repaired any more; 3 can
        assertEquals(2, r.lost());
        assertEquals(List.of("m0"), sink.messages, "3 is still missing");
        feed(r, packets.get(3), 0, sink);
        assertEquals(List.of("m0", "m3", "m4"), sink.messages);
    }

    @Test
    void aLateReceiverStartsAtTheSpmsLeadAndAsksForAnSpmWhenDataComesFirst() {
        PgmSource src = source(tsi(1));
        List<byte[]> early = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            early.addAll(src.send(msg("old" + i), 0));
        }
        PgmReceiver late = receiver(80);
        Sink sink = new Sink();
        feed(late, src.tick(100).get(0), 100, sink); // an SPM with lead 2: the window starts at 3
        for (byte[] d : src.send(msg("new"), 200)) {
            feed(late, d, 200, sink);
        }
        runClock(late, 200, 1000, sink);
        assertEquals(List.of("new"), sink.messages);
        assertEquals(List.of(), sink.unicast, "nothing from before it joined is asked for");

        PgmReceiver dataFirst = receiver(80);
        Sink sink2 = new Sink();
        for (byte[] d : src.send(msg("x"), 300)) {
            feed(dataFirst, d, 300, sink2);
        }
        assertEquals(List.of("x"), sink2.messages);
        assertInstanceOf(PgmPacket.Spmr.class, sink2.multicast.get(0), "data before any SPM: ask for one");
        assertEquals(tsi(1), sink2.multicast.get(0).tsi());
    }

    @Test
    void aLostTailIsSeenInTheHeartbeatSpms() {
        PgmSource src = source(tsi(1));
        PgmReceiver r = receiver(80);
        Sink sink = new Sink();
        feed(r, src.start().get(0), 0, sink);
        for (byte[] d : src.send(msg("first"), 0)) {
            feed(r, d, 0, sink);
        }
        src.send(msg("last"), 0); // lost on the way
        feed(r, src.tick(100).get(0), 100, sink); // the heartbeat's lead says 1 exists
        runClock(r, 100, 200, sink);
        assertEquals(List.of(1L), sink.nakked());
    }

    @Test
    void aSequenceJumpOfHalfTheSpaceCostsNoMoreThanAWindow() {
        PgmSource src = source(tsi(1));
        PgmReceiver r = receiver(64);
        Sink sink = new Sink();
        feed(r, src.start().get(0), 0, sink);
        for (byte[] d : src.send(msg("ok"), 0)) {
            feed(r, d, 0, sink);
        }
        PgmPacket.Data forged = new PgmPacket.Data(tsi(1), PORT, false, 0x7FFFFFF0L, 0, new byte[] {0, 0, 2, 0, 'z'}, null);
        long start = System.nanoTime();
        feed(r, PgmCodec.encode(forged), 1, sink);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "bulk, not one by one");
        assertTrue(r.lost() > 1_000_000, "everything skipped counts as lost: " + r.lost());
        runClock(r, 1, 200, sink);
        assertTrue(sink.nakked().size() <= 63, "at most a window (64) of missing numbers, NAKed: " + sink.nakked().size());
        assertTrue(r.pendingSlots() <= 64, "at most a window kept: " + r.pendingSlots());
    }

    @Test
    void gapsAcrossSourcesAreBoundedAsAWhole() {
        // 6400 bytes held at most: 100 missing or held numbers across sources, though each window is 64
        PgmReceiver r = new PgmReceiver(PORT, GROUP, new PgmReceiver.Settings(64, 50, 200, 200, 50, 50, 25, 300_000, -1, 16, 6400),
                new SplittableRandom(9));
        Sink sink = new Sink();
        for (int n = 0; n < 5; n++) {
            PgmSource s = source(tsi(n));
            feed(r, s.start().get(0), 0, sink);
            List<byte[]> packets = new ArrayList<>();
            for (int i = 0; i < 41; i++) {
                packets.addAll(s.send(msg("m" + i), 0));
            }
            feed(r, packets.get(40), 0, sink); // a gap of 40 for each source
            assertTrue(r.pendingSlots() <= 100, "bounded across sources: " + r.pendingSlots());
        }
        assertTrue(r.lost() >= 40, "the gaps that did not fit were given up: " + r.lost());
    }

    @Test
    void sessionsAndHeldBytesAreBoundedAndMalformedDatagramsAreCounted() {
        PgmReceiver r = new PgmReceiver(PORT, GROUP, new PgmReceiver.Settings(80, 50, 200, 200, 50, 50, 25, 300_000, -1, 16, 10_000),
                new SplittableRandom(3));
        Sink sink = new Sink();
        for (int n = 0; n < 100; n++) {
            PgmSource s = source(tsi(n));
            feed(r, s.start().get(0), 0, sink);
        }
        assertEquals(16, r.sources(), "at most maxSources");
        assertEquals(84, r.evicted(), "each new one took the place of a silent one");
        PgmSource s = source(tsi(99)); // one of the last 16, still known
        s.start();
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            packets.addAll(s.send(List.of(new byte[1000]), 0));
        }
        for (int i = 1; i < packets.size(); i++) {
            feed(r, packets.get(i), 0, sink); // the first never comes: everything else is held
        }
        assertTrue(r.heldBytes() <= 10_000, "held bytes bounded: " + r.heldBytes());
        byte[] good = packets.get(0);
        for (int cut = 0; cut < good.length; cut += 7) {
            feed(r, Arrays.copyOf(good, cut), 0, sink);
        }
        byte[] flipped = good.clone();
        flipped[30] ^= 1;
        feed(r, flipped, 0, sink);
        assertTrue(r.malformed() >= good.length / 7, "truncations and a flipped bit: " + r.malformed());
        PgmPacket.Data otherPort = new PgmPacket.Data(tsi(3), PORT + 1, false, 0, 0, new byte[] {0, 0, 2, 0, 'q'}, null);
        feed(r, PgmCodec.encode(otherPort), 0, sink);
        assertEquals(1, r.ignored(), "another port's session is ignored");
        int before = sink.messages.size();
        for (byte[] p : packets) {
            feed(r, p, 10, sink); // the first, then again what did not fit (as repairs would bring it)
        }
        assertEquals(40, sink.messages.size() - before, "every message, once the gap is filled");
        assertEquals(0, r.lost());
        assertEquals(0, r.heldBytes());
    }
}
