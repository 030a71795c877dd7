package org.zmq4j.security;

import java.util.Objects;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.ProtocolException;

/**
 * The CURVE mechanism (rfc-25, rfc-26 CurveZMQ 1.0), wire-compatible with libzmq 4.3.
 * <p>
 * Handshake: the client sends HELLO (200 bytes), the server WELCOME (168), the client INITIATE
 * (257 + metadata), the server READY (30 + metadata), or ERROR when the ZAP handler refuses the
 * client (reason "400" or "500"; "300" closes silently). The server asks the ZAP handler
 * ("CURVE", [the client's 32-byte long-term public key]) after INITIATE has been verified.
 * Cryptography is NaCl's crypto_box: the JDK's X25519, and XSalsa20-Poly1305 of the project's own
 * ({@link XSalsa20Poly1305}) or, with {@code -Dorg.zmq4j.curve.crypto=bouncycastle}, Bouncy
 * Castle's (see {@link CryptoBox} and {@link SecretBox}).
 * <p>
 * After the handshake every frame travels boxed in a MESSAGE command (33 + frame bytes):
 * {@link #boxMessage(byte[], boolean, boolean)} and {@link #unboxMessage(Command)}. The boxed
 * payload is a flags byte (0x01 MORE, 0x02 COMMAND as libzmq 4.3 uses it for PING, SUBSCRIBE...)
 * and the frame. Short nonces never repeat; a replayed or reordered MESSAGE is a
 * {@link ProtocolException}. libzmq 4.3 carries each MESSAGE in a ZMTP frame with no flags at all
 * (neither MORE nor COMMAND: the real flags are inside the box), and treats every frame after the
 * handshake as a MESSAGE; an engine must do the same.
 * <p>
 * Threads: the connection's I/O thread drives the handshake and opens the peer's messages; once
 * READY, {@link #boxMessage(byte[], boolean, boolean)} may be called from another thread than the
 * I/O thread, by one thread at a time with each call ordered after the previous one (the engine's
 * write exclusion), while the I/O thread opens messages: the two directions share no mutable state
 * (details in {@code CurveHandshake}). Otherwise not thread-safe.
 */
public final class CurveMechanism extends DelegatingMechanism {
    /** The mechanism name in the greeting. */
    public static final String NAME = "CURVE";
    /** Length of every CURVE key. */
    public static final int KEY_SIZE = CryptoBox.KEY_BYTES;


    /**
     * Makes one side of a CURVE handshake. Keys are copied; our copies of secret keys are wiped as
     * soon as the handshake no longer needs them.
     *
     * @param identity  what we announce, and how we check the peer
     * @param server    true for the server (CURVE_SERVER), false for the client
     * @param publicKey our long-term public key; may be null to derive it from the secret key (a
     *                  server always derives it)
     * @param secretKey our long-term secret key
     * @param serverKey the server's long-term public key (client only; ignored, may be null, on a
     *                  server). A key that is not a usable Curve25519 point makes the client's
     *                  handshake fail at once: status ERROR, nothing to send.
     * @throws IllegalArgumentException when a key that is needed is not 32 bytes
     * @throws NullPointerException     when identity, the secret key or a client's server key is null
     */
    public CurveMechanism(HandshakeIdentity identity, boolean server, byte[] publicKey, byte[] secretKey, byte[] serverKey) {
        super(side(identity, server, publicKey, secretKey, serverKey));
    }

    private static CurveHandshake side(HandshakeIdentity identity, boolean server, byte[] publicKey, byte[] secretKey,
                                       byte[] serverKey) {
        Objects.requireNonNull(identity, "identity");
        checkKey(secretKey, "secret");
        if (server) {
            return new CurveServer(identity, secretKey);
        }
        checkKey(serverKey, "server");
        byte[] ours = publicKey == null ? CryptoBox.publicKey(secretKey) : checkKey(publicKey, "public");
        return new CurveClient(identity, ours, secretKey, serverKey);
    }

    /** {@inheritDoc} Always "CURVE". */
    @Override
    public String name() {
        return NAME;
    }


    /**
     * The peer's long-term public key: on a client the server key it was given; on a server the
     * client's key, once INITIATE has been verified (null before).
     *
     * @return a copy of the 32-byte key, or null
     */
    public byte[] peerPublicKey() {
        return side instanceof CurveServer s ? s.clientKey() : ((CurveClient) side).serverKey();
    }

    /** The implementation boxing this connection's messages ("zmq4j", "zmq4j-loops", "zmq4j-scalar" or "bouncycastle"), or null before READY. */
    String sessionCrypto() {
        CryptoBox session = ((CurveHandshake) side).session;
        return session == null ? null : session.implementation();
    }

    private static byte[] checkKey(byte[] key, String which) {
        Objects.requireNonNull(key, which + "Key");
        if (key.length != KEY_SIZE) {
            throw new IllegalArgumentException("a CURVE " + which + " key is " + KEY_SIZE + " bytes, got " + key.length);
        }
        return key;
    }
}
