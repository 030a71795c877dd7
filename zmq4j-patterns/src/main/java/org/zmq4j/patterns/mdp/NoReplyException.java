package org.zmq4j.patterns.mdp;

/**
 * No reply came for a request within its timeout on any attempt: the service had no worker, the
 * worker or the broker died, or the network is cut. The message names the service, the brokers
 * tried and the attempts made.
 */
public final class NoReplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String service;
    private final int attempts;

    NoReplyException(String service, int attempts, String message) {
        super(message);
        this.service = service;
        this.attempts = attempts;
    }

    /** The service that was called. */
    public String service() {
        return service;
    }

    /** How many times the request was sent. */
    public int attempts() {
        return attempts;
    }
}
