package org.zmq4j.security;

import java.util.Objects;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

/**
 * The CURVE mechanism (rfc-25, rfc-26 CurveZMQ 1.0), wire-compatible with libzmq 4.3.
 * <p>
 * Handshake: the client sends HELLO (200 bytes), the server WELCOME (168), the client INITIATE
 * (257 + metadata), the server READY (30 + metadata), or ERROR when the ZAP handler refuses the
 * client (reason "400" or "500"; "300" closes silently). The server asks the ZAP handler
 * ("CURVE", [the client's 32-byte long-term public key]) after INITIATE has been verified.
 * Cryptography is NaCl's crypto_box from the JDK's X25519 and Bouncy Castle's XSalsa20/Poly1305
 * (see {@link CryptoBox}).
 * <p>
 * After the handshake every frame travels boxed in a MESSAGE command (33 + frame bytes):
 * {@link #boxMessage(byte[], boolean, boolean)} and {@link #unboxMessage(Command)}. The boxed
 * payload is a flags byte (0x01 MORE, 0x02 COMMAND as libzmq 4.3 uses it for PING, SUBSCRIBE...)
 * and the frame. Short nonces never repeat; a replayed or reordered MESSAGE is a
 * {@link ProtocolException}. libzmq 4.3 carries each MESSAGE in a ZMTP frame with no flags at all
 * (neither MORE nor COMMAND: the real flags are inside the box), and treats every frame after the
 * handshake as a MESSAGE; an engine must do the same.
 * <p>
 * Not thread-safe: one connection's I/O thread drives it.
 */
public final class CurveMechanism implements Mechanism {
    /** The mechanism name in the greeting. */
    public static final String NAME = "CURVE";
    /** Length of every CURVE key. */
    public static final int KEY_SIZE = CryptoBox.KEY_BYTES;

    private final CurveHandshake side;

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
        Objects.requireNonNull(identity, "identity");
        checkKey(secretKey, "secret");
        if (server) {
            side = new CurveServer(identity, secretKey);
        } else {
            checkKey(serverKey, "server");
            byte[] ours = publicKey == null ? CryptoBox.publicKey(secretKey) : checkKey(publicKey, "public");
            side = new CurveClient(identity, ours, secretKey, serverKey);
        }
    }

    /** {@inheritDoc} Always "CURVE". */
    @Override
    public String name() {
        return NAME;
    }

    /** {@inheritDoc} True on the server side. */
    @Override
    public boolean asServer() {
        return side.asServer();
    }

    /** {@inheritDoc} */
    @Override
    public byte[] nextCommand() {
        return side.nextCommand();
    }

    /**
     * {@inheritDoc} MESSAGE commands go to {@link #unboxMessage(Command)} instead.
     *
     * @throws ProtocolException when the command is malformed, forged, replayed, out of order, or
     *                           arrives after the handshake ended or while the ZAP handler decides;
     *                           the handshake has then failed for good
     */
    @Override
    public void process(Command command) throws ProtocolException {
        side.process(command);
    }

    /** {@inheritDoc} */
    @Override
    public Status status() {
        return side.status();
    }

    /** {@inheritDoc} On the server, after a ZAP 200, includes the handler's properties and User-Id. */
    @Override
    public Metadata peerMetadata() {
        return side.peerMetadata();
    }

    /** {@inheritDoc} */
    @Override
    public String errorReason() {
        return side.errorReason();
    }

    /** {@inheritDoc} On the server, after a valid INITIATE: ("CURVE", [client public key]). */
    @Override
    public ZapRequest takeZapRequest() {
        return side.takeZapRequest();
    }

    /**
     * {@inheritDoc} 200 continues with READY; 400 and 500 fail with ERROR carrying the code; 300
     * fails silently. A reply after the handshake already failed is ignored.
     *
     * @throws IllegalStateException when no ZAP request is outstanding
     */
    @Override
    public void zapReply(ZapReply reply) {
        side.zapReply(reply);
    }

    /**
     * {@inheritDoc} (libzmq's "Stonehouse": encryption without client authentication.)
     *
     * @throws IllegalStateException when no ZAP request is outstanding
     */
    @Override
    public void zapUnavailable() {
        side.zapUnavailable();
    }

    /** {@inheritDoc} */
    @Override
    public String userId() {
        return side.userId();
    }

    /** {@inheritDoc} Always true. */
    @Override
    public boolean boxesMessages() {
        return true;
    }

    /**
     * {@inheritDoc} Same as {@code boxMessage(frame, more, false)}.
     *
     * @throws IllegalStateException before the handshake is READY
     */
    @Override
    public byte[] boxMessage(byte[] frame, boolean more) {
        return side.boxMessage(frame, more, false);
    }

    /**
     * Boxes a data frame or a ZMTP command (PING, PONG, SUBSCRIBE, CANCEL... after the handshake)
     * in a MESSAGE command, as libzmq 4.3 does.
     *
     * @param frame   the frame body; for a command, the command body (name length, name, data)
     * @param more    whether more frames follow (MORE flag, 0x01)
     * @param command whether {@code frame} is a command body (COMMAND flag, 0x02)
     * @return the MESSAGE command body: "\7MESSAGE", 8-byte short nonce, 16-byte tag, flags and
     *         frame encrypted; {@code 33 + frame.length} bytes
     * @throws IllegalStateException before the handshake is READY
     */
    @Override
    public byte[] boxMessage(byte[] frame, boolean more, boolean command) {
        return side.boxMessage(frame, more, command);
    }

    /**
     * {@inheritDoc} {@link #lastUnboxedCommand()} tells whether it is a ZMTP command body.
     *
     * @throws ProtocolException when it is not a MESSAGE, is too short, its short nonce is not
     *                           greater than the previous one, its box does not open, or the
     *                           handshake is not READY
     */
    @Override
    public byte[] unboxMessage(Command message) throws ProtocolException {
        return side.unboxMessage(message);
    }

    /** {@inheritDoc} */
    @Override
    public boolean lastUnboxedMore() {
        return side.lastUnboxedMore();
    }

    /**
     * Whether the frame last returned by {@link #unboxMessage} is a ZMTP command body (flag 0x02),
     * to be parsed with {@link Command#parse(byte[])} rather than delivered.
     *
     * @return the COMMAND flag of the last unboxed frame
     */
    @Override
    public boolean lastUnboxedCommand() {
        return side.lastUnboxedCommand();
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

    /**
     * Wipes every secret this mechanism still holds: the transient and long-term secret keys a
     * handshake left unused (if it ended early) and the session key. Call it when the connection
     * closes; afterwards {@link #boxMessage} throws IllegalStateException and
     * {@link #unboxMessage} ProtocolException.
     */
    @Override
    public void destroy() {
        side.destroy();
    }

    private static byte[] checkKey(byte[] key, String which) {
        Objects.requireNonNull(key, which + "Key");
        if (key.length != KEY_SIZE) {
            throw new IllegalArgumentException("a CURVE " + which + " key is " + KEY_SIZE + " bytes, got " + key.length);
        }
        return key;
    }
}
