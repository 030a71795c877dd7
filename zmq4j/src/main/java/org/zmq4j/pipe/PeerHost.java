package org.zmq4j.pipe;

/**
 * Whoever takes peers: a socket, or an internal client such as the ZAP requester. Whoever makes a
 * peer (a connection's session, the inproc registry) tells its host through these calls, from any
 * thread; a host queues them to its own thread and never blocks.
 */
public interface PeerHost {
    /** What to wake when a pipe into the host gets data, or a pipe out of it gets room. */
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
     * A persistent peer (made at connect time) completed a handshake on a new connection, e.g.
     * after a reconnect: subscriptions must be sent again.
     *
     * @param peer the peer
     */
    default void peerReconnected(Peer peer) {
    }
}
