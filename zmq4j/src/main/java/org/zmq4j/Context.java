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
        for (Object m : io.members()) {
            if (m instanceof org.zmq4j.socket.SocketBase s) {
                sockets.add(SocketHandle.metricsOf(s));
            }
        }
        return new ContextMetrics(io.config().ioThreads(), sockets);
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
