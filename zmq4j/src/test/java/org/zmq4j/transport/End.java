package org.zmq4j.transport;

import java.util.List;

import org.zmq4j.SocketType;

/**
 * One end of a connection under test, either a zmq4j socket or a libzmq socket in a pyzmq process,
 * so that the same message flows ({@link Flow}) run over every transport and in both directions.
 */
interface End {
    /** The socket type. */
    SocketType type();

    /** Binds and returns the resolved endpoint. */
    String bind(String endpoint);

    void connect(String endpoint);

    void unbind(String endpoint);

    void routingId(byte[] id);

    void subscribe(byte[] prefix);

    void unsubscribe(byte[] prefix);

    void routerMandatory();

    /**
     * Sends a whole message; fails the test when it is not accepted within the send timeout. A
     * ROUTER retries EHOSTUNREACH (ROUTER_MANDATORY, peer's handshake not done yet) until then.
     */
    void send(List<byte[]> frames);

    /** Receives a whole message, or null when none arrives within {@code timeoutMs}. */
    List<byte[]> recv(long timeoutMs);

    /** E.g. "zmq4j PUSH" or "libzmq PULL". */
    String describe();
}
