package org.zmq4j.security;

/**
 * Salsa20 keystream for sixteen consecutive blocks at once, written as plain loops that HotSpot's
 * C2 compiler turns into SIMD code by itself (its "superword" auto-vectorisation), so it needs no
 * incubating module. The sixteen state words of the sixteen blocks are held word-major in one
 * {@code int[]} (word w of block b at {@code 16 * w + b}); each quarter round is one loop over the
 * blocks, whose four statements the compiler applies to eight blocks at a time with AVX2. Written
 * from Bernstein's Salsa20 specification; {@link XSalsa20Poly1305} uses it for long runs of whole
 * blocks when the Vector API ({@link VectorSalsa20}) is not there.
 * <p>
 * For the JIT: each loop's body is small enough for C2 to unroll and pack; every array access is
 * the loop index plus a constant, so the compiler can prove the loops' stores and loads do not
 * overlap; and the trip count is read from a field rather than
 * written as a constant, so C2 keeps the loops (which it vectorises) instead of unrolling them into
 * scalar code. Sixteen blocks, because with eight the vectorised loop body (sixteen {@code int}s a
 * pass with AVX2) never runs and the loops are no faster than the scalar core. Interpreted or
 * compiled by C1 it is about four times slower than the scalar core; {@link XSalsa20Poly1305} uses
 * it only for texts long enough to pay once compiled.
 * <p>
 * Constant time: additions, XORs and constant-distance rotations only; no branch or index depends
 * on the key or the keystream. The loops' trip counts and the one check are on the block count and
 * the counter, which are public.
 * <p>
 * Stateless and thread-safe: all state is in the arguments.
 */
final class LoopSalsa20 implements SalsaBatch {
    /** Blocks per batch: enough for C2's vectorised loop bodies to run at least once with AVX2. */
    static final int BLOCKS = 16;

    /** "expand 32-byte k", as four little-endian words. */
    private static final int C0 = 0x61707865;
    private static final int C1 = 0x3320646e;
    private static final int C2 = 0x79622d32;
    private static final int C3 = 0x6b206574;

    /** {@link #BLOCKS}, read as a field so that the JIT does not treat the loops' trip count as a constant. */
    private final int lanes = BLOCKS;

    @Override
    public int blocks() {
        return BLOCKS;
    }

    /**
     * A batch of sixteen blocks costs about as much as ten or eleven scalar blocks (measured in a
     * box with AVX2: sealing 705 bytes takes the same time either way, 1025 bytes 10-20% less).
     */
    @Override
    public int minRun() {
        return 640;
    }

    @Override
    public void keystream(int[] key, int n0, int n1, long counter, int[] out) {
        if ((counter & 0xffffffffL) + BLOCKS > 0x1_0000_0000L) {
            throw new IllegalArgumentException("block counter " + counter + " would carry into its high word within a batch");
        }
        if (key.length < 8 || out.length < 16 * BLOCKS) {
            throw new IllegalArgumentException("a batch needs an 8-word key and " + 16 * BLOCKS + " words of output");
        }
        int n = lanes;
        int low = (int) counter;
        int high = (int) (counter >>> 32);
        load(out, n, key, n0, n1, low, high);
        rounds(out, n);
        feedForward(out, n, key, n0, n1, low, high);
    }

    /**
     * The sixteen input words of every block: all equal but word 8, the block counter's low word.
     * For the JIT, the fifteen equal words are one loop and the counter another: JDK 17's C2 does
     * not vectorise a loop that uses its index as a value, and the key is read into locals first,
     * as a store into {@code x} could, for all the JIT knows, change {@code key}.
     */
    private static void load(int[] x, int n, int[] key, int n0, int n1, int low, int high) {
        int k0 = key[0];
        int k1 = key[1];
        int k2 = key[2];
        int k3 = key[3];
        int k4 = key[4];
        int k5 = key[5];
        int k6 = key[6];
        int k7 = key[7];
        for (int b = 0; b < n; b++) {
            x[b] = C0;
            x[16 + b] = k0;
            x[32 + b] = k1;
            x[48 + b] = k2;
            x[64 + b] = k3;
            x[80 + b] = C1;
            x[96 + b] = n0;
            x[112 + b] = n1;
            x[144 + b] = high;
            x[160 + b] = C2;
            x[176 + b] = k4;
            x[192 + b] = k5;
            x[208 + b] = k6;
            x[224 + b] = k7;
            x[240 + b] = C3;
        }
        for (int b = 0; b < n; b++) {
            x[128 + b] = low + b;
        }
    }

    /**
     * Salsa20's ten double rounds over the {@code n} blocks in {@code x}. Written out, one loop per
     * quarter round with its offsets as literals, so they are constants whatever the JIT decides to
     * inline: a form with a helper method taking the offsets as arguments was as fast in a
     * one-thread harness but gained nothing end to end (five alternated rounds of
     * {@code CurveThroughput}, session 14); the loops only vectorise when C2 sees the offsets as
     * constants.
     */
    private static void rounds(int[] x, int n) {
        for (int i = 0; i < 10; i++) {
            // columns
            for (int b = 0; b < n; b++) {
                x[64 + b] ^= Integer.rotateLeft(x[b] + x[192 + b], 7);
                x[128 + b] ^= Integer.rotateLeft(x[64 + b] + x[b], 9);
                x[192 + b] ^= Integer.rotateLeft(x[128 + b] + x[64 + b], 13);
                x[b] ^= Integer.rotateLeft(x[192 + b] + x[128 + b], 18);
            }
            for (int b = 0; b < n; b++) {
                x[144 + b] ^= Integer.rotateLeft(x[80 + b] + x[16 + b], 7);
                x[208 + b] ^= Integer.rotateLeft(x[144 + b] + x[80 + b], 9);
                x[16 + b] ^= Integer.rotateLeft(x[208 + b] + x[144 + b], 13);
                x[80 + b] ^= Integer.rotateLeft(x[16 + b] + x[208 + b], 18);
            }
            for (int b = 0; b < n; b++) {
                x[224 + b] ^= Integer.rotateLeft(x[160 + b] + x[96 + b], 7);
                x[32 + b] ^= Integer.rotateLeft(x[224 + b] + x[160 + b], 9);
                x[96 + b] ^= Integer.rotateLeft(x[32 + b] + x[224 + b], 13);
                x[160 + b] ^= Integer.rotateLeft(x[96 + b] + x[32 + b], 18);
            }
            for (int b = 0; b < n; b++) {
                x[48 + b] ^= Integer.rotateLeft(x[240 + b] + x[176 + b], 7);
                x[112 + b] ^= Integer.rotateLeft(x[48 + b] + x[240 + b], 9);
                x[176 + b] ^= Integer.rotateLeft(x[112 + b] + x[48 + b], 13);
                x[240 + b] ^= Integer.rotateLeft(x[176 + b] + x[112 + b], 18);
            }
            // rows
            for (int b = 0; b < n; b++) {
                x[16 + b] ^= Integer.rotateLeft(x[b] + x[48 + b], 7);
                x[32 + b] ^= Integer.rotateLeft(x[16 + b] + x[b], 9);
                x[48 + b] ^= Integer.rotateLeft(x[32 + b] + x[16 + b], 13);
                x[b] ^= Integer.rotateLeft(x[48 + b] + x[32 + b], 18);
            }
            for (int b = 0; b < n; b++) {
                x[96 + b] ^= Integer.rotateLeft(x[80 + b] + x[64 + b], 7);
                x[112 + b] ^= Integer.rotateLeft(x[96 + b] + x[80 + b], 9);
                x[64 + b] ^= Integer.rotateLeft(x[112 + b] + x[96 + b], 13);
                x[80 + b] ^= Integer.rotateLeft(x[64 + b] + x[112 + b], 18);
            }
            for (int b = 0; b < n; b++) {
                x[176 + b] ^= Integer.rotateLeft(x[160 + b] + x[144 + b], 7);
                x[128 + b] ^= Integer.rotateLeft(x[176 + b] + x[160 + b], 9);
                x[144 + b] ^= Integer.rotateLeft(x[128 + b] + x[176 + b], 13);
                x[160 + b] ^= Integer.rotateLeft(x[144 + b] + x[128 + b], 18);
            }
            for (int b = 0; b < n; b++) {
                x[192 + b] ^= Integer.rotateLeft(x[240 + b] + x[224 + b], 7);
                x[208 + b] ^= Integer.rotateLeft(x[192 + b] + x[240 + b], 9);
                x[224 + b] ^= Integer.rotateLeft(x[208 + b] + x[192 + b], 13);
                x[240 + b] ^= Integer.rotateLeft(x[224 + b] + x[208 + b], 18);
            }
        }
    }

    /**
     * Adds each block's input words to its output (Salsa20's final addition), in loops split as in
     * {@link #load}, reading the key into locals again: one method holding both loops and the key
     * locals once measured slower in session 14 (median 140 against 119 ns a block, ten processes
     * each).
     */
    private static void feedForward(int[] x, int n, int[] key, int n0, int n1, int low, int high) {
        int k0 = key[0];
        int k1 = key[1];
        int k2 = key[2];
        int k3 = key[3];
        int k4 = key[4];
        int k5 = key[5];
        int k6 = key[6];
        int k7 = key[7];
        for (int b = 0; b < n; b++) {
            x[b] += C0;
            x[16 + b] += k0;
            x[32 + b] += k1;
            x[48 + b] += k2;
            x[64 + b] += k3;
            x[80 + b] += C1;
            x[96 + b] += n0;
            x[112 + b] += n1;
            x[144 + b] += high;
            x[160 + b] += C2;
            x[176 + b] += k4;
            x[192 + b] += k5;
            x[208 + b] += k6;
            x[224 + b] += k7;
            x[240 + b] += C3;
        }
        for (int b = 0; b < n; b++) {
            x[128 + b] += low + b;
        }
    }
}
