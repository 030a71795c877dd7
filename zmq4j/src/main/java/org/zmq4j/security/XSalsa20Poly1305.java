package org.zmq4j.security;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The project's own {@code crypto_secretbox}: XSalsa20 (with its HSalsa20 key derivation) and
 * Poly1305, written from the specifications (Bernstein's "Salsa20 specification", "Extending the
 * Salsa20 nonce", "The Poly1305-AES message-authentication code", NaCl's {@code crypto_secretbox}
 * construction) and checked against NaCl's published vectors, Bouncy Castle and libsodium by the
 * test suite. It is the default implementation of {@link SecretBox}.
 * <p>
 * <b>Construction.</b> For a key k and a 24-byte nonce n: the Salsa20 key is
 * HSalsa20(k, n[0..16]); the keystream is Salsa20 of that key with n[16..24] as its nonce and a
 * 64-bit block counter from 0; keystream bytes 0-31 are the one-time Poly1305 key (r, s); the
 * plaintext is XORed with keystream bytes from 32 on; the tag is Poly1305 of the ciphertext.
 * CurveZMQ's MESSAGE nonces share their first 16 bytes per direction (the short nonce is in bytes
 * 16-23), so the box keeps the last HSalsa20 output and recomputes it only when those 16 bytes
 * change: one Salsa20 core fewer per message. Nonces are public; comparing them is not a leak.
 * <p>
 * <b>For the JIT.</b> The Salsa20 state lives in sixteen local {@code int}s through the 20 rounds
 * (no arrays inside the rounds); whole 64-byte blocks are XORed eight bytes at a time through a
 * little-endian {@link VarHandle} view of the byte arrays. Poly1305 keeps its accumulator in
 * three {@code long} locals for the whole message and multiplies 64-bit limbs, four
 * 64x64-to-128-bit products per 16-byte block with {@link Math#multiplyHigh} (measured 12-18%
 * faster on 1 KiB than the five 26-bit limbs of poly1305-donna's 32-bit form, which this class
 * first used).
 * <p>
 * <b>Vector lanes.</b> Runs of whole blocks long enough to pay ({@link SalsaBatch#minRun()}
 * bytes from a block boundary) take their keystream from a {@link SalsaBatch}, several blocks side
 * by side in SIMD lanes: with {@code --add-modules jdk.incubator.vector}, eight blocks in AVX2 lanes
 * (four with SSE or NEON, sixteen with AVX-512) from more than 128 bytes on, measured at about 63
 * ns a block against 210 ns for the scalar core; without it, on HotSpot of JDK 17, sixteen blocks
 * in loops the JIT vectorises, from more than 640 bytes on (a 1 KiB box 10-20% faster than
 * scalar). The first block (the Poly1305 key and 32 text bytes), short texts and HSalsa20 stay
 * scalar. The system property {@value SalsaBatch#PROPERTY}{@code =false} turns the lanes off.
 * <p>
 * <b>Constant time.</b> Nothing here branches on, or indexes an array with, a value derived from
 * the key, the keystream, the plaintext or a tag:
 * <ul>
 * <li>Salsa20 and HSalsa20 are additions, XORs and constant-distance rotations of {@code int}s;</li>
 * <li>Poly1305's clamping is a mask; its carries are computed from the operands' and the sum's top
 * bits with AND, OR and a shift, not with a comparison; the unsigned correction of
 * {@link Math#multiplyHigh} is a sign mask; the final reduction modulo 2^130 - 5 selects between
 * h and h - p with a mask computed from the sign bit, not with a branch; 64-bit multiplication
 * takes the same time for all operands on the x86-64 and AArch64 CPUs HotSpot runs on;</li>
 * <li>the tag check ORs the XOR of all sixteen byte pairs together and tests only the final
 * result, which is public (the box is accepted or refused);</li>
 * <li>array indices and loop bounds depend only on offsets and lengths, which are public (they
 * are on the wire); the choice to recompute HSalsa20 depends only on the nonce, which is public.</li>
 * </ul>
 * Java on HotSpot gives no formal guarantee, but the JIT does not introduce data-dependent branches
 * into straight-line integer arithmetic of this kind.
 * <p>
 * Not thread-safe: an instance reuses its Salsa20 state, scratch blocks (the batch's keystream
 * among them) and the cached HSalsa20 output; one connection's thread owns it.
 */
final class XSalsa20Poly1305 implements SecretBox {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** "expand 32-byte k", as four little-endian words. */
    private static final int C0 = 0x61707865;
    private static final int C1 = 0x3320646e;
    private static final int C2 = 0x79622d32;
    private static final int C3 = 0x6b206574;

    private static final int TAG = 16;

    /** Our key, eight little-endian words. */
    private final int[] key = new int[8];
    /** The Salsa20 key of the cached nonce prefix: HSalsa20(key, prefix). */
    private final int[] subkey = new int[8];
    /** The nonce prefix (bytes 0-15) {@link #subkey} was derived from; valid when {@link #cached}. */
    private final byte[] prefix = new byte[16];
    private boolean cached;
    /** Salsa20 working state: input words, then the block's output words. */
    private final int[] x = new int[16];
    /** Keystream block 0 of the current nonce (the Poly1305 key, then 32 bytes for the text). */
    private final byte[] block0 = new byte[64];
    /** A keystream block for partial blocks. */
    private final byte[] partial = new byte[64];
    /** The last partial Poly1305 block, padded. */
    private final byte[] pad = new byte[16];
    /** A computed tag, for comparison. */
    private final byte[] tag = new byte[TAG];
    /** The nonce words 16-19 and 20-23 of the current box. */
    private int n0;
    private int n1;
    /** Several keystream blocks at once in SIMD lanes, or null (scalar only); used for runs longer than its {@link SalsaBatch#minRun()}. */
    private final SalsaBatch batch;
    /**
     * The batch's keystream, word-major (see {@link SalsaBatch#keystream}); made at the first long
     * text, so connections that only carry short messages (or are idle) do not hold its 512 bytes
     * (1 KiB with AVX-512 or the loops).
     */
    private int[] wide = new int[0];
    /** Whether {@link #wide} holds keystream of the current box (to wipe only then). */
    private boolean wideUsed;
    /** Whether {@link #partial} holds keystream of the current box (to wipe only then). */
    private boolean partialUsed;

    /**
     * A box using the vector batch when {@link SalsaBatch#available()} offers one.
     *
     * @param key 32 bytes, copied
     * @throws IllegalArgumentException when the key is not 32 bytes, or {@value SalsaBatch#PROPERTY}
     *                                  holds a value other than true or false
     */
    XSalsa20Poly1305(byte[] key) {
        this(key, SalsaBatch.available());
    }

    /**
     * @param key   32 bytes, copied
     * @param batch the keystream batch for runs of whole blocks, or null for the scalar core only
     * @throws IllegalArgumentException when the key is not 32 bytes
     */
    XSalsa20Poly1305(byte[] key, SalsaBatch batch) {
        this.batch = batch;
        if (key.length != 32) {
            throw new IllegalArgumentException("a box key is 32 bytes, got " + key.length);
        }
        for (int i = 0; i < 8; i++) {
            this.key[i] = (int) INT_LE.get(key, 4 * i);
        }
    }

    // ------------------------------------------------------------------ SecretBox

    @Override
    public void seal(byte[] nonce, byte[] buf, int offset, int length) {
        checkRange(buf, offset, TAG + length);
        start(nonce);
        int text = offset + TAG;
        xorStream(buf, text, buf, text, length, 0);
        poly1305(buf, text, length, block0, buf, offset);
        wipeScratch();
    }

    @Override
    public boolean open(byte[] nonce, byte[] box, int offset, int length, byte[] header, byte[] rest) {
        if (length < TAG + header.length || rest.length != length - TAG - header.length) {
            throw new IllegalArgumentException("a " + length + "-byte box has no room for a " + header.length
                    + "-byte header and " + rest.length + " more bytes");
        }
        checkRange(box, offset, length);
        start(nonce);
        int text = offset + TAG;
        int textLength = length - TAG;
        poly1305(box, text, textLength, block0, tag, 0);
        int diff = 0;
        for (int i = 0; i < TAG; i++) {
            diff |= tag[i] ^ box[offset + i];
        }
        LONG_LE.set(tag, 0, 0L);
        LONG_LE.set(tag, 8, 0L);
        if (diff != 0) {
            wipeScratch();
            return false;
        }
        xorStream(box, text, header, 0, header.length, 0);
        xorStream(box, text + header.length, rest, 0, rest.length, header.length);
        wipeScratch();
        return true;
    }

    @Override
    public void destroy() {
        Arrays.fill(key, 0);
        Arrays.fill(subkey, 0);
        Arrays.fill(x, 0);
        cached = false;
        wipeScratch();
    }

    /** The batch runs of whole blocks use, or null (scalar only). */
    SalsaBatch batch() {
        return batch;
    }

    @Override
    public byte[] hsalsa20(byte[] k, byte[] input) {
        return derive(k, input);
    }

    /**
     * HSalsa20 ({@code crypto_core_hsalsa20} with the constant "expand 32-byte k").
     *
     * @param k     32-byte key
     * @param input 16-byte input
     * @return the 32-byte output
     */
    static byte[] derive(byte[] k, byte[] input) {
        if (k.length != 32 || input.length != 16) {
            throw new IllegalArgumentException("HSalsa20 takes a 32-byte key and a 16-byte input");
        }
        int[] keyWords = new int[8];
        for (int i = 0; i < 8; i++) {
            keyWords[i] = (int) INT_LE.get(k, 4 * i);
        }
        int[] out = new int[8];
        int[] state = new int[16];
        hsalsa20(keyWords, input, state, out);
        byte[] result = new byte[32];
        for (int i = 0; i < 8; i++) {
            INT_LE.set(result, 4 * i, out[i]);
        }
        Arrays.fill(keyWords, 0);
        Arrays.fill(out, 0);
        Arrays.fill(state, 0);
        return result;
    }

    // ------------------------------------------------------------------ XSalsa20

    /** Derives (or reuses) the Salsa20 key for {@code nonce}, and computes keystream block 0. */
    private void start(byte[] nonce) {
        if (nonce.length != 24) {
            throw new IllegalArgumentException("a box nonce is 24 bytes, got " + nonce.length);
        }
        if (!cached || !Arrays.equals(prefix, 0, 16, nonce, 0, 16)) {
            hsalsa20(key, nonce, x, subkey);
            System.arraycopy(nonce, 0, prefix, 0, 16);
            cached = true;
        }
        n0 = (int) INT_LE.get(nonce, 16);
        n1 = (int) INT_LE.get(nonce, 20);
        block(0);
        for (int i = 0; i < 16; i++) {
            INT_LE.set(block0, 4 * i, x[i]);
        }
    }

    /**
     * XORs {@code length} bytes of text at text position {@code position} (text byte 0 is
     * keystream byte 32) from {@code src} into {@code dst}; the ranges may be the same.
     */
    private void xorStream(byte[] src, int srcOff, byte[] dst, int dstOff, int length, long position) {
        long stream = position + 32;
        int done = 0;
        while (done < length) {
            long blockIndex = stream >>> 6;
            int within = (int) (stream & 63);
            if (batch != null && within == 0 && length - done > batch.minRun()) {
                if (wide.length == 0) {
                    wide = new int[16 * batch.blocks()];
                }
                int n = Math.min(wide.length * 4, length - done);
                batch.keystream(subkey, n0, n1, blockIndex, wide);
                wideUsed = true;
                xorWide(src, srcOff + done, dst, dstOff + done, n);
                done += n;
                stream += n;
                continue;
            }
            int n = Math.min(64 - within, length - done);
            if (within == 0 && n == 64) {
                block(blockIndex);
                xorBlock(src, srcOff + done, dst, dstOff + done);
            } else {
                byte[] ks;
                if (blockIndex == 0) {
                    ks = block0;
                } else {
                    block(blockIndex);
                    for (int i = 0; i < 16; i++) {
                        INT_LE.set(partial, 4 * i, x[i]);
                    }
                    ks = partial;
                    partialUsed = true;
                }
                int s = srcOff + done;
                int d = dstOff + done;
                int i = 0;
                for (; i + 8 <= n; i += 8) {
                    LONG_LE.set(dst, d + i, (long) LONG_LE.get(src, s + i) ^ (long) LONG_LE.get(ks, within + i));
                }
                for (; i < n; i++) {
                    dst[d + i] = (byte) (src[s + i] ^ ks[within + i]);
                }
            }
            done += n;
            stream += n;
        }
    }

    /**
     * XORs {@code n} bytes (at most the batch's blocks) of the batch keystream in {@link #wide}
     * over src into dst: whole blocks eight bytes at a time, joining two words of the same block
     * (lane), and a last partial block byte by byte.
     */
    private void xorWide(byte[] src, int s, byte[] dst, int d, int n) {
        int lanes = wide.length >>> 4;
        int[] w = wide;
        int whole = n >>> 6;
        for (int b = 0; b < whole; b++) {
            int so = s + 64 * b;
            int dO = d + 64 * b;
            for (int i = 0; i < 16; i += 2) {
                long ks = (w[i * lanes + b] & 0xffffffffL) | ((long) w[(i + 1) * lanes + b] << 32);
                LONG_LE.set(dst, dO + 4 * i, (long) LONG_LE.get(src, so + 4 * i) ^ ks);
            }
        }
        int so = s + 64 * whole;
        int dO = d + 64 * whole;
        for (int i = 0, tail = n & 63; i < tail; i++) {
            dst[dO + i] = (byte) (src[so + i] ^ (w[(i >>> 2) * lanes + whole] >>> ((i & 3) << 3)));
        }
    }

    /** XORs the 64 bytes of {@link #x} (a computed keystream block) over src into dst. */
    private void xorBlock(byte[] src, int s, byte[] dst, int d) {
        int[] w = x;
        for (int i = 0; i < 64; i += 8) {
            long ks = (w[i >> 2] & 0xffffffffL) | ((long) w[(i >> 2) + 1] << 32);
            LONG_LE.set(dst, d + i, (long) LONG_LE.get(src, s + i) ^ ks);
        }
    }

    /** Salsa20 block {@code counter} under {@link #subkey} and (n0, n1): the 16 output words into {@link #x}. */
    private void block(long counter) {
        load(x, subkey, n0, n1, (int) counter, (int) (counter >>> 32));
        core(x, -1);
    }

    /** HSalsa20 of key words {@code k} and {@code input[0..16]} into {@code out} (8 words), using {@code s} as state. */
    private static void hsalsa20(int[] k, byte[] input, int[] s, int[] out) {
        load(s, k, (int) INT_LE.get(input, 0), (int) INT_LE.get(input, 4), (int) INT_LE.get(input, 8), (int) INT_LE.get(input, 12));
        core(s, 0);
        out[0] = s[0];
        out[1] = s[5];
        out[2] = s[10];
        out[3] = s[15];
        out[4] = s[6];
        out[5] = s[7];
        out[6] = s[8];
        out[7] = s[9];
    }

    /** The Salsa20 input: constants, key words {@code k}, and words 6-9 (nonce and counter, or HSalsa20's input). */
    private static void load(int[] s, int[] k, int w6, int w7, int w8, int w9) {
        s[0] = C0;
        System.arraycopy(k, 0, s, 1, 4);
        s[5] = C1;
        s[6] = w6;
        s[7] = w7;
        s[8] = w8;
        s[9] = w9;
        s[10] = C2;
        System.arraycopy(k, 4, s, 11, 4);
        s[15] = C3;
    }

    /**
     * Salsa20's 20 rounds (ten double rounds) over the state, in place; the input is added back
     * when {@code feedForward} is -1 (Salsa20) and not when it is 0 (HSalsa20), by mask.
     */
    private static void core(int[] s, int feedForward) {
        int x0 = s[0], x1 = s[1], x2 = s[2], x3 = s[3], x4 = s[4], x5 = s[5], x6 = s[6], x7 = s[7];
        int x8 = s[8], x9 = s[9], x10 = s[10], x11 = s[11], x12 = s[12], x13 = s[13], x14 = s[14], x15 = s[15];
        for (int i = 0; i < 10; i++) {
            // columns
            x4 ^= Integer.rotateLeft(x0 + x12, 7);
            x8 ^= Integer.rotateLeft(x4 + x0, 9);
            x12 ^= Integer.rotateLeft(x8 + x4, 13);
            x0 ^= Integer.rotateLeft(x12 + x8, 18);
            x9 ^= Integer.rotateLeft(x5 + x1, 7);
            x13 ^= Integer.rotateLeft(x9 + x5, 9);
            x1 ^= Integer.rotateLeft(x13 + x9, 13);
            x5 ^= Integer.rotateLeft(x1 + x13, 18);
            x14 ^= Integer.rotateLeft(x10 + x6, 7);
            x2 ^= Integer.rotateLeft(x14 + x10, 9);
            x6 ^= Integer.rotateLeft(x2 + x14, 13);
            x10 ^= Integer.rotateLeft(x6 + x2, 18);
            x3 ^= Integer.rotateLeft(x15 + x11, 7);
            x7 ^= Integer.rotateLeft(x3 + x15, 9);
            x11 ^= Integer.rotateLeft(x7 + x3, 13);
            x15 ^= Integer.rotateLeft(x11 + x7, 18);
            // rows
            x1 ^= Integer.rotateLeft(x0 + x3, 7);
            x2 ^= Integer.rotateLeft(x1 + x0, 9);
            x3 ^= Integer.rotateLeft(x2 + x1, 13);
            x0 ^= Integer.rotateLeft(x3 + x2, 18);
            x6 ^= Integer.rotateLeft(x5 + x4, 7);
            x7 ^= Integer.rotateLeft(x6 + x5, 9);
            x4 ^= Integer.rotateLeft(x7 + x6, 13);
            x5 ^= Integer.rotateLeft(x4 + x7, 18);
            x11 ^= Integer.rotateLeft(x10 + x9, 7);
            x8 ^= Integer.rotateLeft(x11 + x10, 9);
            x9 ^= Integer.rotateLeft(x8 + x11, 13);
            x10 ^= Integer.rotateLeft(x9 + x8, 18);
            x12 ^= Integer.rotateLeft(x15 + x14, 7);
            x13 ^= Integer.rotateLeft(x12 + x15, 9);
            x14 ^= Integer.rotateLeft(x13 + x12, 13);
            x15 ^= Integer.rotateLeft(x14 + x13, 18);
        }
        s[0] = x0 + (s[0] & feedForward);
        s[1] = x1 + (s[1] & feedForward);
        s[2] = x2 + (s[2] & feedForward);
        s[3] = x3 + (s[3] & feedForward);
        s[4] = x4 + (s[4] & feedForward);
        s[5] = x5 + (s[5] & feedForward);
        s[6] = x6 + (s[6] & feedForward);
        s[7] = x7 + (s[7] & feedForward);
        s[8] = x8 + (s[8] & feedForward);
        s[9] = x9 + (s[9] & feedForward);
        s[10] = x10 + (s[10] & feedForward);
        s[11] = x11 + (s[11] & feedForward);
        s[12] = x12 + (s[12] & feedForward);
        s[13] = x13 + (s[13] & feedForward);
        s[14] = x14 + (s[14] & feedForward);
        s[15] = x15 + (s[15] & feedForward);
    }

    // ------------------------------------------------------------------ Poly1305

    /**
     * Poly1305 of {@code m[off, off + len)} under the one-time key {@code key[0..32]} (r, then s),
     * the 16-byte tag written to {@code out[outOff..]}. The accumulator is h0 + h1 2^64 + h2 2^128
     * (h2 at most 4 between blocks) and r is two 64-bit limbs: four 64x64-bit products a block,
     * their high halves by {@link Math#multiplyHigh} (corrected to unsigned), carries computed from
     * sign bits, the part above 2^130 folded back times 5.
     */
    void poly1305(byte[] m, int off, int len, byte[] key, byte[] out, int outOff) {
        long r0 = (long) LONG_LE.get(key, 0) & 0x0ffffffc0fffffffL;
        long r1 = (long) LONG_LE.get(key, 8) & 0x0ffffffc0ffffffcL;
        long s1 = r1 + (r1 >>> 2); // r1 2^128 = 5 (r1 / 4) modulo 2^130 - 5, r1 being a multiple of 4
        long h0 = 0;
        long h1 = 0;
        long h2 = 0;
        int end = off + len;
        int p = off;
        while (p < end) {
            long m0;
            long m1;
            long hibit;
            if (end - p >= 16) {
                m0 = (long) LONG_LE.get(m, p);
                m1 = (long) LONG_LE.get(m, p + 8);
                hibit = 1;
                p += 16;
            } else {
                int n = end - p;
                LONG_LE.set(pad, 0, 0L);
                LONG_LE.set(pad, 8, 0L);
                System.arraycopy(m, p, pad, 0, n);
                pad[n] = 1;
                m0 = (long) LONG_LE.get(pad, 0);
                m1 = (long) LONG_LE.get(pad, 8);
                hibit = 0;
                p = end;
            }
            // h += block
            long a0 = h0 + m0;
            long c = carry(h0, m0, a0);
            long a1 = h1 + m1 + c;
            c = carry(h1, m1, a1);
            h2 += hibit + c;
            h0 = a0;
            h1 = a1;

            // d = h r, folded modulo 2^130 - 5: d0 = h0 r0 + h1 s1, d1 = h0 r1 + h1 r0 + h2 s1, d2 = h2 r0
            long lo = h0 * r0;
            long x = h1 * s1;
            long d0 = lo + x;
            long d0hi = mulhi(h0, r0) + mulhi(h1, s1) + carry(lo, x, d0);
            lo = h0 * r1;
            x = h1 * r0;
            long d1 = lo + x;
            long d1hi = mulhi(h0, r1) + mulhi(h1, r0) + carry(lo, x, d1);
            x = h2 * s1;
            lo = d1;
            d1 = lo + x;
            d1hi += carry(lo, x, d1);
            long d2 = h2 * r0;

            // h = d0 + d1 2^64 + d2 2^128, then the bits above 2^130 times 5 added back
            h0 = d0;
            h1 = d1 + d0hi;
            long t2 = d2 + d1hi + carry(d1, d0hi, h1);
            h2 = t2 & 3;
            long fold = (t2 & ~3L) + (t2 >>> 2);
            lo = h0;
            h0 = lo + fold;
            c = carry(lo, fold, h0);
            lo = h1;
            h1 = lo + c;
            h2 += carry(lo, c, h1);
        }
        LONG_LE.set(pad, 0, 0L); // ciphertext, public; cleared all the same
        LONG_LE.set(pad, 8, 0L);

        // h < 2 (2^130 - 5): subtract p once when h + 5 reaches 2^130, by mask
        long g0 = h0 + 5;
        long c = carry(h0, 5, g0);
        long g1 = h1 + c;
        c = carry(h1, c, g1);
        long g2 = h2 + c - 4;
        long useG = ~(g2 >> 63); // all ones when g2 >= 0
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);

        // tag = h + s modulo 2^128
        long pad0 = (long) LONG_LE.get(key, 16);
        long pad1 = (long) LONG_LE.get(key, 24);
        long t0 = h0 + pad0;
        long t1 = h1 + pad1 + carry(h0, pad0, t0);
        LONG_LE.set(out, outOff, t0);
        LONG_LE.set(out, outOff + 8, t1);
    }

    /** The carry out of {@code sum = a + b (+ a carry in)}, unsigned, from the top bits: 0 or 1, no branch. */
    private static long carry(long a, long b, long sum) {
        return ((a & b) | ((a | b) & ~sum)) >>> 63;
    }

    /** The high 64 bits of the unsigned product of {@code a} and {@code b}, b below 2^63. */
    private static long mulhi(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b);
    }

    // ------------------------------------------------------------------ helpers

    private void wipeScratch() {
        if (wideUsed) { // short texts never fill it: no 512-byte wipe per small message
            Arrays.fill(wide, 0);
            wideUsed = false;
        }
        wipe64(block0);
        if (partialUsed) { // only texts with a partial block after block 0 fill it
            wipe64(partial);
            partialUsed = false;
        }
        Arrays.fill(x, 0);
    }

    /** Zeroes a 64-byte scratch block eight bytes at a store (Arrays.fill stores one at a time here). */
    private static void wipe64(byte[] b) {
        for (int i = 0; i < 64; i += 8) {
            LONG_LE.set(b, i, 0L);
        }
    }

    /** Whether every scratch array holding key-derived bytes is zero (tests: after each box). */
    boolean scratchClear() {
        int any = 0;
        for (byte b : block0) {
            any |= b;
        }
        for (byte b : partial) {
            any |= b;
        }
        for (byte b : tag) {
            any |= b;
        }
        for (int w : x) {
            any |= w;
        }
        for (int w : wide) {
            any |= w;
        }
        return any == 0;
    }

    private static void checkRange(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length || offset + length < 0) {
            throw new IndexOutOfBoundsException("box range " + offset + "+" + length + " outside a " + buf.length + "-byte array");
        }
    }
}
