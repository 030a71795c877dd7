package org.zmq4j.wire;

import java.util.Objects;

/**
 * A peer broke the ZMTP protocol (malformed greeting, frame, command or metadata, or a frame larger
 * than allowed). The connection that produced it is dropped; nothing else is affected. The
 * {@link #error()} says what kind of violation it was, for the monitor event; the message says
 * exactly what, for people.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ProtocolError error;

    /**
     * @param error   the kind of violation
     * @param message what was wrong, for logs and monitor events
     */
    public ProtocolException(ProtocolError error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** The kind of violation. */
    public ProtocolError error() {
        return error;
    }
}
