package org.zmq4j.wire;

/**
 * A peer broke the ZMTP protocol (malformed greeting, frame, command or metadata, or a frame larger
 * than allowed). The connection that produced it is dropped; nothing else is affected.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, for logs and monitor events */
    public ProtocolException(String message) {
        super(message);
    }
}
