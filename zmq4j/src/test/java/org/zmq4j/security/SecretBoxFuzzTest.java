package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Differential fuzzing of the project's {@link XSalsa20Poly1305} against Bouncy Castle
 * ({@link BouncyCastleSecretBox}): for a fuzzed key, nonces (some sharing the 16-byte prefix that
 * the HSalsa20 cache keys on), plaintexts and header split, both must seal to the same bytes, each
 * must open the other's box into the same header and rest, and a box altered at a fuzzed bit must
 * be refused by both. Ours runs with a fuzzed choice of keystream batch: the Vector API's (when the
 * JVM has the module), the loops', or none. Replayed from the seed corpus by every test run;
 * {@code JAZZER_FUZZ=1} fuzzes (see .ci/run).
 */
class SecretBoxFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void sealAndOpen(FuzzedDataProvider data) {
        byte[] key = fixed(data, 32);
        SalsaBatch[] batches = {SalsaBatch.available(), new LoopSalsa20(), null};
        XSalsa20Poly1305 ours = new XSalsa20Poly1305(key, batches[data.consumeInt(0, batches.length - 1)]);
        BouncyCastleSecretBox theirs = new BouncyCastleSecretBox(key);
        byte[] nonce = fixed(data, 24);
        int boxes = data.consumeInt(1, 4);
        for (int b = 0; b < boxes && data.remainingBytes() > 0; b++) {
            if (data.consumeBoolean()) {
                nonce = nonce.clone();
                nonce[data.consumeInt(0, 23)] ^= (byte) data.consumeInt(1, 255); // a new prefix or short nonce
            }
            byte[] plaintext = data.consumeBytes(data.consumeInt(0, 4096));
            byte[] a = SecretBoxTest.seal(ours, nonce, plaintext);
            byte[] c = SecretBoxTest.seal(theirs, nonce, plaintext);
            assertArrayEquals(c, a, "ours and Bouncy Castle sealed differently");
            int headerLength = data.consumeInt(0, plaintext.length);
            byte[][] fromOurs = open(ours, nonce, c, headerLength);
            byte[][] fromTheirs = open(theirs, nonce, a, headerLength);
            assertArrayEquals(plaintext, join(fromOurs), "ours did not open Bouncy Castle's box");
            assertArrayEquals(plaintext, join(fromTheirs), "Bouncy Castle did not open our box");
            byte[] altered = a.clone();
            int bit = data.consumeInt(0, altered.length * 8 - 1);
            altered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(ours.open(nonce, altered, 0, altered.length, new byte[0], new byte[plaintext.length]), "ours opened an altered box");
            assertFalse(theirs.open(nonce, altered, 0, altered.length, new byte[0], new byte[plaintext.length]),
                    "Bouncy Castle opened an altered box");
        }
    }

    private static byte[] fixed(FuzzedDataProvider data, int n) {
        byte[] b = data.consumeBytes(n);
        return b.length == n ? b : java.util.Arrays.copyOf(b, n);
    }

    private static byte[][] open(SecretBox box, byte[] nonce, byte[] sealed, int headerLength) {
        byte[] header = new byte[headerLength];
        byte[] rest = new byte[sealed.length - 16 - headerLength];
        assertTrue(box.open(nonce, sealed, 0, sealed.length, header, rest));
        return new byte[][] {header, rest};
    }

    private static byte[] join(byte[][] parts) {
        byte[] out = new byte[parts[0].length + parts[1].length];
        System.arraycopy(parts[0], 0, out, 0, parts[0].length);
        System.arraycopy(parts[1], 0, out, parts[0].length, parts[1].length);
        return out;
    }
}
