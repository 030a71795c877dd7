package org.zmq4j;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.zmq4j.socket.SocketBase;

/**
 * The application's handle on a socket: what {@link Context#socket} returns. It checks arguments,
 * brackets every call with the socket's {@code enter}/{@code exit} (a lock for the thread-safe
 * types, nothing for the others) and hands it to the socket's implementation, which lives outside
 * the exported package. {@link Poller} and {@link Proxy} reach that implementation through this
 * package-private class ({@link #of}, {@link #pollEvents}, {@link #pollingThread}); nothing a user
 * holds can be cast to it.
 * <p>
 * Thread-safety is the socket type's: see {@link Socket}.
 */
final class SocketHandle implements Socket {
    private final SocketBase core;

    SocketHandle(SocketBase core) {
        this.core = core;
    }

    /**
     * The handle behind {@code socket}.
     *
     * @param socket a socket made by a zmq4j Context
     * @param role   what it is for, for the message when it is not one
     * @return the handle
     * @throws ZmqException EINVAL for null or a foreign {@link Socket} implementation
     */
    static SocketHandle of(Socket socket, String role) {
        if (!(socket instanceof SocketHandle)) {
            throw new ZmqException(ZmqException.Errno.EINVAL, role + " must be a socket made by a zmq4j Context, got " + socket);
        }
        return (SocketHandle) socket;
    }

    /** Readiness for {@link Poller}: POLLIN/POLLOUT, or POLLERR when closed; ETERM after termination. */
    int pollEvents() {
        core.enter();
        try {
            return core.pollEvents();
        } finally {
            core.exit();
        }
    }

    /** A {@link Poller}'s thread starts or stops waiting on this socket. */
    void pollingThread(Thread thread, boolean waiting) {
        core.pollingThread(thread, waiting);
    }

    /** Runs a call that is not on the message path inside enter/exit. */
    private <T> T call(Supplier<T> call) {
        core.enter();
        try {
            return call.get();
        } finally {
            core.exit();
        }
    }

    private void run(Runnable call) {
        core.enter();
        try {
            call.run();
        } finally {
            core.exit();
        }
    }

    // ------------------------------------------------------------------ endpoints

    @Override
    public void bind(String endpoint) {
        run(() -> core.bind(endpoint));
    }

    @Override
    public void connect(String endpoint) {
        run(() -> core.connect(endpoint));
    }

    @Override
    public int connectPeer(String endpoint) {
        return call(() -> core.connectPeer(endpoint));
    }

    @Override
    public void unbind(String endpoint) {
        run(() -> core.unbind(endpoint));
    }

    @Override
    public void disconnect(String endpoint) {
        run(() -> core.disconnect(endpoint));
    }

    @Override
    public String lastEndpoint() {
        return core.lastEndpoint();
    }

    // ------------------------------------------------------------------ messages (no lambdas: the hot path)

    @Override
    public boolean send(byte[] frame) {
        return send(frame, 0);
    }

    @Override
    public boolean sendMore(byte[] frame) {
        return send(frame, SNDMORE);
    }

    @Override
    public boolean send(byte[] frame, int flags) {
        Objects.requireNonNull(frame, "frame");
        core.enter();
        try {
            return core.send(frame, null, flags);
        } finally {
            core.exit();
        }
    }

    @Override
    public boolean send(Message message) {
        return send(message, 0);
    }

    @Override
    public boolean send(Message message, int flags) {
        Objects.requireNonNull(message, "message");
        core.enter();
        try {
            return core.send(null, message, flags);
        } finally {
            core.exit();
        }
    }

    @Override
    public boolean send(byte[] buffer, int offset, int length, int flags) {
        core.enter();
        try {
            return core.send(buffer, offset, length, flags);
        } finally {
            core.exit();
        }
    }

    @Override
    public byte[] recv() {
        return recv(0);
    }

    @Override
    public byte[] recv(int flags) {
        core.enter();
        try {
            return core.recv(flags);
        } finally {
            core.exit();
        }
    }

    @Override
    public int recv(byte[] buffer, int offset, int length, int flags) {
        core.enter();
        try {
            return core.recv(buffer, offset, length, flags);
        } finally {
            core.exit();
        }
    }

    @Override
    public Message recvMessage() {
        return recvMessage(0);
    }

    @Override
    public Message recvMessage(int flags) {
        core.enter();
        try {
            return core.recvMessage(flags);
        } finally {
            core.exit();
        }
    }

    @Override
    public boolean hasMore() {
        return core.hasMore();
    }

    @Override
    public String messageProperty(String name) {
        return call(() -> core.messageProperty(name));
    }

    // ------------------------------------------------------------------ groups, options, monitors

    @Override
    public void join(String group) {
        Message.groupBytes(Objects.requireNonNull(group, "group"));
        run(() -> core.join(group, true));
    }

    @Override
    public void leave(String group) {
        Message.groupBytes(Objects.requireNonNull(group, "group"));
        run(() -> core.join(group, false));
    }

    @Override
    public <T> void setOption(Option<T> option, T value) {
        if (option != null && value != null && !option.type().isInstance(value)) { // raw-typed misuse
            throw new ZmqException(ZmqException.Errno.EINVAL, option.name() + " takes a " + option.type().getSimpleName()
                    + ", not a " + value.getClass().getSimpleName() + " (" + value + ")");
        }
        run(() -> core.setOption(option, value));
    }

    @Override
    public <T> T getOption(Option<T> option) {
        return call(() -> core.getOption(option));
    }

    @Override
    public SocketType type() {
        return core.type();
    }

    @Override
    public void monitor(String endpoint, int events) {
        run(() -> core.monitor(endpoint, events));
    }

    @Override
    public MonitorHandle addMonitor(Consumer<SocketEvent> listener, int events) {
        return call(() -> core.addMonitor(listener, events));
    }

    @Override
    public void close() {
        run(core::close);
    }

    @Override
    public String toString() {
        return core.toString();
    }

    @Override
    public SocketMetrics metrics() {
        return metricsOf(core);
    }

    /** The metrics of {@code socket}, from any thread. */
    static SocketMetrics metricsOf(SocketBase socket) {
        long[] c = socket.counters().read();
        java.util.List<ConnectionMetrics> connections = new java.util.ArrayList<>();
        for (org.zmq4j.io.Session s : socket.connections().sessions()) {
            connections.add(s.metrics(transportOf(s.endpoint())));
        }
        for (org.zmq4j.pipe.Peer p : socket.connections().directPeers()) {
            connections.add(directMetrics(p));
        }
        int[] hwms = socket.hwms();
        return new SocketMetrics(socket.type(), socket.endpointNames(), socket.counters().peers(), c[0], c[1], c[2], c[3], c[4],
                c[5], c[6], c[7], java.time.Duration.ofNanos(socket.counters().sendBlockedNanos()), hwms[0], hwms[1],
                socket.connections().events(), connections, socket.id());
    }

    private static String transportOf(String endpoint) {
        int i = endpoint.indexOf("://");
        return i < 0 ? "" : endpoint.substring(0, i);
    }

    /** An inproc (or udp) peer as a connection: no stream, so no bytes, handshake or reconnects. */
    private static ConnectionMetrics directMetrics(org.zmq4j.pipe.Peer p) {
        String endpoint = p.endpoint() == null ? "" : p.endpoint();
        String transport = transportOf(endpoint);
        return new ConnectionMetrics(endpoint, transport, "inproc".equals(transport) ? ConnectionMetrics.Direction.INPROC
                : ConnectionMetrics.Direction.CONNECT, ConnectionMetrics.State.ACTIVE, endpoint,
                "NULL", "", 1, 0, 0, 0, 0, 0, java.time.Instant.now(), 0, 0, p.out().queuedMessages(), p.out().hwm(),
                p.in().queuedMessages(), p.in().hwm());
    }
}
