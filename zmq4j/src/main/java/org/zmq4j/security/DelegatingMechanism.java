package org.zmq4j.security;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

/**
 * A mechanism that forwards everything to the client or server state machine it chose at
 * construction; subclasses add what is particular to them (a name, factories, extra accessors).
 */
abstract class DelegatingMechanism implements Mechanism {
    /** The client or server side doing the work. */
    protected final Mechanism side;

    DelegatingMechanism(Mechanism side) {
        this.side = side;
    }

    @Override
    public boolean asServer() {
        return side.asServer();
    }

    @Override
    public byte[] nextCommand() {
        return side.nextCommand();
    }

    @Override
    public void process(Command command) throws ProtocolException {
        side.process(command);
    }

    @Override
    public Status status() {
        return side.status();
    }

    @Override
    public Metadata peerMetadata() {
        return side.peerMetadata();
    }

    @Override
    public String errorReason() {
        return side.errorReason();
    }

    @Override
    public HandshakeFailure failure() {
        return side.failure();
    }

    @Override
    public ZapRequest takeZapRequest() {
        return side.takeZapRequest();
    }

    @Override
    public void zapReply(ZapReply reply) {
        side.zapReply(reply);
    }

    @Override
    public void zapUnavailable() {
        side.zapUnavailable();
    }

    @Override
    public String userId() {
        return side.userId();
    }

    @Override
    public boolean boxesMessages() {
        return side.boxesMessages();
    }

    @Override
    public byte[] boxMessage(byte[] frame, boolean more) {
        return side.boxMessage(frame, more);
    }

    @Override
    public byte[] boxMessage(byte[] frame, boolean more, boolean command) {
        return side.boxMessage(frame, more, command);
    }

    @Override
    public byte[] unboxMessage(Command message) throws ProtocolException {
        return side.unboxMessage(message);
    }

    @Override
    public byte[] unboxMessage(byte[] body) throws ProtocolException {
        return side.unboxMessage(body);
    }

    @Override
    public boolean lastUnboxedMore() {
        return side.lastUnboxedMore();
    }

    @Override
    public boolean lastUnboxedCommand() {
        return side.lastUnboxedCommand();
    }

    @Override
    public byte[] repairHandshakeCommand(byte[] body) {
        return side.repairHandshakeCommand(body);
    }

    @Override
    public void destroy() {
        side.destroy();
    }
}
