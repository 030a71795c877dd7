package org.zmq4j;

import java.util.List;

/**
 * A Context's view of itself ({@link Context#metrics()}): its I/O threads and the metrics of every
 * open socket. Immutable; thread-safe.
 *
 * @param ioThreads the I/O threads
 * @param sockets   each open socket's metrics, in no particular order
 */
public record ContextMetrics(int ioThreads, List<SocketMetrics> sockets) {
    /** Keeps an unmodifiable copy of the list. */
    public ContextMetrics {
        sockets = List.copyOf(sockets);
    }

    /** The peers of every socket, added up. */
    public int peers() {
        return sockets.stream().mapToInt(SocketMetrics::peers).sum();
    }
}
