package org.zmq4j;

import java.util.List;

/**
 * A Context's view of itself ({@link Context#metrics()}): its I/O threads and the metrics of every
 * open socket. Immutable; thread-safe.
 *
 * @param ioThreads    the I/O threads
 * @param sockets      each open socket's metrics, in the order the sockets were created
 * @param ioThreadLoad each I/O thread's load
 * @param components   the numbers of each {@link MetricsSource} added to the Context
 */
public record ContextMetrics(int ioThreads, List<SocketMetrics> sockets, List<IoThreadMetrics> ioThreadLoad,
        List<ComponentMetrics> components) {
    /** Keeps unmodifiable copies of the lists. */
    public ContextMetrics {
        sockets = List.copyOf(sockets);
        ioThreadLoad = List.copyOf(ioThreadLoad);
        components = List.copyOf(components);
    }

    /** The I/O thread count and the sockets alone (the first form of this record). */
    public ContextMetrics(int ioThreads, List<SocketMetrics> sockets) {
        this(ioThreads, sockets, List.of(), List.of());
    }

    /** The connections of every socket, added up. */
    public int connections() {
        return sockets.stream().mapToInt(s -> s.connections().size()).sum();
    }

    /** The peers of every socket, added up. */
    public int peers() {
        return sockets.stream().mapToInt(SocketMetrics::peers).sum();
    }
}
