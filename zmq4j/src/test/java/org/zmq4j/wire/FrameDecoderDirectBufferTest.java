package org.zmq4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * The decoder fed from direct buffers, as a busy engine's read buffer is: the whole-frame path
 * for buffers without an array must decode exactly what the heap path decodes and reject exactly
 * what it rejects.
 */
class FrameDecoderDirectBufferTest {

    /** {@code len} bytes of {@code wire} from {@code off}, in a direct buffer whose position is not 0. */
    private static ByteBuffer direct(byte[] wire, int off, int len) {
        ByteBuffer b = ByteBuffer.allocateDirect(len + 7);
        b.position(7);
        b.put(wire, off, len);
        b.flip();
        b.position(7);
        return b;
    }

    private static List<byte[]> decodeDirect(FrameDecoder d, byte[] wire, int chunk, List<Integer> flags) throws ProtocolException {
        return FrameDecoderTest.decodeAll(d, wire, chunk, FrameDecoderDirectBufferTest::direct, flags);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 254, 255, 256, 257, 65535, 70000})
    void shortAndLongFramesRoundTripAtEverySize(int size) throws Exception {
        byte[] body = new byte[size];
        new Random(size).nextBytes(body);
        byte[] wire = FrameEncoder.message(body, true);
        List<Integer> flags = new ArrayList<>();
        List<byte[]> frames = decodeDirect(new FrameDecoder(-1), wire, wire.length, flags);
        assertEquals(1, frames.size());
        assertArrayEquals(body, frames.get(0));
        assertEquals(FrameDecoder.FLAG_MORE, flags.get(0) & FrameDecoder.FLAG_MORE);
    }

    @Test
    void aRandomStreamDecodesAsTheHeapPathDecodesItAtEveryChunkSize() throws Exception {
        Random r = new Random(7);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] body = new byte[r.nextInt(4) == 0 ? 256 + r.nextInt(3000) : r.nextInt(256)];
            r.nextBytes(body);
            bodies.add(body);
            wire.writeBytes(i % 17 == 0 ? FrameEncoder.command("PING", body) : FrameEncoder.message(body, i % 3 == 0));
        }
        byte[] all = wire.toByteArray();
        for (int chunk : new int[] {1, 2, 9, 100, 4096, all.length}) {
            List<Integer> directFlags = new ArrayList<>();
            List<byte[]> viaDirect = decodeDirect(new FrameDecoder(-1), all, chunk, directFlags);
            List<Integer> heapFlags = new ArrayList<>();
            List<byte[]> viaHeap = FrameDecoderTest.decodeAll(new FrameDecoder(-1), all, chunk, ByteBuffer::wrap, heapFlags);
            assertEquals(bodies.size(), viaDirect.size(), "frames at chunk " + chunk);
            assertEquals(heapFlags, directFlags, "flags at chunk " + chunk);
            for (int i = 0; i < viaHeap.size(); i++) {
                assertArrayEquals(viaHeap.get(i), viaDirect.get(i), "frame " + i + " at chunk " + chunk);
            }
        }
    }

    @Test
    void headerClaiming2Pow62BytesIsRejected() {
        ByteBuffer b = ByteBuffer.allocateDirect(9);
        b.put((byte) 0x02).putLong(1L << 62).flip();
        FrameDecoder d = new FrameDecoder(-1);
        ProtocolException e = assertThrows(ProtocolException.class, () -> d.decode(b));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        assertEquals(0, d.bufferedBodyCapacity(), "nothing allocated for the claimed body");
    }

    @Test
    void negativeLongSizeAndReservedFlagsAreRejected() {
        ByteBuffer negative = ByteBuffer.allocateDirect(9);
        negative.put((byte) 0x02).putLong(-1L).flip();
        assertThrows(ProtocolException.class, () -> new FrameDecoder(-1).decode(negative));
        assertThrows(ProtocolException.class, () -> new FrameDecoder(-1).decode(direct(new byte[] {0x08, 0}, 0, 2)));
        assertThrows(ProtocolException.class, () -> new FrameDecoder(-1).decode(direct(new byte[] {0x05, 0}, 0, 2)));
    }

    @Test
    void maxMsgSizeIsEnforcedOnTheHeader() throws Exception {
        byte[] over = FrameEncoder.message(new byte[101], false);
        assertThrows(ProtocolException.class, () -> new FrameDecoder(100).decode(direct(over, 0, over.length)));
        byte[] at = FrameEncoder.message(new byte[100], false);
        FrameDecoder d = new FrameDecoder(100);
        assertTrue(d.decode(direct(at, 0, at.length)));
        assertEquals(100, d.body().length);
    }
}
