package org.zmq4j.security;

import java.util.Locale;

/**
 * Salsa20 keystream for several consecutive blocks at once, computed side by side in SIMD lanes
 * (one block per lane). {@link XSalsa20Poly1305} uses it for the long runs of whole blocks in a
 * box and keeps its scalar core for the first block, short texts and HSalsa20.
 * <p>
 * The one implementation, {@code VectorSalsa20}, is written with the JDK's Vector API, an
 * incubating module in JDK 17 ({@code jdk.incubator.vector}). zmq4j does not require it: the
 * batch is used only when the running JVM has resolved that module (the application was started
 * with {@code --add-modules jdk.incubator.vector}), its preferred vectors hold at least four
 * {@code int}s, and the system property {@value #PROPERTY} is not {@code false}. Otherwise
 * {@link #available()} returns null and boxes stay scalar. Both paths produce the same bytes; the
 * test suite compares them.
 * <p>
 * Implementations are stateless and thread-safe: all state is in the arguments.
 */
interface SalsaBatch {
    /** The system property that turns the vector path off ({@code false}); read when a box is made. */
    String PROPERTY = "org.zmq4j.curve.vector";

    /**
     * How many consecutive blocks one {@link #keystream} call computes (the vector lane count).
     *
     * @return 4, 8 or 16
     */
    int blocks();

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
     * The batch the running JVM can use, or null (see the type's description).
     *
     * @return a shared, stateless batch, or null when boxes should stay scalar
     * @throws IllegalArgumentException when {@value #PROPERTY} is neither {@code true} nor {@code false}
     */
    static SalsaBatch available() {
        String value = System.getProperty(PROPERTY, "true").trim().toLowerCase(Locale.ROOT);
        if (value.equals("false")) {
            return null;
        }
        if (!value.equals("true") && !value.isEmpty()) {
            throw new IllegalArgumentException(PROPERTY + " is '" + value + "': expected true or false");
        }
        return Loaded.BATCH;
    }

    /** Looks the Vector API up once; holds the batch or null. */
    final class Loaded {
        static final SalsaBatch BATCH = load();

        private Loaded() {
        }

        private static SalsaBatch load() {
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
}
