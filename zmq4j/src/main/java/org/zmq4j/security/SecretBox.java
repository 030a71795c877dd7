package org.zmq4j.security;

import java.util.Locale;

/**
 * NaCl's {@code crypto_secretbox} (XSalsa20-Poly1305) under one 32-byte key, in libsodium's
 * "easy" layout (16-byte Poly1305 tag, then the ciphertext, as long as the plaintext), with
 * 24-byte nonces. {@link CryptoBox} boxes through one of two implementations:
 * <ul>
 * <li>{@code zmq4j} (the default): {@link XSalsa20Poly1305}, the project's own XSalsa20, HSalsa20
 * and Poly1305;</li>
 * <li>{@code bouncycastle}: {@link BouncyCastleSecretBox}, Bouncy Castle's XSalsa20Engine and
 * Poly1305.</li>
 * </ul>
 * The system property {@value #PROPERTY} chooses ({@code zmq4j} or {@code bouncycastle}); it is
 * read when a box is made, so a running program can switch for the connections it opens next; a
 * CURVE socket's bind or connect fails with EINVAL while it holds any other value.
 * Both produce identical bytes (the test suite compares them with each other and with libsodium).
 * <p>
 * Implementations are not thread-safe: each reuses its state and scratch buffers between calls;
 * one connection's thread owns a box.
 */
interface SecretBox {
    /** The system property that chooses the implementation: {@code zmq4j} or {@code bouncycastle}. */
    String PROPERTY = "org.zmq4j.curve.crypto";

    /**
     * Seals in place: the plaintext at {@code buf[offset + 16, offset + 16 + length)} is
     * encrypted where it lies and the tag is written to {@code buf[offset, offset + 16)}.
     *
     * @param nonce  24 bytes, never reused with this key
     * @param buf    the buffer
     * @param offset where the box (its tag) starts
     * @param length plaintext length
     */
    void seal(byte[] nonce, byte[] buf, int offset, int length);

    /**
     * Checks a box's tag in constant time and, when it is authentic, decrypts it: the first
     * {@code header.length} plaintext bytes into {@code header}, the rest into {@code rest}.
     * Nothing is written when the tag is wrong.
     *
     * @param nonce  the 24-byte nonce it was sealed with
     * @param box    the buffer holding the box
     * @param offset where the box (its tag) starts
     * @param length the box length, tag included; at least {@code 16 + header.length}
     * @param header receives the first plaintext bytes (may be empty)
     * @param rest   receives the remaining {@code length - 16 - header.length} plaintext bytes
     * @return whether the tag was authentic
     */
    boolean open(byte[] nonce, byte[] box, int offset, int length, byte[] header, byte[] rest);

    /** Zeroes the key and any key-derived state; the box must not be used afterwards. */
    void destroy();

    /**
     * HSalsa20 with this implementation ({@code crypto_core_hsalsa20}, NaCl's constant).
     *
     * @param key   32 bytes
     * @param input 16 bytes
     * @return 32 bytes
     */
    byte[] hsalsa20(byte[] key, byte[] input);

    /**
     * A box of the implementation {@value #PROPERTY} names.
     *
     * @param key 32 bytes, copied
     * @return the box
     * @throws IllegalArgumentException when the property names no implementation
     */
    static SecretBox create(byte[] key) {
        return useBouncyCastle() ? new BouncyCastleSecretBox(key) : new XSalsa20Poly1305(key);
    }

    /**
     * Whether {@value #PROPERTY} asks for Bouncy Castle.
     *
     * @return true for {@code bouncycastle}, false for {@code zmq4j} or when unset
     * @throws IllegalArgumentException when the property holds another value
     */
    static boolean useBouncyCastle() {
        String name = System.getProperty(PROPERTY, "zmq4j").trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "zmq4j":
            case "":
                return false;
            case "bouncycastle":
                return true;
            default:
                throw new IllegalArgumentException(PROPERTY + " is '" + name + "': expected zmq4j or bouncycastle");
        }
    }
}
