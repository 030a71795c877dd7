package org.zmq4j.pgm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * ZeroMQ's framing inside PGM: messages cut into TSDUs with their offsets, as libzmq cuts them
 * (a 4000-byte message into 1428, 1428 and 1160 bytes), read back, joined late, resynchronised
 * after a loss, and libzmq's own TSDUs read.
 */
class PgmStreamTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int offset(byte[] tsdu) {
        return ((tsdu[0] & 0xFF) << 8) | (tsdu[1] & 0xFF);
    }

    @Test
    void aLargeMessageIsCutAsLibzmqCutsIt() throws Exception {
        byte[] big = new byte[4000];
        Arrays.fill(big, (byte) 'X');
        PgmStreamEncoder enc = new PgmStreamEncoder();
        enc.add(List.of(big));
        List<byte[]> tsdus = enc.drain();
        assertEquals(List.of(1428, 1428, 1160), tsdus.stream().map(t -> t.length).toList(), "libzmq's sizes (pgm-notes §4)");
        assertEquals(0, offset(tsdus.get(0)));
        assertEquals(0xFFFF, offset(tsdus.get(1)));
        assertEquals("ff0000000000000fa100", java.util.HexFormat.of().formatHex(tsdus.get(0), 2, 12), "0xFF, length 4001, flags 0");
        PgmStreamDecoder dec = new PgmStreamDecoder(-1);
        List<List<byte[]>> got = new ArrayList<>();
        for (byte[] t : tsdus) {
            got.addAll(dec.feed(t));
        }
        assertEquals(1, got.size());
        assertArrayEquals(big, got.get(0).get(0));
    }

    @Test
    void libzmqsOwnTsdusAreRead() throws Exception {
        PgmStreamDecoder dec = new PgmStreamDecoder(-1);
        byte[] tsdu = ((PgmPacket.Data) PgmCodec.parse(PgmCodecTest.ODATA, 0, PgmCodecTest.ODATA.length)).tsdu();
        List<List<byte[]>> m = dec.feed(tsdu);
        assertEquals(1, m.size());
        assertEquals("topic", new String(m.get(0).get(0), StandardCharsets.US_ASCII));
        assertEquals("hello-0", new String(m.get(0).get(1), StandardCharsets.US_ASCII));
        // libzmq's last piece of a long message points its offset at the end (0x0486 of 1158 bytes)
        byte[] end = new byte[1160];
        end[0] = 0x04;
        end[1] = (byte) 0x86;
        assertEquals(List.of(), new PgmStreamDecoder(-1).feed(end), "a late joiner starts at the end: nothing yet");
    }

    @Test
    void manySmallMessagesShareTsdusAndALateJoinerStartsAtAMessage() throws Exception {
        PgmStreamEncoder enc = new PgmStreamEncoder(100);
        List<List<byte[]>> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            List<byte[]> msg = List.of(ascii("topic"), ascii("body-" + i + "-" + "y".repeat(i % 17)));
            sent.add(msg);
            enc.add(msg);
        }
        List<byte[]> tsdus = enc.drain();
        assertTrue(tsdus.size() > 10);
        PgmStreamDecoder all = new PgmStreamDecoder(-1);
        List<List<byte[]>> got = new ArrayList<>();
        for (byte[] t : tsdus) {
            got.addAll(all.feed(t));
        }
        assertEquals(strings(sent), strings(got));

        PgmStreamDecoder late = new PgmStreamDecoder(-1);
        List<List<byte[]>> tail = new ArrayList<>();
        for (byte[] t : tsdus.subList(5, tsdus.size())) {
            tail.addAll(late.feed(t));
        }
        List<String> expected = strings(sent);
        assertEquals(expected.subList(expected.size() - tail.size(), expected.size()), strings(tail), "whole messages from a start on");

        PgmStreamDecoder lossy = new PgmStreamDecoder(-1);
        List<List<byte[]>> afterLoss = new ArrayList<>();
        for (int i = 0; i < tsdus.size(); i++) {
            if (i == 7) {
                lossy.reset(); // TSDU 7 is lost for good
                continue;
            }
            afterLoss.addAll(lossy.feed(tsdus.get(i)));
        }
        List<String> a = strings(afterLoss);
        assertTrue(expected.containsAll(a) && a.size() < expected.size() && a.size() > expected.size() / 2, a.toString());
        assertEquals(1, lossy.resets());
    }

    @Test
    void withoutPartialOnlyFullTsdusGoAndTheRestWaitsForMoreMessages() throws Exception {
        PgmStreamEncoder enc = new PgmStreamEncoder(50);
        PgmStreamDecoder dec = new PgmStreamDecoder(-1);
        List<String> got = new ArrayList<>();
        int sent = 0;
        int tsdus = 0;
        for (int round = 0; round < 30; round++) {
            for (int k = 0; k < 1 + round % 4; k++) {
                enc.add(List.of(("msg-" + sent++).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            }
            for (byte[] t : enc.drain(false)) {
                assertEquals(50, t.length, "only full TSDUs while messages keep coming");
                tsdus++;
                for (List<byte[]> m : dec.feed(t)) {
                    got.add(new String(m.get(0), java.nio.charset.StandardCharsets.US_ASCII));
                }
            }
        }
        assertTrue(enc.pendingBytes() < 48, "less than a TSDU's data waits: " + enc.pendingBytes());
        for (byte[] t : enc.drain(true)) {
            tsdus++;
            for (List<byte[]> m : dec.feed(t)) {
                got.add(new String(m.get(0), java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        assertEquals(0, enc.pendingBytes());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            expected.add("msg-" + i);
        }
        assertEquals(expected, got, "every message, in order, across the kept remainders");
        assertTrue(tsdus < sent, "messages share TSDUs: " + tsdus + " for " + sent);
    }

    @Test
    void hostileStreamsResetOrAreRefused() throws Exception {
        PgmStreamDecoder dec = new PgmStreamDecoder(1000);
        byte[] huge = {0, 0, (byte) 0xFF, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0};
        assertEquals(List.of(), dec.feed(huge), "a frame over MAXMSGSIZE is dropped");
        assertEquals(1, dec.resets());
        assertTrue(!dec.joined());
        assertThrows(PgmFormatException.class, () -> dec.feed(new byte[2]));
        assertThrows(PgmFormatException.class, () -> dec.feed(new byte[] {0, 9, 1, 1}), "offset past the end");
        byte[] zeroLength = {0, 0, 0, 0};
        assertEquals(List.of(), dec.feed(zeroLength));
        assertEquals(2, dec.resets(), "a length of 0 has no room for the flags: resynchronise");
    }

    private static List<String> strings(List<List<byte[]>> messages) {
        List<String> out = new ArrayList<>();
        for (List<byte[]> m : messages) {
            StringBuilder b = new StringBuilder();
            for (byte[] f : m) {
                b.append(new String(f, StandardCharsets.US_ASCII)).append('|');
            }
            out.add(b.toString());
        }
        return out;
    }
}
