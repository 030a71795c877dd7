package org.zmq4j;

import java.time.Duration;

import org.zmq4j.io.IoContext;
import org.zmq4j.pattern.SocketFactory;
import org.zmq4j.socket.SocketBase;

/**
 * A ZeroMQ context: the I/O threads and the sockets made from it. Thread-safe.
 * <p>
 * {@link #close()} works like {@code zmq_ctx_term}: calls blocked in other threads throw
 * {@code ZmqException(ETERM)}, every socket still open is closed, and queued outbound messages are
 * delivered for up to each socket's LINGER before close returns. LINGER defaults to -1 as in libzmq,
 * so a message queued for a peer that never comes keeps {@code close()} waiting forever: give the
 * context a default LINGER ({@link ContextConfig.Builder#linger}), or close it with a bound,
 * {@link #closeWithin(Duration)}.
 */
public final class Context implements AutoCloseable {
    /** Default number of I/O threads (as libzmq: 1). */
    public static final int DEFAULT_IO_THREADS = ContextConfig.DEFAULT_IO_THREADS;

    private final IoContext io;

    /** A context with the default configuration ({@link ContextConfig#defaults()}). */
    public Context() {
        this(ContextConfig.defaults());
    }

    /**
     * @param ioThreads number of I/O threads (at least 1); connections are spread over them
     * @throws ZmqException EINVAL when ioThreads is below 1
     */
    public Context(int ioThreads) {
        this(ContextConfig.builder().ioThreads(ioThreads).build());
    }

    /**
     * @param config the I/O threads and policies, see {@link ContextConfig}
     */
    public Context(ContextConfig config) {
        this.io = new IoContext(java.util.Objects.requireNonNull(config, "config"));
    }

    /** This context's configuration. */
    public ContextConfig config() {
        return io.config();
    }

    /**
     * Every open socket's metrics and the I/O threads, taken now ({@link SocketMetrics}). Any
     * thread; the sockets go on meanwhile.
     */
    public ContextMetrics metrics() {
        java.util.List<SocketMetrics> sockets = new java.util.ArrayList<>();
        java.util.Map<org.zmq4j.io.IoThread, Integer> perThread = new java.util.HashMap<>();
        for (Object m : io.members()) {
            if (m instanceof org.zmq4j.socket.SocketBase s) {
                sockets.add(SocketHandle.metricsOf(s));
                for (org.zmq4j.io.Session session : s.connections().sessions()) {
                    perThread.merge(session.ioThread(), 1, Integer::sum);
                }
            }
        }
        sockets.sort(java.util.Comparator.comparingInt(SocketMetrics::id));
        java.util.List<IoThreadMetrics> load = new java.util.ArrayList<>();
        for (org.zmq4j.io.IoThread t : io.threads()) {
            long[] b = t.busyTime();
            load.add(new IoThreadMetrics(t.name(), java.time.Duration.ofNanos(b[0]), java.time.Duration.ofNanos(b[1]), b[2],
                    perThread.getOrDefault(t, 0)));
        }
        java.util.List<ComponentMetrics> components = new java.util.ArrayList<>();
        for (MetricsSource source : io.metricsSources()) {
            try {
                components.add(source.metrics());
            } catch (RuntimeException e) {
                // one broken source must not cost the others, or the caller its view
                System.getLogger("org.zmq4j.metrics").log(System.Logger.Level.WARNING, "a metrics source failed: " + e, e);
            }
        }
        return new ContextMetrics(io.config().ioThreads(), sockets, load, components);
    }

    /**
     * Adds a component's numbers to {@link #metrics()} until {@link #removeMetricsSource}: what the
     * reliability patterns built on this Context (a Majordomo broker, a durable sender...) use.
     * Adding the same source twice adds it once.
     *
     * @param source asked for its numbers by every {@link #metrics()} call, from that call's thread
     */
    public void addMetricsSource(MetricsSource source) {
        java.util.Objects.requireNonNull(source, "source");
        synchronized (io.metricsSources()) {
            if (!io.metricsSources().contains(source)) {
                io.metricsSources().add(source);
            }
        }
    }

    /**
     * Removes a source added with {@link #addMetricsSource}; nothing happens if it is not there.
     *
     * @param source the source
     */
    public void removeMetricsSource(MetricsSource source) {
        io.metricsSources().remove(source);
    }

    /**
     * Every socket's recent monitor events (connections made, accepted, lost, retried, handshakes),
     * whether or not anyone monitors the socket: the last 512, numbered in order. Any thread.
     *
     * @param afterSequence the last sequence number the caller has seen, 0 for all kept
     * @return the newer events kept, oldest first
     */
    public java.util.List<ContextEvent> recentEvents(long afterSequence) {
        return io.events().after(afterSequence);
    }

    /**
     * Creates a socket.
     *
     * @param type the socket type
     * @return a new socket owned by the calling thread
     * @throws ZmqException ETERM after close; ENOTSUP for a type zmq4j does not provide yet
     */
    public Socket socket(SocketType type) {
        if (type == null) {
            throw new ZmqException(ZmqException.Errno.EINVAL, "socket type must not be null");
        }
        if (io.isTerminated()) {
            throw new ZmqException(ZmqException.Errno.ETERM, "context is closed; cannot create a " + type + " socket");
        }
        SocketBase socket = SocketFactory.create(type, io);
        io.register(socket);
        SocketHandle handle = new SocketHandle(socket);
        io.config().linger().ifPresent(d -> handle.setOption(Option.LINGER, (int) d.toMillis()));
        return handle;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return io.isTerminated();
    }

    /**
     * Terminates the context: wakes blocked calls with ETERM, closes open sockets, waits for
     * lingering messages (each socket's LINGER), then stops the I/O threads. Idempotent.
     */
    @Override
    public void close() {
        io.terminate();
    }

    /**
     * Terminates the context within {@code timeout}: as {@link #close()}, but connections still
     * delivering queued messages shortly before the deadline (whatever their socket's LINGER) are
     * closed and their messages dropped, and the report says how many. pyzmq's
     * {@code Context.destroy(linger)}. A second close returns at once. (Not an overload of
     * {@code close()}, so that {@code ctx::close} stays an exact method reference.)
     *
     * @param timeout how long the close may take, at most (zero: drop everything queued now)
     * @return what had to be cut
     * @throws ZmqException EINVAL for a negative timeout
     */
    public CloseReport closeWithin(Duration timeout) {
        java.util.Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new ZmqException(ZmqException.Errno.EINVAL, "close timeout must not be negative, got " + timeout);
        }
        IoContext.TerminateReport r = io.terminate(timeout.toMillis());
        return new CloseReport(r.complete(), r.connectionsCut(), r.messagesDropped());
    }
}
