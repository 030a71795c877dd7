package org.zmq4j.transport;

import org.zmq4j.pipe.Peer;

/**
 * What one bind or connect of one endpoint made, whatever the transport: a listener accepting
 * connections, a connect's session (reconnecting), an inproc connection, a udp endpoint. The socket
 * keeps these by endpoint and closes them on unbind, disconnect and close; only {@link Transports}
 * knows which transport made which. Created on the socket's thread; {@link #close} may be called
 * from any thread.
 */
public interface EndpointHandle {
    /** The endpoint as given to bind or connect. */
    String endpoint();

    /** The resolved endpoint (LAST_ENDPOINT), e.g. with the ephemeral port filled in. */
    default String resolvedEndpoint() {
        return endpoint();
    }

    /** A number identifying this endpoint in monitor events (stands in for libzmq's fd). */
    default int number() {
        return 0;
    }

    /** Whether this endpoint is a bind (unbind applies) rather than a connect (disconnect applies). */
    boolean isBind();

    /** Whether I/O threads serve this endpoint (false for inproc). */
    default boolean usesIoThreads() {
        return true;
    }

    /**
     * Starts the work on the I/O threads, once the socket has recorded the handle (a connect's
     * session starts connecting). Peers made so far have been posted to the socket already.
     */
    default void start() {
    }

    /** The peer a connect made at once, usable before its connection exists; null when none. */
    default Peer peer() {
        return null;
    }

    /** Whether {@code peer} was made by this connect (disconnect detaches it at once). */
    default boolean owns(Peer peer) {
        return false;
    }

    /**
     * Stops accepting or connecting, and ends the connections made here, lingering up to
     * {@code linger} ms (-1 forever, 0 drop what is queued). Any thread; once.
     *
     * @param linger the socket's LINGER
     */
    void close(int linger);
}
