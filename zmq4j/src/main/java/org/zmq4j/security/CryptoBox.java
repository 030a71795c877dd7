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

import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Pack;

/**
 * NaCl's {@code crypto_box} (Curve25519-XSalsa20-Poly1305) and {@code crypto_secretbox}
 * (XSalsa20-Poly1305), as CurveZMQ (rfc-26) uses them, assembled from primitives we do not write:
 * <ul>
 * <li>X25519 comes from the JDK ({@code KeyAgreement "X25519"});</li>
 * <li>XSalsa20 and Poly1305 come from Bouncy Castle ({@link XSalsa20Engine}, {@link Poly1305});</li>
 * <li>HSalsa20, which {@code crypto_box_beforenm} applies to the X25519 shared secret, is not a
 * public Bouncy Castle API, but {@link XSalsa20Engine} computes exactly HSalsa20(key, nonce[0..16])
 * (with Bouncy Castle's own {@code Salsa20Engine.salsaCore}) when it is keyed, and keeps the result
 * as its Salsa20 key in state words 1-4 and 11-14. {@link #hsalsa20} keys a private subclass and
 * reads those words back (see {@link HSalsa20Tap}).</li>
 * </ul>
 * An instance holds one 32-byte symmetric key: a precomputed {@code crypto_box_beforenm} key or a
 * {@code crypto_secretbox} key (NaCl's {@code crypto_box_afternm} is {@code crypto_secretbox} under
 * the precomputed key). Boxes are in libsodium's "easy" layout: the 16-byte Poly1305 tag, then the
 * ciphertext, which is as long as the plaintext. Nonces are 24 bytes.
 * <p>
 * Not thread-safe: an instance reuses its cipher, its MAC and a scratch block; one connection (one
 * I/O thread) owns it. Everything here has been cross-checked against libsodium (see CryptoBoxTest).
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

    static {
        BASE_POINT[0] = 9;
    }

    /** Our key; KeyParameter copies it in and getKey() hands out that copy, which destroy() wipes. */
    private final KeyParameter key;
    private final XSalsa20Engine cipher = new XSalsa20Engine();
    private final Poly1305 mac = new Poly1305();
    private final byte[] zeros = new byte[KEY_BYTES];
    /** The one-time Poly1305 key, rewritten for every box and wiped once the MAC has taken it. */
    private final KeyParameter macKeyParameter = new KeyParameter(new byte[KEY_BYTES]);
    private final byte[] macKey = macKeyParameter.getKey();
    private final byte[] tag = new byte[MAC_BYTES];

    private CryptoBox(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a box key is " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new KeyParameter(key);
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
        byte[] shared = scalarMult(ourSecret, theirPublic);
        byte[] k = hsalsa20(shared, new byte[16]);
        Arrays.fill(shared, (byte) 0);
        try {
            return new CryptoBox(k);
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
     * HSalsa20 ({@code crypto_core_hsalsa20} with NaCl's "expand 32-byte k" constant), obtained
     * from Bouncy Castle's XSalsa20 key setup; see {@link HSalsa20Tap}.
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
        return HSalsa20Tap.derive(key, input);
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
        startStream(nonce);
        int text = offset + MAC_BYTES;
        cipher.processBytes(buf, text, length, buf, text);
        mac.init(macKeyParameter);
        Arrays.fill(macKey, (byte) 0);
        mac.update(buf, text, length);
        mac.doFinal(buf, offset);
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
        int headerLength = header == null ? 0 : header.length;
        if (length < MAC_BYTES + headerLength || offset < 0 || offset + length > box.length) {
            return null;
        }
        startStream(nonce);
        int text = offset + MAC_BYTES;
        int textLength = length - MAC_BYTES;
        mac.init(macKeyParameter);
        Arrays.fill(macKey, (byte) 0);
        mac.update(box, text, textLength);
        mac.doFinal(tag, 0);
        boolean authentic = org.bouncycastle.util.Arrays.constantTimeAreEqual(MAC_BYTES, tag, 0, box, offset);
        Arrays.fill(tag, (byte) 0);
        if (!authentic) {
            return null;
        }
        if (headerLength > 0) {
            cipher.processBytes(box, text, headerLength, header, 0);
        }
        byte[] plaintext = new byte[textLength - headerLength];
        cipher.processBytes(box, text + headerLength, plaintext.length, plaintext, 0);
        return plaintext;
    }

    /** Zeroes the key this box holds; the box must not be used afterwards. */
    void destroy() {
        Arrays.fill(key.getKey(), (byte) 0);
        cipher.init(true, new ParametersWithIV(new KeyParameter(zeros), new byte[NONCE_BYTES]));
    }

    /** Keys XSalsa20 with our key and {@code nonce}; the first 32 keystream bytes become the MAC key. */
    private void startStream(byte[] nonce) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("a box nonce is " + NONCE_BYTES + " bytes, got " + nonce.length);
        }
        cipher.init(true, new ParametersWithIV(key, nonce));
        cipher.processBytes(zeros, 0, KEY_BYTES, macKey, 0);
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

    /**
     * Bouncy Castle's XSalsa20 key setup, used for its HSalsa20 step. When keyed with (k, n),
     * {@code XSalsa20Engine.setKey} loads the Salsa20 state with "expand 32-byte k", k and n[0..16],
     * runs {@code Salsa20Engine.salsaCore(20, state, x)} (20 rounds plus the feed-forward sum) and
     * then subtracts the input words again, leaving HSalsa20(k, n[0..16]) = the raw round output's
     * words 0, 5, 10, 15, 6, 7, 8, 9 in state words 1-4 and 11-14 (where Salsa20 keeps its key).
     * We read those eight words back, little-endian, exactly as {@code crypto_core_hsalsa20}
     * serialises them. A libsodium cross-check and NaCl's published vector guard this against any
     * change of Bouncy Castle's internal layout.
     */
    private static final class HSalsa20Tap extends XSalsa20Engine {
        static byte[] derive(byte[] key, byte[] input) {
            HSalsa20Tap tap = new HSalsa20Tap();
            byte[] nonce = new byte[NONCE_BYTES];
            System.arraycopy(input, 0, nonce, 0, 16);
            tap.setKey(key, nonce);
            byte[] out = new byte[KEY_BYTES];
            Pack.intToLittleEndian(tap.engineState, 1, 4, out, 0);
            Pack.intToLittleEndian(tap.engineState, 11, 4, out, 16);
            Arrays.fill(tap.engineState, 0);
            return out;
        }
    }
}
