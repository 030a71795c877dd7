package org.zmq4j;

/**
 * One socket's counters since it was created ({@link Socket#metrics()}): what libzmq's users ask
 * for and libzmq does not count. A message counts when its last frame goes or comes; bytes count
 * every frame's payload. Cheap enough to leave on: the socket keeps them with plain stores.
 * Immutable; thread-safe. Taken from any thread, a snapshot may be a moment old, and its counters
 * are not read at one instant.
 *
 * @param type              the socket's type
 * @param endpoints         its endpoints: bound (as resolved, {@code tcp://0.0.0.0:5555}) and
 *                          connected (as given)
 * @param peers             the peers it has now: connections past their handshake, inproc peers
 * @param messagesSent      whole messages sent
 * @param messagesReceived  whole messages received
 * @param bytesSent         payload bytes sent (all frames)
 * @param bytesReceived     payload bytes received (all frames)
 * @param droppedAtHwm      copies of messages dropped because a peer's pipe was at SNDHWM: a PUB or
 *                          XPUB subscriber that did not keep up, a ROUTER peer without room
 *                          (ROUTER_MANDATORY off), a RADIO's DISH
 * @param unroutable        ROUTER messages for a routing id no peer has, dropped (ROUTER_MANDATORY
 *                          off; with it on, the send fails with EHOSTUNREACH instead)
 * @param sendWouldBlock    sends that returned without sending (DONTWAIT, or SNDTIMEO ran out):
 *                          libzmq's EAGAIN
 * @param receiveWouldBlock receives that returned nothing (DONTWAIT, or RCVTIMEO ran out)
 * @param sendBlocked       time sends spent waiting for room (every peer at SNDHWM, or none yet)
 * @param sendHwm           the socket's SNDHWM now (0: none)
 * @param receiveHwm        the socket's RCVHWM now (0: none)
 * @param events            what happened to its connections, over its life
 * @param connections       its connections now, each with its queues against the HWMs
 * @param id                a number for the socket, unique in its process (0 for metrics made
 *                          with the shorter constructor)
 */
public record SocketMetrics(SocketType type, java.util.List<String> endpoints, int peers, long messagesSent, long messagesReceived, long bytesSent, long bytesReceived,
        long droppedAtHwm, long unroutable, long sendWouldBlock, long receiveWouldBlock, java.time.Duration sendBlocked,
        int sendHwm, int receiveHwm, ConnectionEvents events, java.util.List<ConnectionMetrics> connections, int id) {
    /** Keeps unmodifiable copies of the lists. */
    public SocketMetrics {
        endpoints = java.util.List.copyOf(endpoints);
        connections = java.util.List.copyOf(connections);
    }

    /**
     * The traffic counters alone (the first form of this record): no blocked time, HWMs of 0, no
     * connection events or connections, id 0.
     */
    public SocketMetrics(SocketType type, java.util.List<String> endpoints, int peers, long messagesSent, long messagesReceived, long bytesSent,
            long bytesReceived, long droppedAtHwm, long unroutable, long sendWouldBlock, long receiveWouldBlock) {
        this(type, endpoints, peers, messagesSent, messagesReceived, bytesSent, bytesReceived, droppedAtHwm, unroutable, sendWouldBlock,
                receiveWouldBlock, java.time.Duration.ZERO, 0, 0, ConnectionEvents.NONE, java.util.List.of(), 0);
    }

    /** Messages queued for peers and not yet taken by their connections, every connection added up. */
    public long queuedOut() {
        return connections.stream().mapToLong(ConnectionMetrics::queuedOut).sum();
    }

    /** Messages received from peers and not yet read by the application, every connection added up. */
    public long queuedIn() {
        return connections.stream().mapToLong(ConnectionMetrics::queuedIn).sum();
    }
}
