package org.zmq4j.io;

import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Wakeable;

/**
 * The socket side of a session: how the I/O thread tells a socket about peers. Implementations
 * queue these to the socket's own thread; they are called on an I/O thread and must not block.
 */
public interface SessionHost {
    /** The context the socket belongs to. */
    IoContext context();

    /** Where connection events are reported (socket monitor). */
    default MonitorSink monitor() {
        return MonitorSink.NONE;
    }

    /** What to wake when a pipe into the socket gets data, or a pipe out of it gets room. */
    Wakeable wakeable();

    /**
     * A new peer is ready to use.
     *
     * @param peer the peer
     */
    void peerAttached(Peer peer);

    /**
     * A peer is gone: its outbound pipe is dead; its inbound pipe may still hold messages.
     *
     * @param peer the peer
     */
    void peerDetached(Peer peer);

    /**
     * A persistent peer (made at connect time) completed a handshake on a new connection,
     * e.g. after a reconnect: subscriptions must be sent again.
     *
     * @param peer the peer
     */
    void peerReconnected(Peer peer);
}
