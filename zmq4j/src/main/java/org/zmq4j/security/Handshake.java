package org.zmq4j.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Objects;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * One side of a PLAIN or CURVE handshake: the bookkeeping both mechanisms share.
 * <ul>
 * <li>an outbox of command bodies for {@link #nextCommand()};</li>
 * <li>the status, which turns READY when the last command queued with {@link #sendLast} has been
 * taken (a server's READY), or at once with {@link #becomeReady()} (a client receiving READY);</li>
 * <li>failure: silent ({@link #fail}) or with an ERROR command ({@link #failWithError}), the ERROR
 * then being the only command left to send;</li>
 * <li>the peer's metadata, checked with {@link HandshakeIdentity#validate};</li>
 * <li>the server side of ZAP (rfc-27): {@link #askZap} parks the handshake until the engine answers
 * with {@link #zapReply} or {@link #zapUnavailable}, as libzmq 4.3's zap_client does.</li>
 * </ul>
 * Subclasses implement {@link #handle(Command)} and {@link #zapAccepted()}. Not thread-safe: the
 * connection's I/O thread drives it.
 */
abstract class Handshake implements Mechanism {
    /** Reason libzmq's peers understand for an incompatible socket type. */
    static final String INVALID_SOCKET_TYPE = "Invalid socket type";

    /** Our Socket-Type and Identity, and the check of the peer's. */
    final HandshakeIdentity identity;
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>(2);
    private boolean readyWhenSent;
    private Status status = Status.HANDSHAKING;
    private String errorReason;
    private HandshakeFailure failure;
    private Metadata peer = Metadata.empty();
    private Metadata peerWithZap;

    private ZapRequest zapToTake;
    private boolean zapPending;
    private ZapReply zapApproval;

    /** @param identity what we announce, and how we check the peer */
    Handshake(HandshakeIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    // ------------------------------------------------------------------ Mechanism

    @Override
    public final byte[] nextCommand() {
        byte[] body = outbox.poll();
        if (body != null && outbox.isEmpty() && readyWhenSent) {
            readyWhenSent = false;
            status = Status.READY;
        }
        return body;
    }

    @Override
    public final void process(Command command) throws ProtocolException {
        if (status != Status.HANDSHAKING) {
            throw new ProtocolException(ProtocolError.UNEXPECTED_COMMAND, "unexpected " + command.name() + " after the " + name() + " handshake "
                    + (status == Status.ERROR ? "failed" : "completed"));
        }
        try {
            if (readyWhenSent) {
                throw new ProtocolException(ProtocolError.UNEXPECTED_COMMAND, "unexpected " + command.name() + " after the " + name() + " handshake completed");
            }
            if (zapPending) {
                throw new ProtocolException(ProtocolError.UNEXPECTED_COMMAND, "unexpected " + command.name() + " while the ZAP handler decides");
            }
            handle(command);
        } catch (ProtocolException e) {
            // a broken handshake stays broken: nothing the peer sends later is looked at
            fail(HandshakeFailure.protocol(e.error()), e.getMessage());
            throw e;
        }
    }

    @Override
    public final Status status() {
        return status;
    }

    /** The peer's metadata plus, after a ZAP 200, the handler's properties and User-Id (which win). */
    @Override
    public final Metadata peerMetadata() {
        if (zapApproval == null) {
            return peer;
        }
        if (peerWithZap == null) {
            peerWithZap = withZapProperties(peer, zapApproval);
        }
        return peerWithZap;
    }

    @Override
    public final String errorReason() {
        return errorReason;
    }

    @Override
    public final HandshakeFailure failure() {
        return failure;
    }

    @Override
    public final ZapRequest takeZapRequest() {
        ZapRequest r = zapToTake;
        zapToTake = null;
        return r;
    }

    @Override
    public final void zapReply(ZapReply reply) {
        if (!endZap()) {
            return;
        }
        String code = reply.statusCode();
        if (reply.accepted()) {
            zapApproval = reply;
            zapAccepted();
        } else if ("300".equals(code)) {
            // libzmq: a temporary failure is not answered with ERROR, the client is just dropped
            fail(HandshakeFailure.auth(code), "ZAP handler refused the client: 300 " + reply.statusText());
        } else if ("400".equals(code) || "500".equals(code)) {
            failWithError(HandshakeFailure.auth(code), "ZAP handler refused the client: " + code + " " + reply.statusText(), code);
        } else {
            fail(HandshakeFailure.protocol(ProtocolError.ZAP_MALFORMED_REPLY), "ZAP handler sent an invalid status code '" + code + "'");
        }
    }

    @Override
    public final void zapUnavailable() {
        if (endZap()) {
            if (acceptsWithoutZap()) {
                zapAccepted();
            } else {
                fail(HandshakeFailure.protocol(ProtocolError.UNSPECIFIED), name() + " server needs a ZAP handler at inproc://zeromq.zap.01 (as in libzmq 4.3); none is bound");
            }
        }
    }

    /** Whether a server lets peers in when no ZAP handler is bound (CURVE: yes; PLAIN: no, as libzmq 4.3). */
    boolean acceptsWithoutZap() {
        return true;
    }

    @Override
    public final String userId() {
        return zapApproval == null || zapApproval.userId() == null ? "" : zapApproval.userId();
    }

    // ------------------------------------------------------------------ for subclasses

    /**
     * Handles a peer command while handshaking and not waiting for ZAP.
     *
     * @param command the command
     * @throws ProtocolException when it is malformed, forged or out of order
     */
    abstract void handle(Command command) throws ProtocolException;

    /** The ZAP handler let the client in (or none is bound): carry on with the handshake. */
    void zapAccepted() {
        throw new IllegalStateException(name() + " did not ask for ZAP");
    }

    /** Queues a command. */
    final void send(byte[] body) {
        outbox.add(body);
    }

    /** Queues our last handshake command; the status turns READY when it has been taken. */
    final void sendLast(byte[] body) {
        outbox.add(body);
        readyWhenSent = true;
    }

    /** The handshake is complete on receipt (client side). */
    final void becomeReady() {
        status = Status.READY;
    }

    /** Fails without telling the peer (a client, or a server that drops the peer silently). */
    final void fail(HandshakeFailure how, String reason) {
        status = Status.ERROR;
        failure = how;
        errorReason = reason;
        outbox.clear();
        readyWhenSent = false;
        zapToTake = null;
        onFailure();
    }

    /** Called once the handshake has failed: a mechanism wipes the secrets it no longer needs. */
    void onFailure() {
    }

    /** Fails and queues an ERROR command carrying {@code errorText} (at most 255 ASCII characters). */
    final void failWithError(HandshakeFailure how, String reason, String errorText) {
        fail(how, reason);
        outbox.add(errorCommand(errorText));
    }

    /**
     * Fails because the peer sent ERROR (rfc-37: a reason of 0..255 octets after its length).
     *
     * @param error the ERROR command
     * @throws ProtocolException when the reason's length runs past the command
     */
    final void failOnPeerError(Command error) throws ProtocolException {
        String reason = error.errorReason();
        fail(HandshakeFailure.peerError(reason), "peer sent ERROR: " + reason);
    }

    /**
     * Parses and checks the peer's metadata. An incompatible socket type fails the handshake (a
     * server tells the peer with ERROR, as {@link NullMechanism} does; a client never sends ERROR).
     *
     * @param bytes  where the properties are
     * @param offset where they start (they run to the end of {@code bytes})
     * @return true when accepted, false when the handshake has failed
     * @throws ProtocolException when the properties are malformed
     */
    final boolean acceptPeerMetadata(byte[] bytes, int offset) throws ProtocolException {
        Metadata m = Metadata.parse(bytes, offset);
        String problem = identity.validate(m);
        if (problem != null) {
            if (asServer()) {
                failWithError(HandshakeFailure.protocol(ProtocolError.INVALID_METADATA), problem, INVALID_SOCKET_TYPE);
            } else {
                fail(HandshakeFailure.protocol(ProtocolError.INVALID_METADATA), problem);
            }
            return false;
        }
        peer = m;
        peerWithZap = null;
        return true;
    }

    /** Parks the handshake until the engine has asked the ZAP handler {@code request}. */
    final void askZap(ZapRequest request) {
        zapToTake = request;
        zapPending = true;
    }

    /** Our metadata properties. */
    final byte[] ourProperties() {
        return identity.encodeProperties();
    }

    /** An ERROR command body with {@code reason} (truncated to 255 octets). */
    static byte[] errorCommand(String reason) {
        byte[] r = reason.getBytes(StandardCharsets.US_ASCII);
        int len = Math.min(r.length, 255);
        byte[] data = new byte[1 + len];
        data[0] = (byte) len;
        System.arraycopy(r, 0, data, 1, len);
        return Command.body(Command.ERROR, data);
    }

    /** An exception for a command that does not belong here. */
    final ProtocolException unexpected(Command command, String expected) {
        return new ProtocolException(ProtocolError.UNEXPECTED_COMMAND, "unexpected " + command.name() + " in the " + name() + " handshake (expected " + expected + ")");
    }

    /**
     * Ends the wait for ZAP. A reply that comes after the handshake failed (the peer broke the
     * protocol meanwhile) is ignored.
     *
     * @return true when the handshake goes on
     * @throws IllegalStateException when no ZAP request was outstanding
     */
    private boolean endZap() {
        if (status != Status.HANDSHAKING) {
            return false;
        }
        if (!zapPending) {
            throw new IllegalStateException(name() + " handshake is not waiting for a ZAP reply");
        }
        zapPending = false;
        zapToTake = null;
        return true;
    }

    /**
     * libzmq attaches the ZAP handler's properties and User-Id to the peer's messages, ahead of
     * the peer's own properties of the same name; {@link #peerMetadata()} folds them in the same way.
     */
    private static Metadata withZapProperties(Metadata own, ZapReply approval) {
        Metadata merged = approval.metadata() == null ? own : own.with(approval.metadata());
        String user = approval.userId() == null ? "" : approval.userId();
        return merged.with("User-Id", user.getBytes(StandardCharsets.UTF_8));
    }
}
