package org.zmq4j;

import java.time.Instant;

/**
 * A socket's monitor event as its Context keeps it ({@link Context#recentEvents}): every socket's
 * connection events, numbered in the order they were recorded, whether or not anyone monitors the
 * socket. Immutable; thread-safe.
 *
 * @param sequence   its number in the Context, from 1
 * @param time       when it was recorded
 * @param socketId   the socket's {@link SocketMetrics#id()}
 * @param socketType the socket's type
 * @param event      the event, as a monitor would have seen it
 */
public record ContextEvent(long sequence, Instant time, int socketId, SocketType socketType, SocketEvent event) {
}
