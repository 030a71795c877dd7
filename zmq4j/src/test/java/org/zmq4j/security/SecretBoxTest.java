package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.support.Python;

/**
 * The two {@link SecretBox} implementations (the project's {@link XSalsa20Poly1305} and
 * {@link BouncyCastleSecretBox}) against NaCl's published vectors, against each other over every
 * length up to 1 KiB and random lengths up to 1 MiB, and against libsodium through PyNaCl
 * (Debian's python3-nacl), sealing and opening in both directions; altered boxes must not open.
 */
class SecretBoxTest {
    private static final HexFormat HEX = HexFormat.of();
    // From "Cryptography in NaCl" and NaCl's tests (core1/core2.c, stream.c, stream3.c, secretbox.c).
    private static final byte[] SHARED = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    private static final byte[] FIRSTKEY = HEX.parseHex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    private static final byte[] SECONDKEY = HEX.parseHex("dc908dda0b9344a953629b733820778880f3ceb421bb61b91cbd4c3e66256ce4");
    private static final byte[] NONCE = HEX.parseHex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
    /** stream3.c: the first 32 bytes of XSalsa20(firstkey, nonce). */
    private static final byte[] STREAM_FIRST_32 = HEX.parseHex("eea6a7251c1e72916d11c2cb214d3c252539121d8e234e652d651fa4c8cff880");
    /** stream.c: SHA-256 of the first 4,194,304 bytes of XSalsa20(firstkey, nonce). */
    private static final String STREAM_4MIB_SHA256 = "662b9d0e3463029156069b12f918691a98f7dfb2ca0393c96bbfc6b1fbd630a2";
    private static final byte[] MESSAGE = HEX.parseHex("be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf"
            + "33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a02"
            + "4a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705");
    private static final byte[] BOX = HEX.parseHex("f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7"
            + "164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab9"
            + "32164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb4"
            + "5a74e355a5");
    private static final byte[] NONE = new byte[0];

    /** "zmq4j" (with the vector batch, which this suite's JVM has), "zmq4j-loops", "zmq4j-scalar" or "bouncycastle". */
    static SecretBox make(String impl, byte[] key) {
        switch (impl) {
            case "zmq4j":
                return new XSalsa20Poly1305(key);
            case "zmq4j-scalar":
                return new XSalsa20Poly1305(key, null);
            case "zmq4j-loops":
                return new XSalsa20Poly1305(key, new LoopSalsa20());
            default:
                return new BouncyCastleSecretBox(key);
        }
    }

    static byte[] seal(SecretBox box, byte[] nonce, byte[] plaintext) {
        byte[] out = new byte[16 + plaintext.length];
        System.arraycopy(plaintext, 0, out, 16, plaintext.length);
        box.seal(nonce, out, 0, plaintext.length);
        return out;
    }

    /** The plaintext, or null when the box does not open. */
    static byte[] open(SecretBox box, byte[] nonce, byte[] sealed) {
        byte[] rest = new byte[sealed.length - 16];
        return box.open(nonce, sealed, 0, sealed.length, NONE, rest) ? rest : null;
    }

    // ------------------------------------------------------------------ NaCl's vectors

    @ParameterizedTest
    @ValueSource(strings = {"zmq4j", "zmq4j-loops", "zmq4j-scalar", "bouncycastle"})
    void naclVectors(String impl) throws Exception {
        SecretBox box = make(impl, FIRSTKEY);
        assertArrayEquals(FIRSTKEY, box.hsalsa20(SHARED, new byte[16]), "core1");
        assertArrayEquals(SECONDKEY, box.hsalsa20(FIRSTKEY, Arrays.copyOf(NONCE, 16)), "core2");
        assertArrayEquals(BOX, seal(box, NONCE, MESSAGE), "secretbox");
        assertArrayEquals(MESSAGE, open(box, NONCE, BOX), "secretbox_open");
        // stream.c's 4 MiB: keystream bytes 0-31 (stream3.c) are the MAC key, a box of zeros gives the rest
        byte[] zeros = new byte[4_194_304 - 32];
        byte[] sealed = seal(box, NONCE, zeros);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(STREAM_FIRST_32);
        sha.update(sealed, 16, zeros.length);
        assertEquals(STREAM_4MIB_SHA256, HEX.formatHex(sha.digest()), "stream");
    }

    // ------------------------------------------------------------------ ours against Bouncy Castle

    /** Up to 2 KiB + 128: every way a text meets the 8-block (512-byte) and 16-block batches. */
    @Test
    void everyLengthUpTo2KiBAgreesWithBouncyCastle() {
        SplittableRandom random = new SplittableRandom(21);
        for (int length = 0; length <= 2048 + 128; length++) {
            compareWithBouncyCastle(random, length);
        }
    }

    @Test
    void randomLengthsUpTo1MiBAgreeWithBouncyCastle() {
        SplittableRandom random = new SplittableRandom(1021);
        int[] edges = {4095, 4096, 4097, 65_535, 65_536, 65_537, 1 << 20};
        for (int length : edges) {
            compareWithBouncyCastle(random, length);
        }
        for (int i = 0; i < 24; i++) {
            compareWithBouncyCastle(random, random.nextInt((1 << 20) + 1));
        }
    }

    /**
     * One key, several nonces as CurveZMQ uses them (a fixed 16-byte prefix with a counter, then a
     * new prefix, then the first again: the cached HSalsa20 output must follow), sealing with both
     * implementations, each opening the other's box, with and without a header.
     */
    private static void compareWithBouncyCastle(SplittableRandom random, int length) {
        byte[] key = bytes(random, 32);
        compareWithBouncyCastle(random, length, key, new XSalsa20Poly1305(key));
        compareWithBouncyCastle(random, length, key, new XSalsa20Poly1305(key, null));
        compareWithBouncyCastle(random, length, key, new XSalsa20Poly1305(key, new LoopSalsa20()));
    }

    private static void compareWithBouncyCastle(SplittableRandom random, int length, byte[] key, SecretBox ours) {
        SecretBox theirs = new BouncyCastleSecretBox(key);
        byte[] prefixA = bytes(random, 16);
        byte[] prefixB = bytes(random, 16);
        byte[][] prefixes = {prefixA, prefixA, prefixB, prefixA};
        long counter = random.nextLong();
        for (byte[] prefix : prefixes) {
            byte[] nonce = Arrays.copyOf(prefix, 24);
            CurveHandshake.putLong(nonce, 16, counter++);
            byte[] plaintext = bytes(random, length);
            byte[] a = seal(ours, nonce, plaintext);
            byte[] b = seal(theirs, nonce, plaintext);
            assertArrayEquals(b, a, () -> "sealed " + length + " bytes differently");
            assertArrayEquals(plaintext, open(ours, nonce, b), () -> "ours did not open Bouncy Castle's " + length + "-byte box");
            assertArrayEquals(plaintext, open(theirs, nonce, a), () -> "Bouncy Castle did not open our " + length + "-byte box");
            if (length > 0) {
                int headerLength = 1 + random.nextInt(Math.min(length, 70));
                byte[] header = new byte[headerLength];
                byte[] rest = new byte[length - headerLength];
                assertTrue(ours.open(nonce, b, 0, b.length, header, rest));
                assertArrayEquals(Arrays.copyOf(plaintext, headerLength), header);
                assertArrayEquals(Arrays.copyOfRange(plaintext, headerLength, length), rest);
            }
        }
    }

    // ------------------------------------------------------------------ Poly1305's edges

    /** RFC 8439 section 2.5.2's Poly1305 vector. */
    @Test
    void poly1305MatchesRfc8439() {
        byte[] key = HEX.parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] message = "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII);
        byte[] tag = new byte[16];
        new XSalsa20Poly1305(new byte[32]).poly1305(message, 0, message.length, key, tag, 0);
        assertEquals("a8061dc1305136c6c22b8baf0c0127a9", HEX.formatHex(tag));
    }

    /**
     * Keys and messages at the edges of the carries (all ones, all zeros, r at its clamped maximum,
     * s all ones) against Bouncy Castle's Poly1305, which a secretbox cannot reach (its r and s come
     * from the keystream).
     */
    @Test
    void poly1305AgreesWithBouncyCastleAtTheEdges() {
        SplittableRandom random = new SplittableRandom(1305);
        byte[][] keys = {new byte[32], filled(32, 0xff), HEX.parseHex("ffffff0ffcffff0ffcffff0ffcffff0f" + "00".repeat(16)),
            HEX.parseHex("00".repeat(16) + "ff".repeat(16)), bytes(random, 32)};
        XSalsa20Poly1305 ours = new XSalsa20Poly1305(new byte[32]);
        for (byte[] key : keys) {
            for (int length : new int[] {0, 1, 15, 16, 17, 31, 32, 33, 64, 1000, 4096}) {
                for (byte[] message : new byte[][] {new byte[length], filled(length, 0xff), filled(length, 0xfe), bytes(random, length)}) {
                    org.bouncycastle.crypto.macs.Poly1305 bc = new org.bouncycastle.crypto.macs.Poly1305();
                    bc.init(new org.bouncycastle.crypto.params.KeyParameter(key));
                    bc.update(message, 0, message.length);
                    byte[] expected = new byte[16];
                    bc.doFinal(expected, 0);
                    byte[] tag = new byte[16];
                    ours.poly1305(message, 0, message.length, key, tag, 0);
                    assertArrayEquals(expected, tag, () -> "key " + HEX.formatHex(key) + ", " + length + " bytes");
                }
            }
        }
    }

    /**
     * One-block messages solved (with BigInteger) so that the accumulator ends exactly at a chosen
     * value modulo 2^130 - 5: 0 to 4 (reached as p to p + 4, the final subtraction's carry chain
     * through all-ones words), and values around 2^64 and 2^128 (carries into the upper limbs),
     * for many clamped r; ours must give Bouncy Castle's tag. Random messages reach these carries
     * with probability about 2^-64.
     */
    @Test
    void poly1305ReachesItsRareCarries() {
        java.math.BigInteger p = java.math.BigInteger.ONE.shiftLeft(130).subtract(java.math.BigInteger.valueOf(5));
        java.math.BigInteger two128 = java.math.BigInteger.ONE.shiftLeft(128);
        java.math.BigInteger two64 = java.math.BigInteger.ONE.shiftLeft(64);
        java.math.BigInteger[] targets = {java.math.BigInteger.ZERO, java.math.BigInteger.ONE, java.math.BigInteger.valueOf(4),
            two64.subtract(java.math.BigInteger.ONE), two64, two128.subtract(java.math.BigInteger.ONE), two128,
            two128.add(two64).subtract(java.math.BigInteger.ONE), p.subtract(java.math.BigInteger.ONE)};
        SplittableRandom random = new SplittableRandom(130);
        XSalsa20Poly1305 ours = new XSalsa20Poly1305(new byte[32]);
        int tried = 0;
        for (int i = 0; i < 4000; i++) {
            byte[] key = bytes(random, 32);
            byte[] rBytes = Arrays.copyOf(key, 16);
            rBytes[3] &= 15;
            rBytes[7] &= 15;
            rBytes[11] &= 15;
            rBytes[15] &= 15;
            rBytes[4] &= (byte) 252;
            rBytes[8] &= (byte) 252;
            rBytes[12] &= (byte) 252;
            java.math.BigInteger r = littleEndian(rBytes);
            if (r.signum() == 0) {
                continue;
            }
            java.math.BigInteger target = targets[i % targets.length];
            // (m + 2^128) r = target (mod p), so m = target / r - 2^128 (mod p), usable when below 2^128
            java.math.BigInteger m = target.multiply(r.modInverse(p)).subtract(two128).mod(p);
            if (m.compareTo(two128) >= 0) {
                continue;
            }
            tried++;
            byte[] message = new byte[16];
            byte[] le = m.toByteArray();
            for (int j = 0; j < Math.min(16, le.length); j++) {
                message[j] = le[le.length - 1 - j];
            }
            org.bouncycastle.crypto.macs.Poly1305 bc = new org.bouncycastle.crypto.macs.Poly1305();
            bc.init(new org.bouncycastle.crypto.params.KeyParameter(key));
            bc.update(message, 0, 16);
            byte[] expected = new byte[16];
            bc.doFinal(expected, 0);
            byte[] tag = new byte[16];
            ours.poly1305(message, 0, 16, key, tag, 0);
            int n = i;
            assertArrayEquals(expected, tag, () -> "case " + n + ": key " + HEX.formatHex(key) + ", message " + HEX.formatHex(message));
        }
        assertTrue(tried > 500, "enough solvable cases: " + tried);
    }

    private static java.math.BigInteger littleEndian(byte[] b) {
        byte[] be = new byte[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            be[b.length - i] = b[i];
        }
        return new java.math.BigInteger(be);
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    // ------------------------------------------------------------------ altered boxes

    @ParameterizedTest
    @ValueSource(strings = {"zmq4j", "zmq4j-loops", "zmq4j-scalar", "bouncycastle"})
    void alteredBoxesDoNotOpenAndWriteNothing(String impl) {
        SplittableRandom random = new SplittableRandom(7);
        for (int length : new int[] {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 200, 1024}) {
            byte[] key = bytes(random, 32);
            byte[] nonce = bytes(random, 24);
            SecretBox box = make(impl, key);
            byte[] sealed = seal(box, nonce, bytes(random, length));
            for (int bit = 0; bit < sealed.length * 8; bit += sealed.length > 100 ? 7 : 1) {
                byte[] altered = sealed.clone();
                altered[bit / 8] ^= (byte) (1 << (bit % 8));
                byte[] rest = new byte[length];
                int b = bit;
                assertFalse(box.open(nonce, altered, 0, altered.length, NONE, rest), () -> "bit " + b + " flipped, box opened");
                assertArrayEquals(new byte[length], rest, "a refused box wrote plaintext");
            }
            for (int i = 0; i < 24; i++) {
                byte[] otherNonce = nonce.clone();
                otherNonce[i] ^= 1; // bytes 0-15 change the HSalsa20 key, 16-23 the Salsa20 nonce
                assertFalse(box.open(otherNonce, sealed, 0, sealed.length, NONE, new byte[length]));
            }
            byte[] otherKey = key.clone();
            otherKey[random.nextInt(32)] ^= 0x40;
            assertFalse(make(impl, otherKey).open(nonce, sealed, 0, sealed.length, NONE, new byte[length]));
            assertTrue(box.open(nonce, sealed, 0, sealed.length, NONE, new byte[length]), "the unaltered box still opens");
        }
    }

    @Test
    void oursRefusesRangesOutsideItsArrays() {
        SecretBox box = new XSalsa20Poly1305(new byte[32]);
        byte[] nonce = new byte[24];
        assertThrows(IndexOutOfBoundsException.class, () -> box.seal(nonce, new byte[20], 0, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> box.seal(nonce, new byte[40], -1, 5));
        assertThrows(IllegalArgumentException.class, () -> box.open(nonce, new byte[20], 0, 20, NONE, new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> box.seal(new byte[23], new byte[40], 0, 5));
    }

    @Test
    void destroyedBoxNoLongerOpensItsBoxes() {
        SecretBox box = new XSalsa20Poly1305(FIRSTKEY);
        box.destroy();
        assertEquals(null, open(box, NONCE, BOX));
    }

    // ------------------------------------------------------------------ against libsodium (PyNaCl)

    /** Seals with PyNaCl, or opens ("-" for an empty plaintext, FAIL for a box that does not open). */
    private static final String PYNACL = """
            import sys
            from nacl import bindings as b
            from nacl.exceptions import CryptoError
            out = []
            for line in sys.stdin.read().split('\\n'):
                if not line:
                    continue
                op, k, n, m = line.split(' ')
                k, n, m = bytes.fromhex(k), bytes.fromhex(n), bytes.fromhex(m if m != '-' else '')
                if op == 'seal':
                    out.append(b.crypto_secretbox(m, n, k).hex())
                else:
                    try:
                        out.append(b.crypto_secretbox_open(m, n, k).hex() or '-')
                    except CryptoError:
                        out.append('FAIL')
            sys.stdout.write('\\n'.join(out) + '\\n')
            """;

    @ParameterizedTest
    @ValueSource(strings = {"zmq4j", "zmq4j-loops", "zmq4j-scalar", "bouncycastle"})
    void agreesWithLibsodiumThroughPyNaCl(String impl) throws Exception {
        Python.assume("import nacl.bindings", "PyNaCl (python3-nacl)");
        SplittableRandom random = new SplittableRandom(impl.hashCode());
        List<Integer> lengths = new ArrayList<>();
        for (int length = 0; length <= 1024; length++) {
            lengths.add(length);
        }
        lengths.add(1 << 20);
        for (int i = 0; i < 6; i++) {
            lengths.add(1025 + random.nextInt(1 << 20));
        }
        List<byte[][]> cases = new ArrayList<>(); // key, nonce, plaintext, our box, their plaintext
        StringBuilder requests = new StringBuilder();
        for (int length : lengths) {
            byte[] key = bytes(random, 32);
            byte[] nonce = bytes(random, 24);
            byte[] plaintext = bytes(random, length);
            byte[] ours = seal(make(impl, key), nonce, plaintext);
            byte[] tampered = ours.clone();
            tampered[random.nextInt(tampered.length)] ^= (byte) (1 << random.nextInt(8));
            cases.add(new byte[][] {key, nonce, plaintext, ours});
            String k = HEX.formatHex(key);
            String n = HEX.formatHex(nonce);
            requests.append("seal ").append(k).append(' ').append(n).append(' ').append(hexOrDash(plaintext)).append('\n');
            requests.append("open ").append(k).append(' ').append(n).append(' ').append(HEX.formatHex(ours)).append('\n');
            requests.append("open ").append(k).append(' ').append(n).append(' ').append(HEX.formatHex(tampered)).append('\n');
        }
        List<String> answers = runPython(requests.toString());
        assertEquals(3 * cases.size(), answers.size(), "PyNaCl answered every request");
        for (int i = 0; i < cases.size(); i++) {
            byte[][] c = cases.get(i);
            int length = c[2].length;
            byte[] theirs = HEX.parseHex(answers.get(3 * i));
            assertArrayEquals(theirs, c[3], () -> "libsodium sealed " + length + " bytes differently");
            assertEquals(hexOrDash(c[2]), answers.get(3 * i + 1), () -> "libsodium did not open our " + length + "-byte box");
            assertEquals("FAIL", answers.get(3 * i + 2), () -> "libsodium opened our altered " + length + "-byte box");
            assertArrayEquals(c[2], open(make(impl, c[0]), c[1], theirs), () -> "we did not open libsodium's " + length + "-byte box");
            byte[] altered = theirs.clone();
            altered[(int) (Integer.toUnsignedLong(Arrays.hashCode(c[1])) % altered.length)] ^= 0x10;
            assertEquals(null, open(make(impl, c[0]), c[1], altered), () -> "we opened libsodium's altered " + length + "-byte box");
        }
    }

    private static List<String> runPython(String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Python.interpreter(), "-c", PYNACL).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "PyNaCl did not finish within 120 s");
        assertEquals(0, p.exitValue(), "PyNaCl failed");
        String text = new String(out.join(), StandardCharsets.US_ASCII);
        List<String> lines = new ArrayList<>(List.of(text.split("\n")));
        lines.removeIf(String::isEmpty);
        return lines;
    }

    private static String hexOrDash(byte[] b) {
        return b.length == 0 ? "-" : HEX.formatHex(b);
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    // ------------------------------------------------------------------ scratch

    @ParameterizedTest
    @ValueSource(strings = {"zmq4j", "zmq4j-loops", "zmq4j-scalar"})
    void noKeystreamOrPoly1305KeyIsLeftInTheBoxAfterASealOrAnOpen(String impl) {
        XSalsa20Poly1305 box = (XSalsa20Poly1305) make(impl, FIRSTKEY);
        byte[] nonce = NONCE.clone();
        SplittableRandom random = new SplittableRandom(7);
        // lengths around block 0's 32 text bytes, whole and partial blocks, and both batches
        for (int length : new int[] {0, 1, 31, 32, 33, 63, 64, 65, 95, 96, 97, 129, 160, 161, 543, 544, 545, 672, 673, 1024, 5000}) {
            byte[] plaintext = new byte[length];
            random.nextBytes(plaintext);
            nonce[23]++;
            byte[] sealed = seal(box, nonce, plaintext);
            assertTrue(box.scratchClear(), impl + ": scratch left after sealing " + length + " bytes");
            assertArrayEquals(plaintext, open(box, nonce, sealed));
            assertTrue(box.scratchClear(), impl + ": scratch left after opening " + length + " bytes");
            sealed[sealed.length - 1] ^= 1;
            assertEquals(null, open(box, nonce, sealed), "an altered box must not open");
            assertTrue(box.scratchClear(), impl + ": scratch left after refusing " + length + " bytes");
        }
    }

}
