package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The vector keystream batch ({@link VectorSalsa20} through {@link SalsaBatch}) against Bouncy
 * Castle's Salsa20 at chosen block counters, and its switch. This suite's JVM runs with
 * {@code --add-modules jdk.incubator.vector} (zmq4j/pom.xml), so the batch must be present: were
 * the module dropped, the vector path would silently go untested, and this test fails instead.
 */
class SalsaBatchTest {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    @Test
    void theSuiteRunsWithTheVectorBatch() {
        SalsaBatch batch = SalsaBatch.available();
        assertNotNull(batch, "no vector batch: the test JVM needs --add-modules jdk.incubator.vector");
        assertTrue(batch.blocks() >= 4, "lanes: " + batch.blocks());
    }

    @AfterEach
    void restoreProperties() {
        CurveCrypto.restore();
    }

    @Test
    void thePropertyTurnsTheBatchOffAndRefusesOtherValues() {
        CurveCrypto.useVectorSwitch("false");
        assertNull(SalsaBatch.available());
        CurveCrypto.useVectorSwitch("TRUE");
        assertNotNull(SalsaBatch.available());
        CurveCrypto.useVectorSwitch("sometimes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SalsaBatch::available);
        assertTrue(e.getMessage().contains(SalsaBatch.PROPERTY), e.getMessage());
    }

    @Test
    void keystreamMatchesBouncyCastleAtEveryKindOfCounter() {
        SalsaBatch batch = SalsaBatch.available();
        assertNotNull(batch);
        int lanes = batch.blocks();
        SplittableRandom random = new SplittableRandom(64);
        long[] counters = {0, 1, 7, 1000, 0xffff_ffffL - lanes + 1, 0x1_0000_0000L, 0x1_0000_0000L + 3,
                0x0123_4567_0000_0000L + 12_345, 0x01ff_ffff_ffff_ff00L};
        for (long counter : counters) {
            for (int trial = 0; trial < 4; trial++) {
                byte[] key = new byte[32];
                byte[] nonce = new byte[8];
                random.nextBytes(key);
                random.nextBytes(nonce);
                int[] keyWords = new int[8];
                for (int i = 0; i < 8; i++) {
                    keyWords[i] = (int) INT_LE.get(key, 4 * i);
                }
                int[] out = new int[16 * lanes];
                batch.keystream(keyWords, (int) INT_LE.get(nonce, 0), (int) INT_LE.get(nonce, 4), counter, out);
                byte[] ours = new byte[64 * lanes];
                for (int b = 0; b < lanes; b++) {
                    for (int w = 0; w < 16; w++) {
                        INT_LE.set(ours, 64 * b + 4 * w, out[w * lanes + b]);
                    }
                }
                Salsa20Engine salsa = new Salsa20Engine();
                salsa.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
                salsa.seekTo(counter * 64);
                byte[] theirs = new byte[64 * lanes];
                salsa.processBytes(new byte[64 * lanes], 0, theirs.length, theirs, 0);
                assertArrayEquals(theirs, ours, "keystream at block " + Long.toHexString(counter));
            }
        }
    }

    @Test
    void aBatchThatWouldCarryIntoTheHighWordIsRefused() {
        SalsaBatch batch = SalsaBatch.available();
        assertNotNull(batch);
        int[] out = new int[16 * batch.blocks()];
        long counter = 0xffff_ffffL - batch.blocks() + 2;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> batch.keystream(new int[8], 0, 0, counter, out));
        assertTrue(e.getMessage().contains("high word"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> batch.keystream(new int[8], 0, 0, 0, new int[15 * batch.blocks()]));
    }
}
