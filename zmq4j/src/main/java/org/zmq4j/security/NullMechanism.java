package org.zmq4j.security;

import java.nio.charset.StandardCharsets;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * The NULL mechanism (rfc-37 "The NULL Security Mechanism"): each side sends READY with its
 * metadata; the handshake completes when both have been sent and received. An incompatible peer
 * socket type is answered with an ERROR command.
 */
public final class NullMechanism implements Mechanism {
    private final HandshakeIdentity identity;
    private final boolean askZap;
    private boolean zapRequested;
    private boolean zapDone;
    private String userId = "";
    private Metadata zapMetadata = Metadata.empty();
    private boolean readySent;
    private boolean readyReceived;
    private byte[] errorToSend;
    private boolean errorSent;
    private Status status = Status.HANDSHAKING;
    private Metadata peer = Metadata.empty();
    private String errorReason;
    private HandshakeFailure failure;

    /** @param identity what we announce, and how we check the peer */
    public NullMechanism(HandshakeIdentity identity) {
        this(identity, false);
    }

    /**
     * @param identity what we announce, and how we check the peer
     * @param askZap   whether to ask the ZAP handler before sending READY (ZAP_DOMAIN is set)
     */
    public NullMechanism(HandshakeIdentity identity, boolean askZap) {
        this.identity = identity;
        this.askZap = askZap;
        this.zapDone = !askZap;
    }

    @Override
    public ZapRequest takeZapRequest() {
        if (askZap && !zapRequested && status == Status.HANDSHAKING) {
            zapRequested = true;
            return new ZapRequest("NULL", java.util.List.of());
        }
        return null;
    }

    @Override
    public void zapReply(ZapReply reply) {
        zapDone = true;
        if (!reply.accepted()) {
            fail(HandshakeFailure.auth(reply.statusCode()), "ZAP refused the peer: " + reply.statusCode() + " " + reply.statusText(),
                    reply.statusCode());
            return;
        }
        userId = reply.userId();
        zapMetadata = reply.metadata();
    }

    @Override
    public void zapUnavailable() {
        zapDone = true;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public String name() {
        return "NULL";
    }

    @Override
    public boolean asServer() {
        return false;
    }

    @Override
    public byte[] nextCommand() {
        if (errorToSend != null && !errorSent) {
            errorSent = true;
            return errorToSend;
        }
        if (!readySent && status == Status.HANDSHAKING && zapDone) {
            readySent = true;
            updateStatus();
            return Command.body(Command.READY, identity.encodeProperties());
        }
        return null;
    }

    @Override
    public void process(Command command) throws ProtocolException {
        if (status != Status.HANDSHAKING) {
            throw new ProtocolException(ProtocolError.UNEXPECTED_COMMAND, "unexpected " + command.name() + " after the NULL handshake");
        }
        if (command.is(Command.ERROR)) {
            String reason = command.errorReason();
            fail(HandshakeFailure.peerError(reason), "peer sent ERROR: " + reason, null);
            return;
        }
        if (!command.is(Command.READY) || readyReceived) {
            throw new ProtocolException(ProtocolError.UNEXPECTED_COMMAND, "unexpected command " + command.name() + " in the NULL handshake");
        }
        readyReceived = true;
        peer = HandshakeIdentity.parseProperties(command.data());
        String problem = identity.validate(peer);
        if (problem != null) {
            fail(HandshakeFailure.protocol(ProtocolError.INVALID_METADATA), problem, "Invalid socket type");
            return;
        }
        updateStatus();
    }

    private void fail(HandshakeFailure how, String reason, String errorForPeer) {
        failure = how;
        errorReason = reason;
        status = Status.ERROR;
        if (errorForPeer != null) {
            byte[] r = errorForPeer.getBytes(StandardCharsets.US_ASCII);
            byte[] data = new byte[1 + r.length];
            data[0] = (byte) r.length;
            System.arraycopy(r, 0, data, 1, r.length);
            errorToSend = Command.body(Command.ERROR, data);
        }
    }

    private void updateStatus() {
        if (readySent && readyReceived && status == Status.HANDSHAKING) {
            status = Status.READY;
        }
    }

    @Override
    public Status status() {
        return status;
    }

    @Override
    public Metadata peerMetadata() {
        return peer.with(zapMetadata);
    }

    @Override
    public String errorReason() {
        return errorReason;
    }

    @Override
    public HandshakeFailure failure() {
        return failure;
    }
}
