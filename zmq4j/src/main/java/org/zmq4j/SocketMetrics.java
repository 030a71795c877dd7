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
 */
public record SocketMetrics(SocketType type, java.util.List<String> endpoints, int peers, long messagesSent, long messagesReceived, long bytesSent, long bytesReceived,
        long droppedAtHwm, long unroutable, long sendWouldBlock, long receiveWouldBlock) {
    /** Keeps an unmodifiable copy of the endpoints. */
    public SocketMetrics {
        endpoints = java.util.List.copyOf(endpoints);
    }
}
