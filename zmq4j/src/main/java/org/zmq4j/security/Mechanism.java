package org.zmq4j.security;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * A ZMTP security mechanism's handshake, sans-IO: the engine feeds it the peer's commands and sends
 * the commands it produces, until {@link #status()} is READY (or ERROR).
 * <p>
 * Threads: the connection's I/O thread drives everything, except that a mechanism that
 * {@linkplain #boxesMessages() boxes messages} must accept {@code boxMessage} calls from whichever
 * thread holds the connection's write exclusion (the I/O thread or an application thread writing
 * to an idle connection itself), one at a time and ordered by that exclusion, concurrently with
 * {@code unboxMessage} on the I/O thread. Implementations are otherwise not thread-safe.
 */
public interface Mechanism {
    /** Handshake progress. */
    enum Status {
        /** Still exchanging commands. */
        HANDSHAKING,
        /** Done: messages may flow. */
        READY,
        /** Failed: send {@link #nextCommand()} if any (an ERROR command), then close. */
        ERROR
    }

    /** The mechanism name as in the greeting, e.g. "NULL". */
    String name();

    /** Whether our greeting's as-server bit is set. */
    boolean asServer();

    /**
     * The next command body to send (name length, name, data), or null when there is nothing to
     * send now.
     */
    byte[] nextCommand();

    /**
     * Processes a command from the peer.
     *
     * @param command the command
     * @throws ProtocolException when the command is malformed or unexpected
     */
    void process(Command command) throws ProtocolException;

    /** The handshake's status. */
    Status status();

    /** The peer's metadata, once READY. */
    Metadata peerMetadata();

    /** Why the handshake failed, once ERROR: for people. */
    String errorReason();

    /** How the handshake failed, once ERROR: the monitor event and value libzmq reports. */
    HandshakeFailure failure();

    // ---------------------------------------------------------------- ZAP (rfc-27)

    /**
     * The request the server side wants the ZAP handler to answer, taken once: after it is
     * taken, the handshake waits (status HANDSHAKING, no commands) until {@link #zapReply} or
     * {@link #zapUnavailable}. Null when there is nothing to ask (client side, or not yet).
     */
    default ZapRequest takeZapRequest() {
        return null;
    }

    /**
     * The ZAP handler answered. A refusal (status other than 200) makes the handshake fail with an
     * ERROR command carrying the status code, as libzmq does.
     *
     * @param reply the handler's reply
     */
    default void zapReply(ZapReply reply) {
    }

    /** No ZAP handler is bound in the context: proceed as if it had said 200 (libzmq's behaviour). */
    default void zapUnavailable() {
    }

    /** The User-Id the ZAP handler assigned to this peer, or "" (readable on received messages). */
    default String userId() {
        return "";
    }

    // ---------------------------------------------------------------- message boxing (CURVE)

    /** Whether frames travel boxed in MESSAGE commands after the handshake (CURVE). */
    default boolean boxesMessages() {
        return false;
    }

    /**
     * Boxes an outgoing frame (CURVE MESSAGE command, rfc-26).
     *
     * @param frame the frame body
     * @param more  whether more frames follow
     * @return the complete command body (name length, "MESSAGE", nonce, box)
     */
    default byte[] boxMessage(byte[] frame, boolean more) {
        throw new IllegalStateException(name() + " does not box messages");
    }

    /**
     * Opens an incoming MESSAGE command.
     *
     * @param message the command
     * @return the frame body; {@link #lastUnboxedMore()} tells its MORE flag
     * @throws ProtocolException when the box fails to open or the nonce is replayed
     */
    default byte[] unboxMessage(Command message) throws ProtocolException {
        throw new ProtocolException(ProtocolError.MALFORMED, name() + " does not box messages");
    }

    /**
     * Opens an incoming MESSAGE command given as the frame body it arrived in, without parsing it
     * into a {@link Command} first (CURVE opens the box in place).
     *
     * @param body the command frame's body
     * @return the frame body; {@link #lastUnboxedMore()} tells its MORE flag
     * @throws ProtocolException when it is not a MESSAGE, the box fails to open or the nonce is replayed
     */
    default byte[] unboxMessage(byte[] body) throws ProtocolException {
        return unboxMessage(Command.parse(body));
    }

    /** The MORE flag of the frame last returned by {@link #unboxMessage}. */
    default boolean lastUnboxedMore() {
        return false;
    }

    /**
     * Boxes an outgoing frame or command (CURVE: the flags travel inside the box).
     *
     * @param frame   the frame body, or a command body
     * @param more    whether more frames follow
     * @param command whether {@code frame} is a command (PING, SUBSCRIBE...)
     * @return the MESSAGE command body
     */
    default byte[] boxMessage(byte[] frame, boolean more, boolean command) {
        return boxMessage(frame, more);
    }

    /** Whether the frame last returned by {@link #unboxMessage} is a command. */
    default boolean lastUnboxedCommand() {
        return false;
    }

    /**
     * Lets a mechanism repair a peer's known-malformed handshake command before it is parsed
     * (PLAIN: libzmq 4.3's ERROR command is mis-encoded).
     *
     * @param body the command frame body as received
     * @return the body to parse
     */
    default byte[] repairHandshakeCommand(byte[] body) {
        return body;
    }

    /** Wipes secrets when the connection ends. */
    default void destroy() {
    }
}
