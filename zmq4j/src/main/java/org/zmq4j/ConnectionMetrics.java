package org.zmq4j;

import java.time.Instant;

/**
 * One connection of a socket as it is now ({@link SocketMetrics#connections()}): a bound
 * endpoint's accepted connection, a connect()'s connection (which lives on across reconnects), or
 * an inproc peer. Immutable; thread-safe. Its fields are read one by one from the I/O thread's
 * state, so a snapshot may be a moment old and not taken at one instant.
 *
 * @param endpoint        the endpoint it belongs to: the bound one (as resolved) for an accepted
 *                        connection, the one given to connect() otherwise
 * @param transport       {@code tcp}, {@code ipc}, {@code inproc}...
 * @param direction       how it came to be
 * @param state           where it is now
 * @param remoteAddress   the peer's address as the transport reports it ({@code 127.0.0.1:41234});
 *                        empty while there is no connection
 * @param mechanism       the security mechanism ({@code NULL}, {@code PLAIN}, {@code CURVE})
 * @param peerType        the peer's socket type from its handshake ({@code DEALER}), or empty
 *                        before the handshake
 * @param connects        connections made (a connect()'s first and every reconnect; 1 for an
 *                        accepted one)
 * @param disconnects     connections lost or closed
 * @param connectRetries  reconnects scheduled (libzmq's CONNECT_RETRIED events)
 * @param backoffMillis   the reconnect interval the next retry waits (RECONNECT_IVL doubling up to
 *                        RECONNECT_IVL_MAX); 0 for an accepted connection
 * @param handshakeFailures handshakes that failed on this connection
 * @param heartbeatTimeouts connections dropped because heartbeats went unanswered (HEARTBEAT_TIMEOUT,
 *                        or the peer's TTL)
 * @param lastActivity    when bytes last went in or out (the I/O thread's reads and writes); when
 *                        the connection was made if none did yet
 * @param bytesIn         bytes read from the connection, ZMTP framing and handshake included
 * @param bytesOut        bytes written to it, framing included
 * @param queuedOut       messages queued for this peer, not yet taken by its connection
 * @param sendHwm         that queue's limit (SNDHWM; 0: none)
 * @param queuedIn        messages from this peer the application has not received yet
 * @param receiveHwm      that queue's limit (RCVHWM; 0: none)
 */
public record ConnectionMetrics(String endpoint, String transport, Direction direction, State state, String remoteAddress,
        String mechanism, String peerType, long connects, long disconnects, long connectRetries, int backoffMillis,
        long handshakeFailures, long heartbeatTimeouts, Instant lastActivity, long bytesIn, long bytesOut, long queuedOut,
        int sendHwm, long queuedIn, int receiveHwm) {

    /** How a connection came to be. */
    public enum Direction {
        /** Made by connect(), and remade after it is lost. */
        CONNECT,
        /** Accepted on a bound endpoint. */
        ACCEPT,
        /** An inproc peer (no connection on the wire). */
        INPROC
    }

    /** Where a connection is. */
    public enum State {
        /** A connect() attempt is under way. */
        CONNECTING,
        /** Connected; the ZMTP greeting and security handshake are under way. */
        HANDSHAKING,
        /** The handshake is done: messages flow. */
        ACTIVE,
        /** The connection was lost or refused; the next attempt waits {@code backoffMillis}. */
        WAITING_TO_RECONNECT,
        /** Ended (a snapshot taken while the socket let it go). */
        CLOSED
    }
}
