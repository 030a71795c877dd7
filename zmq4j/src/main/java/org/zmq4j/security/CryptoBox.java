package org.zmq4j.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;

import javax.crypto.KeyAgreement;

/**
 * NaCl's {@code crypto_box} (Curve25519-XSalsa20-Poly1305) and {@code crypto_secretbox}
 * (XSalsa20-Poly1305), as CurveZMQ (rfc-26) uses them:
 * <ul>
 * <li>X25519 comes from the JDK ({@code KeyAgreement "X25519"});</li>
 * <li>XSalsa20, HSalsa20 and Poly1305 come from the {@link SecretBox} implementation that the
 * system property {@code org.zmq4j.curve.crypto} chooses: the project's own
 * {@link XSalsa20Poly1305} ({@code zmq4j}, the default) or Bouncy Castle's engines
 * ({@code bouncycastle}, {@link BouncyCastleSecretBox}).</li>
 * </ul>
 * An instance holds one 32-byte symmetric key: a precomputed {@code crypto_box_beforenm} key or a
 * {@code crypto_secretbox} key (NaCl's {@code crypto_box_afternm} is {@code crypto_secretbox} under
 * the precomputed key). Boxes are in libsodium's "easy" layout: the 16-byte Poly1305 tag, then the
 * ciphertext, which is as long as the plaintext. Nonces are 24 bytes.
 * <p>
 * Not thread-safe: an instance reuses its cipher state and scratch blocks, so one thread at a time
 * uses it (a CURVE connection keeps one box per direction, see {@link CurveHandshake}). Everything here has been cross-checked against libsodium (see CryptoBoxTest).
 */
final class CryptoBox {
    /** Bytes in a key (public, secret, precomputed or secretbox). */
    static final int KEY_BYTES = 32;
    /** Bytes in a nonce. */
    static final int NONCE_BYTES = 24;
    /** Bytes a box adds to its plaintext: the Poly1305 tag. */
    static final int MAC_BYTES = 16;

    private static final String X25519 = "X25519";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The field prime 2^255 - 19. */
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    /** The u-coordinate of Curve25519's base point, encoded. */
    private static final byte[] BASE_POINT = new byte[KEY_BYTES];

    private static final byte[] NO_HEADER = new byte[0];

    static {
        BASE_POINT[0] = 9;
    }

    /** The boxing implementation, holding our key. */
    private final SecretBox box;

    private CryptoBox(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a box key is " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.box = SecretBox.create(key);
    }

    // ------------------------------------------------------------------ construction

    /**
     * A box under a symmetric key: {@code crypto_secretbox} with {@code key}, or
     * {@code crypto_box_afternm} when {@code key} came from {@code crypto_box_beforenm}.
     *
     * @param key 32 bytes, copied
     * @return the box
     * @throws IllegalArgumentException when the key is not 32 bytes
     */
    static CryptoBox withKey(byte[] key) {
        return new CryptoBox(key);
    }

    /**
     * {@code crypto_box_beforenm}: the box between our secret key and their public key, keyed with
     * HSalsa20(X25519(ourSecret, theirPublic), 16 zero bytes).
     *
     * @param theirPublic the peer's 32-byte public key
     * @param ourSecret   our 32-byte secret key
     * @return the box
     * @throws InvalidKeyException when their key is a point of small order (the shared secret
     *                             would be all zeros; libsodium refuses it too)
     */
    static CryptoBox beforenm(byte[] theirPublic, byte[] ourSecret) throws InvalidKeyException {
        return beforenm(theirPublic, ourSecret, 1)[0];
    }

    /**
     * {@code crypto_box_beforenm} once, as {@code count} boxes under the same key, each with its own
     * cipher state: a connection seals with one on one thread while it opens with another on another
     * (a box is not thread-safe, two boxes share nothing).
     *
     * @param theirPublic the peer's 32-byte public key
     * @param ourSecret   our 32-byte secret key
     * @param count       how many boxes, at least 1
     * @return the boxes
     * @throws InvalidKeyException when their key is a point of small order
     */
    static CryptoBox[] beforenm(byte[] theirPublic, byte[] ourSecret, int count) throws InvalidKeyException {
        byte[] shared = scalarMult(ourSecret, theirPublic);
        byte[] k = hsalsa20(shared, new byte[16]);
        Arrays.fill(shared, (byte) 0);
        try {
            CryptoBox[] boxes = new CryptoBox[count];
            for (int i = 0; i < count; i++) {
                boxes[i] = new CryptoBox(k);
            }
            return boxes;
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    // ------------------------------------------------------------------ primitives

    /**
     * X25519 ({@code crypto_scalarmult}), by the JDK: our secret scalar times their point.
     *
     * @param secret      32-byte scalar (clamped by X25519 itself, as libsodium does)
     * @param publicPoint 32-byte u-coordinate, little-endian (bit 255 ignored, per RFC 7748)
     * @return the 32-byte shared secret
     * @throws InvalidKeyException when the point has small order (all-zero result)
     */
    static byte[] scalarMult(byte[] secret, byte[] publicPoint) throws InvalidKeyException {
        checkLength(secret, "secret key");
        checkLength(publicPoint, "public key");
        byte[] scalar = secret.clone();
        try {
            KeyFactory factory = KeyFactory.getInstance(X25519);
            KeyAgreement agreement = KeyAgreement.getInstance(X25519);
            agreement.init(factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar)));
            agreement.doPhase(factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(publicPoint))), true);
            byte[] shared = agreement.generateSecret();
            if (isAllZero(shared)) {
                throw new InvalidKeyException("public key is a point of small order");
            }
            return shared;
        } catch (InvalidKeyException e) {
            throw e;
        } catch (IllegalStateException e) {
            // some JDKs report a small-order point from generateSecret
            throw new InvalidKeyException("public key is a point of small order", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no usable X25519", e);
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    /**
     * The public key of a secret key ({@code crypto_scalarmult_base}).
     *
     * @param secret 32-byte secret key
     * @return its 32-byte public key
     */
    static byte[] publicKey(byte[] secret) {
        try {
            return scalarMult(secret, BASE_POINT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("the base point cannot have small order", e);
        }
    }

    /**
     * A fresh secret key: 32 bytes from {@link SecureRandom}, as {@code crypto_box_keypair} makes
     * them (X25519 clamps on use).
     *
     * @return the secret key
     */
    static byte[] newSecretKey() {
        return randomBytes(KEY_BYTES);
    }

    /**
     * Random bytes for long nonces and keys.
     *
     * @param n how many
     * @return n bytes from {@link SecureRandom}
     */
    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * HSalsa20 ({@code crypto_core_hsalsa20} with NaCl's "expand 32-byte k" constant), by the
     * implementation {@code org.zmq4j.curve.crypto} chooses.
     *
     * @param key   32-byte key
     * @param input 16-byte input
     * @return the 32-byte output
     */
    static byte[] hsalsa20(byte[] key, byte[] input) {
        checkLength(key, "HSalsa20 key");
        if (input.length != 16) {
            throw new IllegalArgumentException("HSalsa20 input is 16 bytes, got " + input.length);
        }
        if (SecretBox.useBouncyCastle()) {
            return new BouncyCastleSecretBox(new byte[KEY_BYTES]).hsalsa20(key, input);
        }
        return XSalsa20Poly1305.derive(key, input);
    }

    // ------------------------------------------------------------------ boxing

    /**
     * Boxes {@code plaintext} into a new array: tag (16 bytes), then ciphertext.
     *
     * @param nonce     24-byte nonce, never reused with this key
     * @param plaintext the clear text
     * @return the box, {@code plaintext.length + 16} bytes
     */
    byte[] seal(byte[] nonce, byte[] plaintext) {
        byte[] box = new byte[MAC_BYTES + plaintext.length];
        System.arraycopy(plaintext, 0, box, MAC_BYTES, plaintext.length);
        sealInPlace(nonce, box, 0, plaintext.length);
        return box;
    }

    /**
     * Boxes in place: the plaintext at {@code buf[offset + 16, offset + 16 + length)} is encrypted
     * where it lies and the tag is written to {@code buf[offset, offset + 16)}.
     *
     * @param nonce  24-byte nonce, never reused with this key
     * @param buf    the buffer
     * @param offset where the box starts (the tag)
     * @param length plaintext length
     */
    void sealInPlace(byte[] nonce, byte[] buf, int offset, int length) {
        checkNonce(nonce);
        box.seal(nonce, buf, offset, length);
    }

    /**
     * Opens a box: checks the tag in constant time, then decrypts.
     *
     * @param nonce  the 24-byte nonce it was sealed with
     * @param box    the buffer holding the box
     * @param offset where the box (its tag) starts
     * @param length the box length, tag included
     * @return the plaintext, {@code length - 16} bytes, or null when the box is shorter than a tag,
     *         was altered, or was sealed under another key or nonce
     */
    byte[] open(byte[] nonce, byte[] box, int offset, int length) {
        return open(nonce, box, offset, length, null);
    }

    /**
     * Opens a box whose plaintext starts with a fixed-size header, returning header and rest
     * separately (so a CURVE MESSAGE's flags byte costs no extra copy of the payload).
     *
     * @param nonce  the 24-byte nonce it was sealed with
     * @param box    the buffer holding the box
     * @param offset where the box (its tag) starts
     * @param length the box length, tag included
     * @param header receives the first {@code header.length} plaintext bytes (null for none)
     * @return the plaintext after the header, or null when the box is too short for a tag and the
     *         header, was altered, or was sealed under another key or nonce
     */
    byte[] open(byte[] nonce, byte[] box, int offset, int length, byte[] header) {
        checkNonce(nonce);
        byte[] head = header == null ? NO_HEADER : header;
        if (length < MAC_BYTES + head.length || offset < 0 || offset + length > box.length) {
            return null;
        }
        byte[] plaintext = new byte[length - MAC_BYTES - head.length];
        return this.box.open(nonce, box, offset, length, head, plaintext) ? plaintext : null;
    }

    /**
     * Which {@link SecretBox} implementation boxes: "zmq4j" (ours, with the Vector API's lanes),
     * "zmq4j-loops" (ours, with the lanes of {@code LoopSalsa20}), "zmq4j-scalar" (ours without
     * lanes) or "bouncycastle".
     */
    String implementation() {
        if (box instanceof XSalsa20Poly1305 ours) {
            SalsaBatch batch = ours.batch();
            return batch == null ? "zmq4j-scalar" : batch instanceof LoopSalsa20 ? "zmq4j-loops" : "zmq4j";
        }
        return "bouncycastle";
    }

    /** Zeroes the key this box holds; the box must not be used afterwards. */
    void destroy() {
        box.destroy();
    }

    private static void checkNonce(byte[] nonce) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("a box nonce is " + NONCE_BYTES + " bytes, got " + nonce.length);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Zeroes arrays that held secrets (null entries are skipped). */
    static void wipe(byte[]... secrets) {
        for (byte[] s : secrets) {
            if (s != null) {
                Arrays.fill(s, (byte) 0);
            }
        }
    }

    private static void checkLength(byte[] key, String what) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a " + what + " is " + KEY_BYTES + " bytes, got " + key.length);
        }
    }

    private static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    /** RFC 7748 decodeUCoordinate: little-endian, bit 255 masked, reduced modulo p. */
    private static BigInteger decodeU(byte[] u) {
        byte[] bigEndian = new byte[KEY_BYTES + 1];
        for (int i = 0; i < KEY_BYTES; i++) {
            bigEndian[KEY_BYTES - i] = u[i];
        }
        bigEndian[1] &= 0x7F;
        return new BigInteger(bigEndian).mod(P);
    }
}
