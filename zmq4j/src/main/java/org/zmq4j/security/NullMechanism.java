package org.zmq4j.security;

import java.nio.charset.StandardCharsets;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

/**
 * The NULL mechanism (rfc-37 "The NULL Security Mechanism"): each side sends READY with its
 * metadata; the handshake completes when both have been sent and received. An incompatible peer
 * socket type is answered with an ERROR command.
 */
public final class NullMechanism implements Mechanism {
    private final HandshakeIdentity identity;
    private boolean readySent;
    private boolean readyReceived;
    private byte[] errorToSend;
    private boolean errorSent;
    private Status status = Status.HANDSHAKING;
    private Metadata peer = Metadata.empty();
    private String errorReason;

    /** @param identity what we announce, and how we check the peer */
    public NullMechanism(HandshakeIdentity identity) {
        this.identity = identity;
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
        if (!readySent && status == Status.HANDSHAKING) {
            readySent = true;
            updateStatus();
            return Command.body(Command.READY, identity.encodeProperties());
        }
        return null;
    }

    @Override
    public void process(Command command) throws ProtocolException {
        if (status != Status.HANDSHAKING) {
            throw new ProtocolException("unexpected " + command.name() + " after the NULL handshake");
        }
        if (command.is(Command.ERROR)) {
            byte[] d = command.data();
            int len = d.length > 0 ? Math.min(d[0] & 0xFF, d.length - 1) : 0;
            fail("peer sent ERROR: " + new String(d, 1, len, StandardCharsets.US_ASCII), false);
            return;
        }
        if (!command.is(Command.READY) || readyReceived) {
            throw new ProtocolException("unexpected command " + command.name() + " in the NULL handshake");
        }
        readyReceived = true;
        peer = HandshakeIdentity.parseProperties(command.data());
        String problem = identity.validate(peer);
        if (problem != null) {
            fail(problem, true);
            return;
        }
        updateStatus();
    }

    private void fail(String reason, boolean tellPeer) {
        errorReason = reason;
        status = Status.ERROR;
        if (tellPeer) {
            byte[] r = "Invalid socket type".getBytes(StandardCharsets.US_ASCII);
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
        return peer;
    }

    @Override
    public String errorReason() {
        return errorReason;
    }
}
