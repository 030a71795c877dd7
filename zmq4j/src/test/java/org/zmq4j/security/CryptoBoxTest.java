package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.zmq4j.security.Libsodium.hex;

import java.security.InvalidKeyException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class CryptoBoxTest {
    // The vectors of D. J. Bernstein, "Cryptography in NaCl" (2009), sections 2-9: Alice's and
    // Bob's keys, their shared secret, the crypto_box_beforenm key ("firstkey"), and box.c's
    // 131-byte message with its nonce and box. libsodium gives the same bytes.
    private static final byte[] ALICE_SECRET = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static final byte[] ALICE_PUBLIC = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    private static final byte[] BOB_PUBLIC = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    private static final byte[] SHARED = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    private static final byte[] FIRSTKEY = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    private static final byte[] NONCE = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
    private static final byte[] MESSAGE = hex("be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf"
            + "33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a02"
            + "4a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705");
    private static final byte[] BOX = hex("f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7"
            + "164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab9"
            + "32164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb4"
            + "5a74e355a5");

    /** X25519 points of small order (and non-canonical encodings of them), per RFC 7748 lore. */
    private static final String[] SMALL_ORDER = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };

    @Test
    void x25519MatchesNaClVectors() throws Exception {
        assertArrayEquals(ALICE_PUBLIC, CryptoBox.publicKey(ALICE_SECRET));
        assertArrayEquals(SHARED, CryptoBox.scalarMult(ALICE_SECRET, BOB_PUBLIC));
    }

    @Test
    void hsalsa20OfTheSharedSecretIsNaClsFirstKey() {
        assertArrayEquals(FIRSTKEY, CryptoBox.hsalsa20(SHARED, new byte[16]));
    }

    @Test
    void boxMatchesNaClVector() throws Exception {
        CryptoBox box = CryptoBox.beforenm(BOB_PUBLIC, ALICE_SECRET);
        assertArrayEquals(BOX, box.seal(NONCE, MESSAGE));
        assertArrayEquals(MESSAGE, box.open(NONCE, BOX, 0, BOX.length));
        // crypto_box_afternm is crypto_secretbox under the precomputed key
        assertArrayEquals(BOX, CryptoBox.withKey(FIRSTKEY).seal(NONCE, MESSAGE));
    }

    @Test
    void sealInPlaceAndOpenWithHeaderAgreeWithTheSimpleForms() throws Exception {
        CryptoBox box = CryptoBox.withKey(FIRSTKEY);
        byte[] buf = new byte[5 + 16 + MESSAGE.length];
        System.arraycopy(MESSAGE, 0, buf, 5 + 16, MESSAGE.length);
        box.sealInPlace(NONCE, buf, 5, MESSAGE.length);
        assertArrayEquals(BOX, Arrays.copyOfRange(buf, 5, buf.length));
        byte[] header = new byte[3];
        byte[] rest = box.open(NONCE, buf, 5, buf.length - 5, header);
        assertArrayEquals(Arrays.copyOfRange(MESSAGE, 0, 3), header);
        assertArrayEquals(Arrays.copyOfRange(MESSAGE, 3, MESSAGE.length), rest);
    }

    @Test
    void emptyPlaintextBoxesToATagAlone() {
        CryptoBox box = CryptoBox.withKey(FIRSTKEY);
        byte[] sealed = box.seal(NONCE, new byte[0]);
        assertEquals(16, sealed.length);
        assertArrayEquals(new byte[0], box.open(NONCE, sealed, 0, 16));
    }

    @Test
    void everyAlterationIsRejected() {
        CryptoBox box = CryptoBox.withKey(FIRSTKEY);
        for (int i = 0; i < BOX.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] altered = BOX.clone();
                altered[i] ^= (byte) (1 << bit);
                assertNull(box.open(NONCE, altered, 0, altered.length), "byte " + i + " bit " + bit);
            }
        }
        byte[] otherNonce = NONCE.clone();
        otherNonce[23] ^= 1;
        assertNull(box.open(otherNonce, BOX, 0, BOX.length));
        byte[] otherKey = FIRSTKEY.clone();
        otherKey[0] ^= 1;
        assertNull(CryptoBox.withKey(otherKey).open(NONCE, BOX, 0, BOX.length));
        for (int len = 0; len < BOX.length; len++) {
            assertNull(box.open(NONCE, BOX, 0, len), "truncated to " + len);
        }
        assertNull(box.open(NONCE, BOX, 0, BOX.length - 1, new byte[BOX.length]), "header longer than the box");
    }

    @Test
    void destroyedBoxNoLongerOpensItsBoxes() {
        CryptoBox box = CryptoBox.withKey(FIRSTKEY);
        box.destroy();
        assertNull(box.open(NONCE, BOX, 0, BOX.length));
    }

    @Test
    void smallOrderPointsAreRefused() {
        for (String point : SMALL_ORDER) {
            assertThrows(InvalidKeyException.class, () -> CryptoBox.scalarMult(ALICE_SECRET, hex(point)), point);
            assertThrows(InvalidKeyException.class, () -> CryptoBox.beforenm(hex(point), ALICE_SECRET), point);
        }
    }

    @Test
    void badLengthsAreIllegalArguments() {
        assertThrows(IllegalArgumentException.class, () -> CryptoBox.withKey(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> CryptoBox.scalarMult(new byte[32], new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> CryptoBox.hsalsa20(new byte[32], new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> CryptoBox.withKey(FIRSTKEY).seal(new byte[23], new byte[1]));
    }

    /** Random keys, nonces and messages of awkward lengths: every result equals libsodium's. */
    @Test
    void agreesWithLibsodium() throws Exception {
        Random random = new Random(20240501);
        Libsodium sodium = new Libsodium();
        List<Runnable> checks = new ArrayList<>();
        AtomicReference<List<String>> answers = new AtomicReference<>();
        int[] lengths = {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 200, 255, 256, 1000, 4097};
        for (int i = 0; i < 24; i++) {
            byte[] secretA = bytes(random, 32);
            byte[] secretB = bytes(random, 32);
            byte[] publicB = CryptoBox.publicKey(secretB);
            byte[] nonce = bytes(random, 24);
            byte[] message = bytes(random, lengths[i % lengths.length]);
            byte[] hkey = bytes(random, 32);
            byte[] hin = bytes(random, 16);
            // bit 255 set: X25519 must ignore it (RFC 7748), as libsodium does
            byte[] highBitPublic = publicB.clone();
            highBitPublic[31] |= (byte) 0x80;

            int pub = sodium.ask("pub", secretB);
            int mult = sodium.ask("scalarmult", secretA, publicB);
            int multHigh = sodium.ask("scalarmult", secretA, highBitPublic);
            int hsalsa = sodium.ask("hsalsa20", hkey, hin);
            int before = sodium.ask("beforenm", publicB, secretA);
            int boxed = sodium.ask("box", publicB, secretA, nonce, message);
            int secret = sodium.ask("secretbox", hkey, nonce, message);
            byte[] ours;
            try {
                ours = CryptoBox.beforenm(publicB, secretA).seal(nonce, message);
            } catch (InvalidKeyException e) {
                throw new AssertionError(e);
            }
            int opened = sodium.ask("openafternm", sharedKey(secretA, publicB), nonce, ours);
            checks.add(() -> {
                try {
                    List<String> a = answers.get();
                    assertEquals(a.get(pub), hex(publicB), "crypto_scalarmult_base");
                    assertEquals(a.get(mult), hex(CryptoBox.scalarMult(secretA, publicB)), "crypto_scalarmult");
                    assertEquals(a.get(multHigh), hex(CryptoBox.scalarMult(secretA, highBitPublic)), "crypto_scalarmult, bit 255 set");
                    assertEquals(a.get(hsalsa), hex(CryptoBox.hsalsa20(hkey, hin)), "crypto_core_hsalsa20");
                    assertEquals(a.get(before), hex(sharedKey(secretA, publicB)), "crypto_box_beforenm");
                    assertEquals(a.get(boxed), hex(ours), "crypto_box_easy");
                    assertEquals(a.get(secret), hex(CryptoBox.withKey(hkey).seal(nonce, message)), "crypto_secretbox_easy");
                    assertEquals(message.length == 0 ? "-" : hex(message), a.get(opened), "crypto_box_open_easy_afternm");
                    byte[] theirs = Libsodium.hex(a.get(boxed));
                    assertArrayEquals(message, CryptoBox.beforenm(publicB, secretA).open(nonce, theirs, 0, theirs.length));
                } catch (InvalidKeyException e) {
                    throw new AssertionError(e);
                }
            });
        }
        int[] smallOrder = new int[SMALL_ORDER.length];
        for (int i = 0; i < SMALL_ORDER.length; i++) {
            smallOrder[i] = sodium.ask("scalarmult", ALICE_SECRET, hex(SMALL_ORDER[i]));
        }
        answers.set(sodium.run());
        checks.forEach(Runnable::run);
        for (int i = 0; i < SMALL_ORDER.length; i++) {
            assertEquals("ERR", answers.get().get(smallOrder[i]), "libsodium refuses small-order point " + SMALL_ORDER[i]);
        }
    }

    /** The precomputed key itself, as crypto_box_beforenm returns it. */
    private static byte[] sharedKey(byte[] secret, byte[] publicKey) {
        try {
            return CryptoBox.hsalsa20(CryptoBox.scalarMult(secret, publicKey), new byte[16]);
        } catch (InvalidKeyException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void randomBytesAreFresh() {
        assertNotNull(CryptoBox.randomBytes(16));
        assertEquals(false, Arrays.equals(CryptoBox.randomBytes(16), CryptoBox.randomBytes(16)));
    }
}
