package org.zmq4j.pgm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The transmit window and the source's rules: numbering, SPM schedule, repairs on NAK, SPMR, FIN. */
class PgmSourceTest {
    private static final byte[] HERE = {127, 0, 0, 1};
    private static final byte[] GROUP = {(byte) 239, (byte) 192, 1, 1};
    private static final PgmPacket.Tsi TSI = new PgmPacket.Tsi(new byte[] {1, 2, 3, 4, 5, 6}, 0x4242);

    private static PgmPacket parse(byte[] d) throws PgmFormatException {
        return PgmCodec.parse(d, 0, d.length);
    }

    @Test
    void theWindowKeepsTheNewestAndAdvancesItsTrail() {
        PgmTransmitWindow w = new PgmTransmitWindow(3);
        assertEquals(0, w.trail());
        assertEquals(0xFFFFFFFFL, w.lead(), "empty: lead = trail - 1");
        assertNull(w.get(0));
        for (int i = 0; i < 5; i++) {
            assertEquals(i, w.append(new byte[] {(byte) i}));
        }
        assertEquals(2, w.trail());
        assertEquals(4, w.lead());
        assertNull(w.get(1), "gone from the window");
        assertArrayEquals(new byte[] {3}, w.get(3));
        assertNull(w.get(5), "not sent yet");
        assertNull(w.get(0xFFFFFFFFL));
        assertEquals(80, PgmTransmitWindow.libzmqCapacity(100, 10_000, 1500), "libzmq's default window (pgm-notes §6)");
    }

    @Test
    void dataIsNumberedAndSpmsFollowOpenPgmsSchedule() throws Exception {
        PgmSource s = new PgmSource(TSI, 5555, HERE, GROUP, new PgmTransmitWindow(80), 1000);
        List<byte[]> start = s.start();
        assertEquals(3, start.size());
        PgmPacket.Spm first = assertInstanceOf(PgmPacket.Spm.class, parse(start.get(0)));
        assertEquals(0xFFFFFFFFL, first.lead());
        assertEquals(2, ((PgmPacket.Spm) parse(start.get(2))).sqn());
        assertEquals(List.of(), s.tick(1000), "nothing due");
        List<byte[]> odata = s.send(List.of("a".getBytes(StandardCharsets.US_ASCII), "b".getBytes(StandardCharsets.US_ASCII)), 2000);
        PgmPacket.Data d = assertInstanceOf(PgmPacket.Data.class, parse(odata.get(0)));
        assertEquals(0, d.sqn());
        List<Long> spmTimes = new ArrayList<>();
        for (long t = 2000; t <= 2000 + 60_000; t += 10) {
            for (byte[] spm : s.tick(t)) {
                assertEquals(0, ((PgmPacket.Spm) parse(spm)).lead(), "the lead is the data sent");
                spmTimes.add(t - 2000);
            }
        }
        assertEquals(List.of(100L, 200L, 300L, 400L, 1700L, 8700L, 24700L, 49700L), spmTimes, "heartbeats after data, then ambient");
        assertEquals(49700 + PgmSource.AMBIENT, s.nextTick() - 2000);
    }

    @Test
    void aNakForHeldDataGetsAnNcfAndTheRepair() throws Exception {
        PgmSource s = new PgmSource(TSI, 5555, HERE, GROUP, new PgmTransmitWindow(4), 0);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.addAll(s.send(List.of(("m" + i).getBytes(StandardCharsets.US_ASCII)), i));
        }
        byte[] nak = PgmCodec.encode(new PgmPacket.Nak(TSI, 5555, false, new long[] {3, 5, 1}, HERE, GROUP));
        List<byte[]> answer = s.onDatagram(nak, 0, nak.length);
        assertEquals(3, answer.size(), "an NCF for what is held (3 and 5), and their repairs; 1 is gone");
        PgmPacket.Nak ncf = assertInstanceOf(PgmPacket.Nak.class, parse(answer.get(0)));
        assertTrue(ncf.confirm());
        assertArrayEquals(new long[] {3, 5}, ncf.sqns());
        PgmPacket.Data repair = assertInstanceOf(PgmPacket.Data.class, parse(answer.get(1)));
        assertTrue(repair.repair());
        assertEquals(3, repair.sqn());
        assertArrayEquals(((PgmPacket.Data) parse(sent.get(3))).tsdu(), repair.tsdu());
        assertEquals(1, s.naksAnswered());

        byte[] otherGroup = PgmCodec.encode(new PgmPacket.Nak(TSI, 5555, false, new long[] {3}, HERE, new byte[] {(byte) 239, 0, 0, 9}));
        assertEquals(List.of(), s.onDatagram(otherGroup, 0, otherGroup.length), "a NAK for another group is not ours");
        byte[] otherSession = PgmCodec.encode(new PgmPacket.Nak(new PgmPacket.Tsi(new byte[6], 1), 5555, false, new long[] {3}, HERE,
                GROUP));
        assertEquals(List.of(), s.onDatagram(otherSession, 0, otherSession.length));
        byte[] garbage = "not pgm at all".getBytes(StandardCharsets.US_ASCII);
        assertEquals(List.of(), s.onDatagram(garbage, 0, garbage.length));
        assertEquals(1, s.malformed());
        assertEquals(List.of(), s.onDatagram(sent.get(0), 0, sent.get(0).length), "our own data looped back");

        byte[] spmr = PgmCodec.encode(new PgmPacket.Spmr(TSI, 5555));
        assertInstanceOf(PgmPacket.Spm.class, parse(s.onDatagram(spmr, 0, spmr.length).get(0)));
        for (byte[] f : s.finish()) {
            assertTrue(((PgmPacket.Spm) parse(f)).fin());
        }
    }
}
