package org.zmq4j.pgm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The PGM codec against packets libzmq 4.3.4 with OpenPGM 5.3.128 put on this machine's loopback
 * (captured with tcpdump; docs/pgm-notes.md §8): each is read with its checksum checked, and written
 * back byte for byte. Then hostile datagrams: every truncation, every flipped bit, random bytes.
 */
class PgmCodecTest {
    private static final String GSI = "b7c6d1bc038a";
    /** The first SPM of a libzmq PUB on epgm://127.0.0.1;239.192.1.1:5599. */
    static final byte[] SPM = hex("5b5615df000082ba" + GSI + "0000" + "00000000" + "00000000" + "ffffffff" + "00010000" + "7f000001");
    /** Its first ODATA: ["topic", "hello-0"]. */
    static final byte[] ODATA = hex("5b5615df0400b054" + GSI + "0012" + "00000000" + "00000000" + "0000" + "0601746f706963"
            + "080068656c6c6f2d30");
    /** A NAK for sequence 1, sent to a libzmq PUB on port 5607 (TSI port 0xb60c), which accepted it. */
    static final byte[] NAK = hex("15e7b60c08002f38" + GSI + "0000" + "00000001" + "000100007f000001" + "00010000efc00101");
    /** The PUB's NCF for it. */
    static final byte[] NCF = hex("b60c15e70a002d38" + GSI + "0000" + "00000001" + "000100007f000001" + "00010000efc00101");
    /** The PUB's repair: ["msg-1"]. */
    static final byte[] RDATA = hex("b60c15e705009653" + GSI + "0009" + "00000001" + "00000000" + "0000" + "0600" + "6d73672d31");

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void libzmqsSpmIsReadAndWrittenBackByteForByte() throws Exception {
        PgmPacket.Spm spm = assertInstanceOf(PgmPacket.Spm.class, PgmCodec.parse(SPM, 0, SPM.length));
        assertEquals(0x5b56, spm.tsi().sourcePort());
        assertEquals(5599, spm.dataPort());
        assertEquals(GSI, HexFormat.of().formatHex(spm.tsi().gsi()));
        assertEquals(0, spm.sqn());
        assertEquals(0, spm.trail());
        assertEquals(0xFFFFFFFFL, spm.lead(), "an empty window: lead = trail - 1");
        assertArrayEquals(new byte[] {127, 0, 0, 1}, spm.nla());
        assertFalse(spm.fin());
        assertArrayEquals(SPM, PgmCodec.encode(spm));
    }

    @Test
    void libzmqsDataIsReadAndWrittenBackByteForByte() throws Exception {
        PgmPacket.Data d = assertInstanceOf(PgmPacket.Data.class, PgmCodec.parse(ODATA, 0, ODATA.length));
        assertFalse(d.repair());
        assertEquals(0, d.sqn());
        assertEquals(18, d.tsdu().length);
        assertArrayEquals(ODATA, PgmCodec.encode(d));
        PgmPacket.Data r = assertInstanceOf(PgmPacket.Data.class, PgmCodec.parse(RDATA, 0, RDATA.length));
        assertTrue(r.repair());
        assertEquals(1, r.sqn());
        assertArrayEquals(RDATA, PgmCodec.encode(r));
    }

    @Test
    void aNakAndItsConfirmationAreReadAndWrittenBack() throws Exception {
        PgmPacket.Nak nak = assertInstanceOf(PgmPacket.Nak.class, PgmCodec.parse(NAK, 0, NAK.length));
        assertFalse(nak.confirm());
        assertEquals(0xb60c, nak.tsi().sourcePort(), "upstream: the source's TSI port is the destination");
        assertEquals(5607, nak.dataPort());
        assertArrayEquals(new long[] {1}, nak.sqns());
        assertArrayEquals(hex("efc00101"), nak.groupNla());
        assertArrayEquals(NAK, PgmCodec.encode(nak));
        PgmPacket.Nak ncf = assertInstanceOf(PgmPacket.Nak.class, PgmCodec.parse(NCF, 0, NCF.length));
        assertTrue(ncf.confirm());
        assertEquals(nak.tsi(), ncf.tsi());
        assertArrayEquals(NCF, PgmCodec.encode(ncf));
    }

    @Test
    void optionsRoundTripNakListsFinAndSpmrs() throws Exception {
        PgmPacket.Tsi tsi = new PgmPacket.Tsi(hex(GSI), 0x1234);
        PgmPacket.Nak list = new PgmPacket.Nak(tsi, 5555, false, new long[] {7, 8, 10}, hex("7f000001"), hex("efc00101"));
        byte[] b = PgmCodec.encode(list);
        assertEquals(0x03, b[5], "OPT_PRESENT | OPT_NETWORK, as OpenPGM's NAK lists");
        PgmPacket.Nak back = (PgmPacket.Nak) PgmCodec.parse(b, 0, b.length);
        assertArrayEquals(new long[] {7, 8, 10}, back.sqns());
        PgmPacket.Spm fin = new PgmPacket.Spm(tsi, 5555, 9, 0, 3, hex("7f000001"), true);
        byte[] f = PgmCodec.encode(fin);
        assertEquals("000400088e040000", HexFormat.of().formatHex(f, f.length - 8, f.length), "OPT_LENGTH then OPT_FIN|OPT_END");
        assertTrue(((PgmPacket.Spm) PgmCodec.parse(f, 0, f.length)).fin());
        byte[] s = PgmCodec.encode(new PgmPacket.Spmr(tsi, 5555));
        assertEquals(new PgmPacket.Spmr(tsi, 5555), PgmCodec.parse(s, 0, s.length));
        byte[] padded = new byte[s.length + 10];
        System.arraycopy(s, 0, padded, 5, s.length);
        assertEquals(new PgmPacket.Spmr(tsi, 5555), PgmCodec.parse(padded, 5, s.length), "a packet inside a larger buffer");
    }

    @Test
    void everyTruncationAndEveryFlippedBitOfDataIsRefused() {
        for (byte[] packet : List.of(SPM, ODATA, NAK, NCF, RDATA)) {
            for (int len = 0; len < packet.length; len++) {
                int n = len;
                assertThrows(PgmFormatException.class, () -> PgmCodec.parse(packet, 0, n), "cut at " + n);
            }
        }
        for (byte[] packet : List.of(ODATA, RDATA, SPM, NAK)) {
            for (int bit = 0; bit < packet.length * 8; bit++) {
                byte[] b = packet.clone();
                b[bit / 8] ^= (byte) (1 << (bit % 8));
                int at = bit;
                assertThrows(PgmFormatException.class, () -> PgmCodec.parse(b, 0, b.length), "bit " + at);
            }
        }
        byte[] noChecksum = ODATA.clone();
        noChecksum[6] = 0;
        noChecksum[7] = 0;
        PgmFormatException e = assertThrows(PgmFormatException.class, () -> PgmCodec.parse(noChecksum, 0, noChecksum.length));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void randomBytesOnlyEverGiveAFormatException() {
        Random r = new Random(20261207);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[r.nextInt(80)];
            r.nextBytes(b);
            if (b.length >= PgmCodec.HEADER && r.nextBoolean()) {
                b[4] = (byte) new int[] {0, 4, 5, 8, 10, 12}[r.nextInt(6)]; // a plausible type
                b[6] = 0;
                b[7] = 0;
                int sum = PgmChecksum.compute(b, 0, b.length);
                b[6] = (byte) (sum >>> 8); // with a valid checksum, so the bodies and options are parsed
                b[7] = (byte) sum;
            }
            try {
                PgmCodec.parse(b, 0, b.length);
                accepted++;
            } catch (PgmFormatException expected) {
                // refused with a reason
            }
        }
        assertTrue(accepted < 200_000, "nearly all random datagrams are refused: " + accepted + " accepted");
    }

    @Test
    void theChecksumFoldsZeroToAllOnes() {
        byte[] b = hex("ffff");
        assertEquals(0xFFFF, PgmChecksum.compute(b, 0, b.length), "a sum of 0xFFFF complements to 0, sent as 0xFFFF");
        byte[] odd = hex("0102030405");
        assertEquals(0xFFFF & ~(0x0102 + 0x0304 + 0x0500), PgmChecksum.compute(odd, 0, odd.length));
    }

    /** The checksum's word-at-a-time loop, against the plain definition, every length and alignment up to 200 and random skips. */
    @Test
    void theChecksumEqualsTheInternetChecksumDefinition() {
        java.util.Random random = new java.util.Random(5);
        for (int len = 0; len < 200; len++) {
            for (int off = 0; off < 3; off++) {
                byte[] b = new byte[off + len + 2];
                random.nextBytes(b);
                int skip = len >= 8 ? off + 2 * random.nextInt(len / 2) : -1;
                assertEquals(reference(b, off, len, skip), PgmChecksum.compute(b, off, len, skip), "length " + len + " at " + off);
            }
        }
        byte[] ones = new byte[65_536];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertEquals(reference(ones, 0, ones.length, -1), PgmChecksum.compute(ones, 0, ones.length, -1), "carries folded");
    }

    private static int reference(byte[] b, int off, int len, int skip) {
        long sum = 0;
        for (int i = off; i < off + len; i += 2) {
            if (i == skip) {
                continue;
            }
            int hi = b[i] & 0xFF;
            int lo = i + 1 < off + len ? b[i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int folded = (int) (~sum & 0xFFFF);
        return folded == 0 ? 0xFFFF : folded;
    }
}
