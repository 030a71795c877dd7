package org.zmq4j.transport;

/** A bound endpoint accepting connections. Created on the socket's thread, runs on an I/O thread. */
public interface Listener {
    /** A number identifying this listener in monitor events (stands in for libzmq's fd). */
    default int number() {
        return 0;
    }

    /** The endpoint as given to bind. */
    String endpoint();

    /** The resolved endpoint (LAST_ENDPOINT), e.g. with the ephemeral port filled in. */
    String resolvedEndpoint();

    /**
     * Stops accepting and ends the connections accepted here, lingering up to {@code linger} ms.
     * Callable from any thread.
     *
     * @param linger the socket's LINGER
     */
    void close(int linger);
}
