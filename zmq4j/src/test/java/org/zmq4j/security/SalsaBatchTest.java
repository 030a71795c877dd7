package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both keystream batches ({@link VectorSalsa20} and {@link LoopSalsa20}) against Bouncy Castle's
 * Salsa20 at chosen block counters, and the switch between them. This suite's JVM runs with
 * {@code --add-modules jdk.incubator.vector} (zmq4j/pom.xml), so the vector batch must be present:
 * were the module dropped, the vector path would silently go untested, and this test fails instead.
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
    void thePropertyChoosesTheBatchAndRefusesOtherValues() {
        CurveCrypto.useVectorSwitch("false");
        assertNull(SalsaBatch.available());
        CurveCrypto.useVectorSwitch("TRUE");
        assertInstanceOf(VectorSalsa20.class, SalsaBatch.available());
        CurveCrypto.useVectorSwitch(" Loops");
        assertInstanceOf(LoopSalsa20.class, SalsaBatch.available());
        CurveCrypto.useVectorSwitch("sometimes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SalsaBatch::available);
        assertTrue(e.getMessage().contains(SalsaBatch.PROPERTY) && e.getMessage().contains("sometimes"), e.getMessage());
    }

    @Test
    void withoutTheVectorModuleTheLoopsAreUsedWhereTheJitVectorisesThem() {
        SalsaBatch vector = new VectorSalsa20();
        SalsaBatch loops = new LoopSalsa20();
        Supplier<SalsaBatch> notAskedFor = () -> {
            throw new AssertionError("the loop batch was looked up");
        };
        assertSame(vector, SalsaBatch.choose("true", vector, notAskedFor, () -> true));
        assertSame(vector, SalsaBatch.choose("", vector, notAskedFor, () -> false));
        assertSame(loops, SalsaBatch.choose("true", null, () -> loops, () -> true));
        assertNull(SalsaBatch.choose("true", null, notAskedFor, () -> false));
        assertSame(loops, SalsaBatch.choose("loops", vector, () -> loops, () -> false));
        assertNull(SalsaBatch.choose("false", vector, notAskedFor, () -> true));
    }

    @Test
    void theLoopsAreUsedOnlyWhereMeasuredToPay() {
        String hotspot = "OpenJDK 64-Bit Server VM";
        assertTrue(SalsaBatch.Loops.pays(hotspot, 17, List.of("-Xmx512m", "--add-modules=x")));
        assertTrue(SalsaBatch.Loops.pays("Java HotSpot(TM) 64-Bit Server VM", 17, List.of("-XX:TieredStopAtLevel=4")));
        assertFalse(SalsaBatch.Loops.pays(hotspot, 25, List.of()));
        assertFalse(SalsaBatch.Loops.pays("Eclipse OpenJ9 VM", 17, List.of()));
        assertFalse(SalsaBatch.Loops.pays("OpenJDK Client VM", 17, List.of()));
        for (String off : List.of("-Xint", "-XX:-UseSuperWord", "-XX:+UseJVMCICompiler", "-XX:-UseCompiler",
                "-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=3")) {
            assertFalse(SalsaBatch.Loops.pays(hotspot, 17, List.of("-Xmx1g", off)), off);
        }
        assertEquals(Runtime.version().feature() == 17 && System.getProperty("java.vm.name").contains("Server VM"),
                SalsaBatch.Loops.PAY, System.getProperty("java.vm.name") + " " + Runtime.version());
    }

    static List<SalsaBatch> batches() {
        return List.of(new VectorSalsa20(), new LoopSalsa20());
    }

    @ParameterizedTest
    @MethodSource("batches")
    void keystreamMatchesBouncyCastleAtEveryKindOfCounter(SalsaBatch batch) {
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

    @ParameterizedTest
    @MethodSource("batches")
    void aBatchThatWouldCarryIntoTheHighWordIsRefused(SalsaBatch batch) {
        int[] out = new int[16 * batch.blocks()];
        long counter = 0xffff_ffffL - batch.blocks() + 2;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> batch.keystream(new int[8], 0, 0, counter, out));
        assertTrue(e.getMessage().contains("high word"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> batch.keystream(new int[8], 0, 0, 0, new int[15 * batch.blocks()]));
    }
}
