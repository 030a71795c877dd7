package org.zmq4j.security;

import java.util.Arrays;
import java.util.List;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * The server side of PLAIN (rfc-24), as libzmq 4.3's plain_server: HELLO(username, password) is
 * checked by the ZAP handler (request "PLAIN", [username, password]); a 200 (or no handler, see
 * {@link PlainMechanism}) is answered with WELCOME, 400/500 with ERROR carrying the status code,
 * 300 by a silent close. INITIATE(metadata) is answered with READY(metadata).
 */
final class PlainServer extends Handshake {
    private enum State { WAITING_FOR_HELLO, WAITING_FOR_INITIATE }

    private State state = State.WAITING_FOR_HELLO;

    /** @param identity what we announce, and how we check the client */
    PlainServer(HandshakeIdentity identity) {
        super(identity);
    }

    @Override
    public String name() {
        return PlainMechanism.NAME;
    }

    @Override
    public boolean asServer() {
        return true;
    }

    @Override
    void handle(Command command) throws ProtocolException {
        if (state == State.WAITING_FOR_HELLO && command.is(PlainMechanism.HELLO)) {
            processHello(command.data());
        } else if (state == State.WAITING_FOR_INITIATE && command.is(PlainMechanism.INITIATE)) {
            if (acceptPeerMetadata(command.data(), 0)) {
                sendLast(Command.body(Command.READY, ourProperties()));
            }
        } else {
            throw unexpected(command, state == State.WAITING_FOR_HELLO ? "HELLO" : "INITIATE");
        }
    }

    /** HELLO data: username length, username, password length, password, and nothing else. */
    private void processHello(byte[] d) throws ProtocolException {
        if (d.length < 1) {
            throw new ProtocolException(ProtocolError.MALFORMED, "malformed PLAIN HELLO: no username");
        }
        int userLength = d[0] & 0xFF;
        if (d.length < 2 + userLength) {
            throw new ProtocolException(ProtocolError.MALFORMED, "malformed PLAIN HELLO: username or password length missing");
        }
        int passwordLength = d[1 + userLength] & 0xFF;
        if (d.length != 2 + userLength + passwordLength) {
            throw new ProtocolException(ProtocolError.MALFORMED, "malformed PLAIN HELLO: password length " + passwordLength
                    + " does not match the " + (d.length - 2 - userLength) + " bytes left");
        }
        byte[] username = Arrays.copyOfRange(d, 1, 1 + userLength);
        byte[] password = Arrays.copyOfRange(d, 2 + userLength, d.length);
        state = State.WAITING_FOR_INITIATE;
        askZap(new ZapRequest(PlainMechanism.NAME, List.of(username, password)));
    }

    @Override
    boolean acceptsWithoutZap() {
        return false; // libzmq 4.3 refuses every PLAIN client when no ZAP handler is bound
    }

    @Override
    void zapAccepted() {
        send(Command.body(PlainMechanism.WELCOME, new byte[0]));
    }
}
