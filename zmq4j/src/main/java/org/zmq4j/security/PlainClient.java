package org.zmq4j.security;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * The client side of PLAIN (rfc-24), as libzmq 4.3's plain_client: HELLO(username, password), then
 * INITIATE(metadata) after WELCOME, done on READY(metadata); an ERROR from the server fails the
 * handshake. The client never sends ERROR.
 */
final class PlainClient extends Handshake {
    private enum State { WAITING_FOR_WELCOME, WAITING_FOR_READY }

    private State state = State.WAITING_FOR_WELCOME;

    /**
     * @param identity what we announce, and how we check the server
     * @param username 0..255 octets
     * @param password 0..255 octets
     */
    PlainClient(HandshakeIdentity identity, byte[] username, byte[] password) {
        super(identity);
        byte[] data = new byte[2 + username.length + password.length];
        data[0] = (byte) username.length;
        System.arraycopy(username, 0, data, 1, username.length);
        data[1 + username.length] = (byte) password.length;
        System.arraycopy(password, 0, data, 2 + username.length, password.length);
        send(Command.body(PlainMechanism.HELLO, data));
    }

    @Override
    public String name() {
        return PlainMechanism.NAME;
    }

    @Override
    public boolean asServer() {
        return false;
    }

    @Override
    void handle(Command command) throws ProtocolException {
        if (command.is(Command.ERROR)) {
            failOnPeerError(command);
        } else if (state == State.WAITING_FOR_WELCOME && command.is(PlainMechanism.WELCOME)) {
            if (command.data().length != 0) {
                throw new ProtocolException(ProtocolError.MALFORMED, "malformed PLAIN WELCOME: " + command.data().length + " bytes of data");
            }
            state = State.WAITING_FOR_READY;
            send(Command.body(PlainMechanism.INITIATE, ourProperties()));
        } else if (state == State.WAITING_FOR_READY && command.is(Command.READY)) {
            if (acceptPeerMetadata(command.data(), 0)) {
                becomeReady();
            }
        } else {
            throw unexpected(command, state == State.WAITING_FOR_WELCOME ? "WELCOME or ERROR" : "READY or ERROR");
        }
    }
}
