package org.zmq4j.socket;

import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.zmq4j.Message;
import org.zmq4j.MonitorHandle;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.common.ConnectionRules;
import org.zmq4j.common.SocketOptions;
import org.zmq4j.io.IoContext;
import org.zmq4j.io.MonitorSink;
import org.zmq4j.io.SessionHost;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Wakeable;
import org.zmq4j.transport.EndpointHandle;

/**
 * What every socket type shares: its peers and the commands I/O threads post about them, the
 * send and receive loops with their blocking ({@link Waiting}), options, endpoints
 * ({@link Endpoints}), monitors and the close/terminate lifecycle. Each type (in
 * {@code org.zmq4j.pattern}) supplies its routing in {@link #xsend}, {@link #xrecv},
 * {@link #xhasIn}, {@link #xhasOut}, {@link #xattach} and {@link #xdetach}, which run only on the
 * socket's owner thread (or under the lock of a thread-safe type).
 * <p>
 * Threads: the public methods run on the owner thread, between {@link #enter()} and
 * {@link #exit()} (the application's handle brackets every call with them). I/O threads reach the
 * socket only through {@link SessionHost}: they post commands to a lock-free mailbox, which the
 * owner runs at the start of every call and while it waits. {@link #terminateFromContext()} may
 * come from any thread; closing and terminating are published through volatile flags.
 */
public abstract class SocketBase extends SocketHooks implements SessionHost, IoContext.Member, Waiting.Owner {
    protected final IoContext ctx;
    protected final SocketOptions options;
    /** The traffic counters (Socket.metrics()); the patterns count their HWM drops here. */
    protected final SocketCounters counters = new SocketCounters();

    private final Waiting waiting;
    private final Wakeable wake;
    private final BooleanSupplier canReceive = this::xhasIn;
    private final BooleanSupplier canSend = this::xhasOut;
    private final PeerTable peers = new PeerTable(this);
    private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger();
    /** A number for this socket, unique in the process (SocketMetrics.id()). */
    private final int id = IDS.incrementAndGet();
    private final Monitors monitors;
    private final org.zmq4j.io.ConnectionBook connections = new org.zmq4j.io.ConnectionBook();
    private final Endpoints endpoints;
    private final CopyingCalls copying = new CopyingCalls(this);
    private volatile boolean terminated;
    private volatile boolean closed;
    /** Why the context's I/O failed, or null (see {@link #ioFailed}). */
    private volatile String ioFailure;

    protected SocketBase(IoContext ctx, SocketType type) {
        this(ctx, type, ConnectionRules.DEFAULT);
    }

    protected SocketBase(IoContext ctx, SocketType type, ConnectionRules rules) {
        super(type);
        this.ctx = ctx;
        this.options = new SocketOptions(type, rules);
        this.monitors = new Monitors(event -> ctx.events().record(id, type, event));
        this.waiting = Waiting.of(this, type, ctx.config());
        this.wake = waiting::wake;
        this.endpoints = new Endpoints(this, options, monitors);
    }

    /**
     * Pipe flags a type adds to the frame it writes in {@link #xsend}: {@code Pipe.RECYCLABLE}
     * while a copying send runs (the array is zmq4j's own). Only types that write each frame to
     * exactly one pipe may pass it on.
     */
    protected final int recyclable() {
        return copying.recyclable();
    }

    /** See {@link Waiting#takeInputHint()}. */
    protected final boolean takeInputHint() {
        return waiting.takeInputHint();
    }


    // ------------------------------------------------------------------ SessionHost (I/O threads)

    @Override
    public final IoContext context() {
        return ctx;
    }

    @Override
    public final Wakeable wakeable() {
        return wake;
    }

    @Override
    public final MonitorSink monitor() {
        return monitors;
    }

    @Override
    public final org.zmq4j.io.ConnectionBook connections() {
        return connections;
    }

    /** The socket's SNDHWM and RCVHWM now; any thread (a moment old at worst). */
    public final int[] hwms() {
        return new int[] {options.sndHwm, options.rcvHwm};
    }

    /** A number for this socket, unique in the process; any thread. */
    public final int id() {
        return id;
    }

    @Override
    public final void peerAttached(Peer peer) {
        if (!(peer.origin() instanceof org.zmq4j.io.Session)) {
            connections.directPeer(peer, true); // inproc, udp: seen by metrics at once, not at the socket's next call
        }
        post(() -> {
            if (closed) {
                peer.close();
            } else {
                peers.attach(peer);
            }
        });
    }

    @Override
    public final void peerDetached(Peer peer) {
        connections.directPeer(peer, false);
        post(() -> peers.detach(peer));
    }

    @Override
    public final void peerReconnected(Peer peer) {
        post(() -> {
            if (!closed && peers.contains(peer)) {
                xreconnected(peer);
            }
        });
    }

    private void post(Runnable command) {
        peers.post(command);
        waiting.wake();
    }

    @Override
    public final void processCommands() {
        peers.runCommands();
    }

    @Override
    public final void checkUsable() {
        if (closed) {
            throw new ZmqException(Errno.ENOTSOCK, type + " socket is closed");
        }
        if (terminated) {
            throw new ZmqException(Errno.ETERM, "context was closed; close this " + type + " socket");
        }
        if (ioFailure != null) {
            throw new ZmqException(Errno.EIO, ioFailure);
        }
    }

    @Override
    public final boolean isEnding() {
        return closed || terminated || ioFailure != null;
    }

    @Override
    public final boolean usesIoThreads() {
        return endpoints.usesIoThreads();
    }

    // ------------------------------------------------------------------ calls (owner thread, inside enter/exit)

    /** Begins a public call: thread-safe types take the socket's lock. */
    public final void enter() {
        waiting.enter();
    }

    /** Ends a public call. */
    public final void exit() {
        waiting.exit();
    }

    public final void bind(String endpoint) {
        checkUsable();
        processCommands();
        endpoints.bind(endpoint);
        processCommands();
    }

    public final void connect(String endpoint) {
        connectEndpoint(endpoint);
    }

    /** Connects, and returns what the connect made (its peer, for PEER's connectPeer). */
    protected final EndpointHandle connectEndpoint(String endpoint) {
        checkUsable();
        processCommands();
        xconnecting(endpoint);
        try {
            EndpointHandle handle = endpoints.connect(endpoint);
            processCommands(); // the peers the connect made are attached by the time it returns
            return handle;
        } finally {
            xconnected();
        }
    }

    /** PEER: connects and returns the routing id of the new connection. */
    public final int connectPeer(String endpoint) {
        checkUsable();
        return xconnectPeer(endpoint);
    }

    public final void unbind(String endpoint) {
        checkUsable();
        endpoints.unbind(endpoint);
        processCommands();
    }

    public final void disconnect(String endpoint) {
        checkUsable();
        List<EndpointHandle> gone = endpoints.disconnect(endpoint);
        processCommands();
        for (EndpointHandle h : gone) {
            h.close(options.linger);
            peers.detachNow(h::owns); // now, as libzmq does: the next send must not pick a disconnected peer
        }
    }

    public final String lastEndpoint() {
        return endpoints.lastEndpoint();
    }

    /** Sends {@code frame}, or {@code message} when not null, blocking up to SNDTIMEO. */
    public final boolean send(byte[] frame, Message message, int flags) {
        checkUsable();
        processCommands();
        boolean more = (flags & Socket.SNDMORE) != 0;
        if (more && type.isThreadSafe()) {
            throw new ZmqException(Errno.EINVAL, type + " sockets do not send multipart messages (SNDMORE)");
        }
        if (message == null ? xsend(frame, more) : xsendMessage(message, more)) {
            counters.sent(message == null ? frame.length : message.size(), !more);
            return true;
        }
        long deadline = deadline(flags, options.sndTimeo);
        if (deadline < 0) {
            counters.sendWouldBlock();
            return false;
        }
        BooleanSupplier ready = message == null ? canSend : () -> xcanSend(message);
        long blockedSince = System.nanoTime();
        try {
            while (waiting.await(ready, deadline)) {
                if (message == null ? xsend(frame, more) : xsendMessage(message, more)) {
                    counters.sent(message == null ? frame.length : message.size(), !more);
                    return true;
                }
            }
        } finally {
            counters.sendBlocked(System.nanoTime() - blockedSince);
        }
        counters.sendWouldBlock();
        return false;
    }

    /** Receives a frame, blocking up to RCVTIMEO; null when none came. */
    public final byte[] recv(int flags) {
        checkUsable();
        processCommands();
        byte[] frame = xrecv();
        if (frame != null) {
            counters.received(frame.length, !rcvMore);
            return frame;
        }
        long deadline = deadline(flags, options.rcvTimeo);
        if (deadline < 0) {
            counters.receiveWouldBlock();
            return null;
        }
        while (waiting.await(canReceive, deadline)) {
            frame = xrecv();
            if (frame != null) {
                counters.received(frame.length, !rcvMore);
                return frame;
            }
        }
        counters.receiveWouldBlock();
        return null;
    }

    /** The traffic counters, for any thread. */
    public final SocketCounters counters() {
        return counters;
    }

    /** The endpoints bound (as resolved) and connected (as given), for any thread. */
    public final List<String> endpointNames() {
        return endpoints.names();
    }

    /** The deadline for a blocking call: -1 not to block, 0 for none, else a nanoTime. */
    private static long deadline(int flags, int timeoutMillis) {
        if ((flags & Socket.DONTWAIT) != 0 || timeoutMillis == 0) {
            return -1;
        }
        return timeoutMillis < 0 ? 0 : System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    public final Message recvMessage(int flags) {
        byte[] data = recv(flags);
        return data == null ? null : new Message(data, xlastRoutingId(), xlastGroup());
    }

    /** Like {@code zmq_send}: sends a copy, made in a recycled array where the type allows it. */
    public final boolean send(byte[] buffer, int offset, int length, int flags) {
        return copying.send(buffer, offset, length, flags);
    }

    /** Like {@code zmq_recv}: copies the next frame into {@code buffer}; its size, or -1. */
    public final int recv(byte[] buffer, int offset, int length, int flags) {
        return copying.recv(buffer, offset, length, flags);
    }

    public final boolean hasMore() {
        return rcvMore;
    }

    public final void join(String group, boolean join) {
        checkUsable();
        processCommands();
        if (join) {
            xjoin(group);
        } else {
            xleave(group);
        }
    }

    public final String messageProperty(String name) {
        checkUsable();
        Peer p = xlastPeer();
        return p == null ? null : p.metadata().getString(name);
    }

    public final <T> void setOption(Option<T> option, T value) {
        checkUsable();
        OptionRules.checkSettable(option, value);
        processCommands();
        if (!xsetOption(option, value) && !OptionRules.apply(options, option, value)) {
            throw new ZmqException(Errno.EINVAL, option + " does not apply to " + type + " sockets");
        }
    }

    public final <T> T getOption(Option<T> option) {
        checkUsable();
        Object value = option == Option.RCVMORE ? rcvMore
                : option == Option.LAST_ENDPOINT ? endpoints.lastEndpoint()
                : xgetOption(option);
        if (value == null) {
            value = OptionRules.read(options, option);
        }
        if (value == null) {
            throw new ZmqException(Errno.EINVAL, option + " cannot be read from " + type + " sockets");
        }
        return option.type().cast(value);
    }

    public final void monitor(String endpoint, int events) {
        checkUsable();
        monitors.setInproc(ctx, endpoint, events);
    }

    public final MonitorHandle addMonitor(Consumer<SocketEvent> listener, int events) {
        checkUsable();
        return monitors.add(Objects.requireNonNull(listener, "listener"), events);
    }

    // ------------------------------------------------------------------ Poller support

    /** Readiness: POLLIN | POLLOUT, or POLLERR when closed; ETERM after the context was closed. */
    public final int pollEvents() {
        if (closed) {
            return Poller.POLLERR;
        }
        if (terminated) {
            throw new ZmqException(Errno.ETERM, "context was closed while polling a " + type + " socket");
        }
        if (ioFailure != null) {
            throw new ZmqException(Errno.EIO, ioFailure);
        }
        processCommands();
        return (xhasIn() ? Poller.POLLIN : 0) | (xhasOut() ? Poller.POLLOUT : 0);
    }

    /** A Poller's thread starts ({@code waiting}) or stops waiting on this socket. Any thread. */
    public final void pollingThread(Thread thread, boolean waiting) {
        this.waiting.pollingThread(thread, waiting);
    }

    // ------------------------------------------------------------------ close

    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        endpoints.releaseAll(options.linger);
        monitors.stopAll();
        processCommands(); // attaches after closed=true close their peers
        peers.closeAll();
        ctx.unregister(this);
    }

    @Override
    public final void ioFailed(String why) {
        ioFailure = why;
        waiting.wake();
        monitors.emit(SocketEvent.Type.DISCONNECTED, 0, endpoints.lastEndpoint(), why);
    }

    @Override
    public final void terminateFromContext() {
        terminated = true;
        waiting.wake();
        endpoints.releaseAll(options.linger);
    }

    @Override
    public String toString() {
        String last = endpoints.lastEndpoint();
        return type + " socket" + (last.isEmpty() ? "" : " " + last);
    }
}
