package org.zmq4j.security;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

/**
 * A ZMTP security mechanism's handshake, sans-IO: the engine feeds it the peer's commands and sends
 * the commands it produces, until {@link #status()} is READY (or ERROR).
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

    /** Why the handshake failed, once ERROR. */
    String errorReason();
}
