package org.zmq4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.zmq4j.wire.FrameDecoder;
import org.zmq4j.wire.ProtocolException;

/**
 * Coverage-guided fuzzing of the frame decoder. In a normal test run this replays the seed
 * corpus ({@code src/test/resources/org/zmq4j/fuzz/FrameDecoderFuzzTestInputs}); with
 * {@code JAZZER_FUZZ=1} it fuzzes for the bounded time below (CI does that, see .ci/run).
 * Input arrives in heap or direct buffers (both of the decoder's paths).
 * Property: any input either decodes or fails with ProtocolException, and memory held stays
 * bounded by what arrived (never by what a header claims).
 */
class FrameDecoderFuzzTest {
    private static final long MAX = 1 << 16;

    @FuzzTest(maxDuration = "30s")
    void decode(FuzzedDataProvider data) {
        FrameDecoder decoder = new FrameDecoder(data.consumeBoolean() ? MAX : -1);
        boolean direct = data.consumeBoolean(); // a busy engine reads into a direct buffer
        long fed = 0;
        try {
            while (data.remainingBytes() > 0) {
                byte[] chunk = data.consumeBytes(1 + data.consumeInt(0, 300));
                fed += chunk.length;
                ByteBuffer in = direct ? ByteBuffer.allocateDirect(chunk.length).put(chunk).flip() : ByteBuffer.wrap(chunk);
                while (decoder.decode(in)) {
                    assertTrue(decoder.body().length <= fed, "a frame cannot be longer than the input");
                }
                assertTrue(!in.hasRemaining(), "the decoder consumes everything it is given");
                assertTrue(decoder.bufferedBodyCapacity() <= Math.max(FrameDecoder.EAGER_LIMIT, 2 * fed),
                        "held " + decoder.bufferedBodyCapacity() + " bytes after " + fed + " arrived");
            }
        } catch (ProtocolException expected) {
            // a clean refusal
        }
    }
}
