package org.zmq4j;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.KeyAgreement;

/**
 * A long-term CURVE key pair (rfc-26): a Curve25519 public key and its secret key, 32 bytes each,
 * in the same format as libzmq's {@code zmq_curve_keypair} and libsodium's {@code crypto_box}.
 * <p>
 * Keys are made by the JDK's own X25519 implementation; zmq4j contains no cryptographic code of
 * its own here. Instances are immutable: the arrays are copied on the way in and on the way out.
 * {@link #toString()} shows the public key only, so a logged key pair does not leak its secret.
 *
 * @param publicKey the 32-byte public key (u-coordinate, little-endian, as on the wire)
 * @param secretKey the 32-byte secret key (the X25519 scalar, as libsodium stores it)
 */
public record CurveKeyPair(byte[] publicKey, byte[] secretKey) {
    /** Length in bytes of a CURVE public or secret key. */
    public static final int KEY_SIZE = 32;

    private static final String X25519 = "X25519";
    /** The u-coordinate of Curve25519's base point. */
    private static final BigInteger BASE_POINT_U = BigInteger.valueOf(9);

    /**
     * Makes a key pair from two keys. The keys are copied; they are not checked to belong together
     * (use {@link #fromSecretKey(byte[])} to derive the public key).
     *
     * @param publicKey the 32-byte public key
     * @param secretKey the 32-byte secret key
     * @throws ZmqException EINVAL when a key is not 32 bytes long
     * @throws NullPointerException when a key is null
     */
    public CurveKeyPair {
        publicKey = checkedCopy(publicKey, "public");
        secretKey = checkedCopy(secretKey, "secret");
    }

    /**
     * Generates a fresh random key pair with the JDK's X25519 key pair generator.
     *
     * @return a new key pair
     */
    public static CurveKeyPair generate() {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance(X25519).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate X25519 keys", e);
        }
        byte[] secret = ((XECPrivateKey) pair.getPrivate()).getScalar()
                .orElseThrow(() -> new IllegalStateException("the JDK's X25519 secret key does not reveal its scalar"));
        byte[] publicKey = toLittleEndian(((XECPublicKey) pair.getPublic()).getU());
        return new CurveKeyPair(publicKey, secret);
    }

    /**
     * Rebuilds the key pair that belongs to a secret key, deriving the public key with the JDK's
     * X25519 (the secret key multiplied by the curve's base point), as libzmq's
     * {@code zmq_curve_public} does.
     *
     * @param secretKey a 32-byte secret key, e.g. from {@link #secretKey()} or libzmq
     * @return the key pair with its matching public key
     * @throws ZmqException EINVAL when the key is not 32 bytes long
     * @throws NullPointerException when the key is null
     */
    public static CurveKeyPair fromSecretKey(byte[] secretKey) {
        byte[] secret = checkedCopy(secretKey, "secret");
        try {
            KeyFactory factory = KeyFactory.getInstance(X25519);
            PrivateKey privateKey = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, secret));
            PublicKey basePoint = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BASE_POINT_U));
            KeyAgreement agreement = KeyAgreement.getInstance(X25519);
            agreement.init(privateKey);
            agreement.doPhase(basePoint, true);
            return new CurveKeyPair(agreement.generateSecret(), secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot derive an X25519 public key", e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * The public key.
     *
     * @return a copy of the 32-byte public key
     */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * The secret key. Keep it out of logs and source code.
     *
     * @return a copy of the 32-byte secret key
     */
    @Override
    public byte[] secretKey() {
        return secretKey.clone();
    }

    /**
     * The public key as 40 characters of Z85, the form libzmq's tools print and read.
     *
     * @return the Z85 text of the public key
     */
    public String publicKeyZ85() {
        return Z85.encode(publicKey);
    }

    /**
     * The secret key as 40 characters of Z85. Keep it out of logs and source code.
     *
     * @return the Z85 text of the secret key
     */
    public String secretKeyZ85() {
        return Z85.encode(secretKey);
    }

    /**
     * Two key pairs are equal when both keys hold the same bytes.
     *
     * @param other another object
     * @return true when {@code other} is a key pair with the same public and secret key
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof CurveKeyPair)) {
            return false;
        }
        CurveKeyPair that = (CurveKeyPair) other;
        return Arrays.equals(publicKey, that.publicKey)
                && MessageDigest.isEqual(secretKey, that.secretKey);
    }

    /**
     * A hash of the public key only, so that the hash reveals nothing about the secret key.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    /**
     * Describes the key pair by its public key; the secret key is never printed.
     *
     * @return {@code CurveKeyPair[publicKey=}<i>40 characters of Z85</i>{@code , secretKey=(hidden)]}
     */
    @Override
    public String toString() {
        return "CurveKeyPair[publicKey=" + publicKeyZ85() + ", secretKey=(hidden)]";
    }

    private static byte[] checkedCopy(byte[] key, String which) {
        Objects.requireNonNull(key, which + "Key");
        if (key.length != KEY_SIZE) {
            throw new ZmqException(ZmqException.Errno.EINVAL,
                    "a CURVE " + which + " key is " + KEY_SIZE + " bytes, got " + key.length);
        }
        return key.clone();
    }

    /** The u-coordinate as RFC 7748 encodes it: 32 bytes, least significant first. */
    private static byte[] toLittleEndian(BigInteger u) {
        byte[] bigEndian = u.toByteArray();
        byte[] littleEndian = new byte[KEY_SIZE];
        // toByteArray may add a leading sign byte; it never holds more than 32 significant bytes here.
        for (int i = 0; i < KEY_SIZE && i < bigEndian.length; i++) {
            littleEndian[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return littleEndian;
    }
}
