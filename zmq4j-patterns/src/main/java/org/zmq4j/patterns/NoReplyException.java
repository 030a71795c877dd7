package org.zmq4j.patterns;

/**
 * No reply came for a request within its timeout on any attempt: the service had no worker, the
 * worker, server or broker died, or the network is cut. The message names the service (or server),
 * the endpoints tried and the attempts made. Immutable.
 */
public final class NoReplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String service;
    private final int attempts;

    /**
     * @param service  the service or server called
     * @param attempts how many times the request was sent
     * @param message  what happened, naming the endpoints tried
     */
    public NoReplyException(String service, int attempts, String message) {
        super(message);
        this.service = service;
        this.attempts = attempts;
    }

    /** The service (or, for a plain server, its endpoints) that was called. */
    public String service() {
        return service;
    }

    /** How many times the request was sent. */
    public int attempts() {
        return attempts;
    }
}
