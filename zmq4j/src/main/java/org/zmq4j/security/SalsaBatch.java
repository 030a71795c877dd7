package org.zmq4j.security;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Salsa20 keystream for several consecutive blocks at once, computed side by side in SIMD lanes
 * (one block per lane). {@link XSalsa20Poly1305} uses it for the long runs of whole blocks in a
 * box and keeps its scalar core for the first block, short texts and HSalsa20.
 * <p>
 * Two implementations:
 * <ul>
 * <li>{@code VectorSalsa20}, written with the JDK's Vector API, an incubating module in JDK 17
 * ({@code jdk.incubator.vector}). zmq4j does not require the module: this batch is used only when
 * the running JVM has resolved it (the application was started with
 * {@code --add-modules jdk.incubator.vector}) and its preferred vectors hold at least four
 * {@code int}s.</li>
 * <li>{@code LoopSalsa20}, plain loops that HotSpot's C2 compiler vectorises by itself. Slower
 * than the Vector API, faster than the scalar core on long texts; used without the module when
 * the JVM is HotSpot's server VM of JDK 17 with its C2 compiler and auto-vectorisation on, where
 * it was measured to pay (on other JVMs, or under {@code -Xint}, {@code -XX:TieredStopAtLevel=1..3}
 * or {@code -XX:-UseSuperWord}, the loops would run as scalar code slower than the scalar core; on
 * JDK 25 they were no faster than it; boxes stay scalar there).</li>
 * </ul>
 * The system property {@value #PROPERTY} chooses: {@code true} (the default) for the first of the
 * two the JVM can use, {@code loops} for the loops even where the Vector API is there, {@code false}
 * for the scalar core only. All paths produce the same bytes; the test suite compares them.
 * <p>
 * Implementations are stateless and thread-safe: all state is in the arguments.
 */
interface SalsaBatch {
    /** The system property that chooses the batch (true, loops or false); read when a box is made. */
    String PROPERTY = "org.zmq4j.curve.vector";

    /**
     * How many consecutive blocks one {@link #keystream} call computes (the vector lane count).
     *
     * @return 4, 8 or 16
     */
    int blocks();

    /**
     * The shortest run of keystream, in bytes from a block boundary, for which a batch is cheaper
     * than the scalar core; shorter runs stay scalar.
     *
     * @return a byte count, at least 64
     */
    int minRun();

    /**
     * Salsa20 keystream blocks {@code counter .. counter + blocks() - 1} under a Salsa20 key and
     * an 8-byte nonce, written word-major: word w of block b (counted from {@code counter}) goes
     * to {@code out[w * blocks() + b]}.
     *
     * @param key     the Salsa20 key, eight little-endian words
     * @param n0      nonce bytes 0-3, little-endian
     * @param n1      nonce bytes 4-7, little-endian
     * @param counter the first block's 64-bit counter; the low word must not wrap within the batch
     * @param out     at least {@code 16 * blocks()} words
     * @throws IllegalArgumentException when the counter's low word would wrap within the batch
     */
    void keystream(int[] key, int n0, int n1, long counter, int[] out);

    /**
     * The batch {@value #PROPERTY} asks for and the running JVM can use, or null (see the type's
     * description).
     *
     * @return a shared, stateless batch, or null when boxes should stay scalar
     * @throws IllegalArgumentException when {@value #PROPERTY} is not {@code true}, {@code loops}
     *                                  or {@code false}
     */
    static SalsaBatch available() {
        return choose(System.getProperty(PROPERTY, "true"), Loaded.VECTOR, () -> Loops.BATCH, () -> Loops.PAY);
    }

    /**
     * The choice {@link #available()} makes, apart from the JVM it runs in. The loop batch is only
     * asked for when it may be chosen, so a JVM using the Vector API never loads it.
     *
     * @param value     the property's value
     * @param vector    the Vector API batch, or null when the JVM has not resolved the module
     * @param loops     the loop batch
     * @param loopsPay  whether the JIT vectorises the loops (HotSpot's C2 with auto-vectorisation)
     * @return the batch, or null for the scalar core
     * @throws IllegalArgumentException when the value is not {@code true}, {@code loops} or {@code false}
     */
    static SalsaBatch choose(String value, SalsaBatch vector, Supplier<SalsaBatch> loops, BooleanSupplier loopsPay) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "false":
                return null;
            case "loops":
                return loops.get();
            case "true":
            case "":
                return vector != null ? vector : loopsPay.getAsBoolean() ? loops.get() : null;
            default:
                throw new IllegalArgumentException(PROPERTY + " is '" + value + "': expected true, loops or false");
        }
    }

    /** Looks the Vector API up once; holds its batch or null. */
    final class Loaded {
        static final SalsaBatch VECTOR = vector();

        private Loaded() {
        }

        private static SalsaBatch vector() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return null;
            }
            try {
                SalsaBatch batch = new VectorSalsa20();
                return batch.blocks() >= 4 ? batch : null;
            } catch (LinkageError e) {
                return null;
            }
        }
    }

    /** The loop batch, and whether this JVM's JIT turns it into SIMD code; looked up once, when first asked for. */
    final class Loops {
        static final SalsaBatch BATCH = new LoopSalsa20();
        static final boolean PAY = pays(System.getProperty("java.vm.name", ""), Runtime.version().feature(), jvmOptions());

        private Loops() {
        }

        /** The JVM's command-line options, or none when a security policy withholds them. */
        private static List<String> jvmOptions() {
            try {
                return ManagementFactory.getRuntimeMXBean().getInputArguments();
            } catch (SecurityException e) {
                return List.of();
            }
        }

        /**
         * Whether the loops pay on a JVM of this name and Java version, started with these options:
         * HotSpot's C2 with its auto-vectorisation ("superword") on, in JDK 17. Measured there, a
         * 1 KiB box is 10-20% faster than scalar; with Temurin 25, whose C2 unrolls these loops
         * further than sixteen blocks fill, no faster. Other versions keep the scalar core unless
         * {@value SalsaBatch#PROPERTY}{@code =loops} asks for the loops.
         */
        static boolean pays(String vmName, int javaVersion, List<String> jvmOptions) {
            if (!vmName.contains("Server VM") || javaVersion != 17) {
                return false;
            }
            for (String option : jvmOptions) {
                if (option.equals("-Xint") || option.equals("-XX:-UseSuperWord") || option.equals("-XX:+UseJVMCICompiler")
                        || option.equals("-XX:-UseCompiler") || option.matches("-XX:TieredStopAtLevel=[0-3]")) {
                    return false;
                }
            }
            return true;
        }
    }
}
