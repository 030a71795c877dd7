package org.zmq4j.tools.perf;

/**
 * A perf test could not complete: the peer sent a message of the wrong size, a message did not
 * arrive in time, or a peer thread failed. The message says which and after how many messages.
 */
public final class PerfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     */
    public PerfException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the failure behind it
     */
    public PerfException(String message, Throwable cause) {
        super(message, cause);
    }
}
