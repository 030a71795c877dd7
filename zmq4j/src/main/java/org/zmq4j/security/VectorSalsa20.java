package org.zmq4j.security;

import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Salsa20 keystream for as many consecutive blocks as the CPU's preferred {@code int} vector has
 * lanes (8 with AVX2, 16 with AVX-512, 4 with SSE or NEON), one block per lane: each of the
 * sixteen state words is a vector holding that word of every block, so the 20 rounds are the
 * scalar rounds with each {@code int} operation applied to all lanes at once. Only the counter
 * word differs between lanes. Written from Bernstein's Salsa20 specification with the JDK's
 * incubating Vector API; loaded only through {@link SalsaBatch#available()}, which checks that
 * the module is present.
 * <p>
 * For the JIT: the rounds are written out with no helper method (HotSpot's C2 stops inlining
 * ordinary methods past its node budget, and a vector passed to a method that is not inlined is
 * boxed on the heap, which made a first version slower than scalar code); the Vector API's own
 * methods are force-inlined.
 * <p>
 * Constant time: additions, XORs and constant-distance rotations only; no branch or index depends
 * on the key or the keystream. The one check is on the counter, which is public.
 * <p>
 * Stateless and thread-safe.
 */
final class VectorSalsa20 implements SalsaBatch {
    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** 0, 1, 2, ...: each lane's block offset from the batch's first counter. */
    private static final int[] LANE = new int[LANES];

    /** "expand 32-byte k", as four little-endian words. */
    private static final int C0 = 0x61707865;
    private static final int C1 = 0x3320646e;
    private static final int C2 = 0x79622d32;
    private static final int C3 = 0x6b206574;

    static {
        for (int i = 0; i < LANES; i++) {
            LANE[i] = i;
        }
    }

    @Override
    public int blocks() {
        return LANES;
    }

    /** A batch of eight blocks costs about as much as three scalar blocks (measured with AVX2). */
    @Override
    public int minRun() {
        return 128;
    }

    @Override
    public void keystream(int[] key, int n0, int n1, long counter, int[] out) {
        if ((counter & 0xffffffffL) + LANES > 0x1_0000_0000L) {
            throw new IllegalArgumentException("block counter " + counter + " would carry into its high word within a batch");
        }
        if (key.length < 8 || out.length < 16 * LANES) {
            throw new IllegalArgumentException("a batch needs an 8-word key and " + 16 * LANES + " words of output");
        }
        IntVector x0 = IntVector.broadcast(SPECIES, C0);
        IntVector x1 = IntVector.broadcast(SPECIES, key[0]);
        IntVector x2 = IntVector.broadcast(SPECIES, key[1]);
        IntVector x3 = IntVector.broadcast(SPECIES, key[2]);
        IntVector x4 = IntVector.broadcast(SPECIES, key[3]);
        IntVector x5 = IntVector.broadcast(SPECIES, C1);
        IntVector x6 = IntVector.broadcast(SPECIES, n0);
        IntVector x7 = IntVector.broadcast(SPECIES, n1);
        IntVector j8 = IntVector.broadcast(SPECIES, (int) counter).add(IntVector.fromArray(SPECIES, LANE, 0));
        IntVector x8 = j8;
        IntVector x9 = IntVector.broadcast(SPECIES, (int) (counter >>> 32));
        IntVector x10 = IntVector.broadcast(SPECIES, C2);
        IntVector x11 = IntVector.broadcast(SPECIES, key[4]);
        IntVector x12 = IntVector.broadcast(SPECIES, key[5]);
        IntVector x13 = IntVector.broadcast(SPECIES, key[6]);
        IntVector x14 = IntVector.broadcast(SPECIES, key[7]);
        IntVector x15 = IntVector.broadcast(SPECIES, C3);
        for (int i = 0; i < 10; i++) {
            // columns
            x4 = x4.lanewise(XOR, x0.add(x12).lanewise(ROL, 7));
            x8 = x8.lanewise(XOR, x4.add(x0).lanewise(ROL, 9));
            x12 = x12.lanewise(XOR, x8.add(x4).lanewise(ROL, 13));
            x0 = x0.lanewise(XOR, x12.add(x8).lanewise(ROL, 18));
            x9 = x9.lanewise(XOR, x5.add(x1).lanewise(ROL, 7));
            x13 = x13.lanewise(XOR, x9.add(x5).lanewise(ROL, 9));
            x1 = x1.lanewise(XOR, x13.add(x9).lanewise(ROL, 13));
            x5 = x5.lanewise(XOR, x1.add(x13).lanewise(ROL, 18));
            x14 = x14.lanewise(XOR, x10.add(x6).lanewise(ROL, 7));
            x2 = x2.lanewise(XOR, x14.add(x10).lanewise(ROL, 9));
            x6 = x6.lanewise(XOR, x2.add(x14).lanewise(ROL, 13));
            x10 = x10.lanewise(XOR, x6.add(x2).lanewise(ROL, 18));
            x3 = x3.lanewise(XOR, x15.add(x11).lanewise(ROL, 7));
            x7 = x7.lanewise(XOR, x3.add(x15).lanewise(ROL, 9));
            x11 = x11.lanewise(XOR, x7.add(x3).lanewise(ROL, 13));
            x15 = x15.lanewise(XOR, x11.add(x7).lanewise(ROL, 18));
            // rows
            x1 = x1.lanewise(XOR, x0.add(x3).lanewise(ROL, 7));
            x2 = x2.lanewise(XOR, x1.add(x0).lanewise(ROL, 9));
            x3 = x3.lanewise(XOR, x2.add(x1).lanewise(ROL, 13));
            x0 = x0.lanewise(XOR, x3.add(x2).lanewise(ROL, 18));
            x6 = x6.lanewise(XOR, x5.add(x4).lanewise(ROL, 7));
            x7 = x7.lanewise(XOR, x6.add(x5).lanewise(ROL, 9));
            x4 = x4.lanewise(XOR, x7.add(x6).lanewise(ROL, 13));
            x5 = x5.lanewise(XOR, x4.add(x7).lanewise(ROL, 18));
            x11 = x11.lanewise(XOR, x10.add(x9).lanewise(ROL, 7));
            x8 = x8.lanewise(XOR, x11.add(x10).lanewise(ROL, 9));
            x9 = x9.lanewise(XOR, x8.add(x11).lanewise(ROL, 13));
            x10 = x10.lanewise(XOR, x9.add(x8).lanewise(ROL, 18));
            x12 = x12.lanewise(XOR, x15.add(x14).lanewise(ROL, 7));
            x13 = x13.lanewise(XOR, x12.add(x15).lanewise(ROL, 9));
            x14 = x14.lanewise(XOR, x13.add(x12).lanewise(ROL, 13));
            x15 = x15.lanewise(XOR, x14.add(x13).lanewise(ROL, 18));
        }
        x0.add(C0).intoArray(out, 0 * LANES);
        x1.add(key[0]).intoArray(out, 1 * LANES);
        x2.add(key[1]).intoArray(out, 2 * LANES);
        x3.add(key[2]).intoArray(out, 3 * LANES);
        x4.add(key[3]).intoArray(out, 4 * LANES);
        x5.add(C1).intoArray(out, 5 * LANES);
        x6.add(n0).intoArray(out, 6 * LANES);
        x7.add(n1).intoArray(out, 7 * LANES);
        x8.add(j8).intoArray(out, 8 * LANES);
        x9.add((int) (counter >>> 32)).intoArray(out, 9 * LANES);
        x10.add(C2).intoArray(out, 10 * LANES);
        x11.add(key[4]).intoArray(out, 11 * LANES);
        x12.add(key[5]).intoArray(out, 12 * LANES);
        x13.add(key[6]).intoArray(out, 13 * LANES);
        x14.add(key[7]).intoArray(out, 14 * LANES);
        x15.add(C3).intoArray(out, 15 * LANES);
    }
}
