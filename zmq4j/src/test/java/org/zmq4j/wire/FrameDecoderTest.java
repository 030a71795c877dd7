package org.zmq4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {

    /** How a test hands the decoder its input: a heap buffer over the array, or a copy in a direct one. */
    interface Chunker {
        ByteBuffer chunk(byte[] wire, int offset, int length);
    }

    /**
     * Feeds {@code wire} to the decoder in chunks of {@code chunk} bytes, each in a buffer made by
     * {@code chunker}; returns the frame bodies and adds their flags to {@code flags}.
     */
    static List<byte[]> decodeAll(FrameDecoder d, byte[] wire, int chunk, Chunker chunker, List<Integer> flags) throws ProtocolException {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < wire.length; off += chunk) {
            ByteBuffer b = chunker.chunk(wire, off, Math.min(chunk, wire.length - off));
            while (d.decode(b)) {
                out.add(d.body());
                flags.add(d.flags());
            }
            assertFalse(b.hasRemaining(), "decoder must consume all input it was given");
        }
        return out;
    }

    private static List<byte[]> decodeAll(FrameDecoder d, byte[] wire, int chunk) throws ProtocolException {
        return decodeAll(d, wire, chunk, ByteBuffer::wrap, new ArrayList<>());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 254, 255, 256, 257, 65535, 70000})
    void shortAndLongFramesRoundTripAtEverySize(int size) throws Exception {
        byte[] body = new byte[size];
        new Random(size).nextBytes(body);
        byte[] wire = FrameEncoder.message(body, false);
        assertEquals(size > 255 ? 9 : 2, wire.length - size, "header size at the short/long boundary");
        assertEquals(size > 255 ? 0x02 : 0x00, wire[0], "LONG flag");
        List<byte[]> frames = decodeAll(new FrameDecoder(-1), wire, wire.length);
        assertEquals(1, frames.size());
        assertArrayEquals(body, frames.get(0));
    }

    @Test
    void everySplitOffsetGivesTheSameFrames() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[][] bodies = {new byte[0], "a".getBytes(), new byte[255], new byte[256], "tail".getBytes()};
        for (int i = 0; i < bodies.length; i++) {
            wire.writeBytes(FrameEncoder.message(bodies[i], i < bodies.length - 1));
        }
        wire.writeBytes(FrameEncoder.command("PING", new byte[] {0, 10}));
        byte[] all = wire.toByteArray();
        for (int split = 1; split < all.length; split++) {
            FrameDecoder d = new FrameDecoder(-1);
            List<byte[]> got = new ArrayList<>();
            List<Integer> flags = new ArrayList<>();
            for (ByteBuffer part : new ByteBuffer[] {ByteBuffer.wrap(all, 0, split), ByteBuffer.wrap(all, split, all.length - split)}) {
                while (d.decode(part)) {
                    got.add(d.body());
                    flags.add(d.flags());
                }
            }
            assertEquals(bodies.length + 1, got.size(), "split at " + split);
            for (int i = 0; i < bodies.length; i++) {
                assertArrayEquals(bodies[i], got.get(i), "frame " + i + " split at " + split);
                assertEquals(i < bodies.length - 1, (flags.get(i) & FrameDecoder.FLAG_MORE) != 0);
            }
            assertEquals(FrameDecoder.FLAG_COMMAND, flags.get(bodies.length) & FrameDecoder.FLAG_COMMAND);
        }
    }

    @Test
    void byteByByteDecoding() throws Exception {
        byte[] wire = FrameEncoder.message(new byte[300], true);
        List<byte[]> frames = decodeAll(new FrameDecoder(-1), wire, 1);
        assertEquals(1, frames.size());
        assertEquals(300, frames.get(0).length);
    }

    @Test
    void headerClaiming2Pow62BytesIsRejectedWithoutAllocating() {
        ByteBuffer b = ByteBuffer.allocate(9);
        b.put((byte) 0x02).putLong(1L << 62).flip();
        ProtocolException e = assertThrows(ProtocolException.class, () -> new FrameDecoder(-1).decode(b));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    @Test
    void negativeLongSizeIsRejected() {
        ByteBuffer b = ByteBuffer.allocate(9);
        b.put((byte) 0x02).putLong(-1L).flip();
        assertThrows(ProtocolException.class, () -> new FrameDecoder(-1).decode(b));
    }

    @Test
    void largeDeclaredFrameGrowsOnlyWithTheBytesThatArrive() throws Exception {
        FrameDecoder d = new FrameDecoder(-1);
        ByteBuffer header = ByteBuffer.allocate(9 + 10);
        header.put((byte) 0x02).putLong(1_500_000_000L).put(new byte[10]).flip();
        assertFalse(d.decode(header));
        assertTrue(d.bufferedBodyCapacity() <= FrameDecoder.EAGER_LIMIT,
                "a 1.5 GB claim must not allocate more than " + FrameDecoder.EAGER_LIMIT + " bytes up front, got "
                        + d.bufferedBodyCapacity());
    }

    @Test
    void maxMsgSizeIsEnforcedOnTheHeader() {
        ByteBuffer b = ByteBuffer.wrap(FrameEncoder.message(new byte[101], false));
        ProtocolException e = assertThrows(ProtocolException.class, () -> new FrameDecoder(100).decode(b));
        assertTrue(e.getMessage().contains("MAXMSGSIZE"));
    }

    @Test
    void maxMsgSizeAllowsFramesAtTheLimit() throws Exception {
        ByteBuffer b = ByteBuffer.wrap(FrameEncoder.message(new byte[100], false));
        assertTrue(new FrameDecoder(100).decode(b));
    }

    @Test
    void reservedFlagBitsAreAProtocolError() {
        assertThrows(ProtocolException.class, () -> new FrameDecoder(-1).decode(ByteBuffer.wrap(new byte[] {0x08, 0})));
        assertThrows(ProtocolException.class, () -> new FrameDecoder(-1).decode(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0})));
    }

    @Test
    void commandWithMoreFlagIsAProtocolError() {
        assertThrows(ProtocolException.class, () -> new FrameDecoder(-1).decode(ByteBuffer.wrap(new byte[] {0x05, 0})));
    }

    @Test
    void randomGarbageEitherDecodesOrFailsCleanly() {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[r.nextInt(64)];
            r.nextBytes(junk);
            FrameDecoder d = new FrameDecoder(1 << 16);
            try {
                ByteBuffer b = ByteBuffer.wrap(junk);
                while (d.decode(b)) {
                    d.body();
                }
            } catch (ProtocolException expected) {
                // fine: a clean rejection
            }
            assertTrue(d.bufferedBodyCapacity() <= 1 << 16);
        }
    }
}
