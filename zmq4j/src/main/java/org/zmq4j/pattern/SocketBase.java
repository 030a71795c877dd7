package org.zmq4j.pattern;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.zmq4j.Message;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.MonitorHandle;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.IoContext;
import org.zmq4j.io.IoThread;
import org.zmq4j.io.MonitorSink;
import org.zmq4j.io.Session;
import org.zmq4j.io.SessionHost;
import org.zmq4j.io.SocketOptions;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.pipe.Wakeable;
import org.zmq4j.transport.Endpoint;
import org.zmq4j.transport.Listener;
import org.zmq4j.transport.Transports;

/**
 * What every socket type shares: the blocking discipline, the command mailbox from the I/O
 * threads, options, endpoints and the close/terminate lifecycle. Each type supplies its routing in
 * {@link #xsend}, {@link #xrecv}, {@link #xhasIn}, {@link #xhasOut}, {@link #xattach} and
 * {@link #xdetach}, which run only on the socket's owner thread.
 * <p>
 * Blocking: the caller parks; a pipe that gets a message (or room) unparks it. The Dekker-style
 * handshake is: the socket publishes its parked thread, then re-checks its pipes; a pipe writer
 * publishes its message, then reads the parked thread. No file descriptor is used per socket.
 * <p>
 * Thread-safe types ({@link SocketType#isThreadSafe()}) put every public call under one lock; a
 * blocked caller releases it while parked and waits in a set of waiters that every wake-up (and
 * every call that changed the socket's state, on leaving the lock) unparks.
 */
public abstract class SocketBase extends SocketWakePad implements Socket, IoContext.Member, SessionHost {
    protected final IoContext ctx;
    protected final SocketOptions options;
    protected final SocketType type;
    /** Whether the frame last received has more after it; set by xrecv implementations. */
    protected boolean rcvMore;

    private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
    private final Wakeable wake = this::wake;
    private final BooleanSupplier canReceive = this::xhasIn;
    private final BooleanSupplier canSend = this::xhasOut;
    private final Set<Peer> peers = new HashSet<>();
    private final Monitors monitors = new Monitors();
    private final Map<String, List<Session>> connects = new LinkedHashMap<>();
    private final Map<String, List<org.zmq4j.transport.InprocRegistry.Connection>> inprocConnects = new LinkedHashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    /** Connected datagram endpoints (udp), by endpoint; closed like listeners. */
    private final Map<String, List<Listener>> datagramConnects = new LinkedHashMap<>();
    // parked, unparkSent, inputHint, waiters: SocketWakeFields (a cache line of their own)
    /** Whether the socket ever bound or connected an endpoint served by I/O threads (not inproc). */
    private boolean usesIoThreads;
    /** True while the copying send runs (its frame is a zmq4j array). */
    private boolean sendingCopy;
    /** The out pipe the last copying send went to: arrays come back through it for reuse. */
    private Pipe copySource;
    /** Thread-safe types only: serialises public calls (null for the classic types). */
    private final ReentrantLock lock;
    private volatile boolean terminated;
    private volatile boolean closed;
    private boolean ioReleased;
    private volatile String lastEndpoint = "";

    protected SocketBase(IoContext ctx, SocketType type) {
        super(type.isThreadSafe() ? ConcurrentHashMap.newKeySet() : null);
        this.ctx = ctx;
        this.type = type;
        this.options = new SocketOptions(type);
        this.lock = type.isThreadSafe() ? new ReentrantLock() : null;
    }

    /** Thread-safe types: takes the socket's lock. */
    private void enter() {
        if (lock != null) {
            lock.lock();
        }
    }

    /** Thread-safe types: releases the lock, waking waiters whose condition this call may have changed. */
    private void exit() {
        if (lock != null) {
            lock.unlock();
            if (!waiters.isEmpty()) {
                for (Thread t : waiters) {
                    LockSupport.unpark(t);
                }
            }
        }
    }

    // ------------------------------------------------------------------ type hooks

    /**
     * Sends one frame without blocking.
     *
     * @return false when it would block (EAGAIN); exceptions for EFSM and the like
     */
    protected abstract boolean xsend(byte[] frame, boolean more);

    /**
     * Receives one frame without blocking, setting {@link #rcvMore}.
     *
     * @return the frame, or null when none is ready (EAGAIN)
     */
    protected abstract byte[] xrecv();

    /** Whether {@link #xrecv()} would return a frame now. */
    protected abstract boolean xhasIn();

    /** Whether {@link #xsend} would accept a frame now. */
    protected abstract boolean xhasOut();

    /** A peer is ready. */
    protected abstract void xattach(Peer peer);

    /** A peer is gone (its inbound pipe may still hold messages to read). */
    protected abstract void xdetach(Peer peer);

    /**
     * Sends a {@link Message} without blocking; types that route by routing id or group override
     * this (the default sends the data).
     *
     * @return false when it would block
     */
    protected boolean xsendMessage(Message message, boolean more) {
        return xsend(message.data(), more);
    }

    /**
     * Whether a blocked {@link #xsendMessage} is worth retrying (the default: {@link #xhasOut()});
     * SERVER and PEER wait for room on the message's own connection.
     */
    protected boolean xcanSend(Message message) {
        return xhasOut();
    }

    /** The routing id of the frame last received (SERVER, PEER), 0 when none. */
    protected int xlastRoutingId() {
        return 0;
    }

    /** The group of the frame last received (DISH), null when none. */
    protected String xlastGroup() {
        return null;
    }

    /** DISH: joins a group. */
    protected void xjoin(String group) {
        throw notSupported(type, "join");
    }

    /** DISH: leaves a group. */
    protected void xleave(String group) {
        throw notSupported(type, "leave");
    }

    /**
     * The peer the last sent frame went to, for types that take part in buffer reuse (they pass
     * {@link #recyclable()} with each frame they write); null for the others.
     */
    protected Peer xlastOutPeer() {
        return null;
    }

    /**
     * Pipe flags a type adds to the frame it writes in {@link #xsend}: {@link Pipe#RECYCLABLE}
     * while the copying send is running (the array is zmq4j's own), 0 otherwise. Only types that
     * write each frame to exactly one pipe may pass it on.
     */
    protected final int recyclable() {
        return sendingCopy ? Pipe.RECYCLABLE : 0;
    }

    /** The peer the last received frame came from, or null (for {@link #messageProperty}). */
    protected Peer xlastPeer() {
        return null;
    }

    /** A persistent peer reconnected (e.g. SUB re-sends subscriptions). */
    protected void xreconnected(Peer peer) {
    }

    /**
     * Sets a type-specific option.
     *
     * @return true when this type handled the option
     */
    protected boolean xsetOption(Option<?> option, Object value) {
        return false;
    }

    /**
     * Reads a type-specific option.
     *
     * @return the value, or null when this type does not have the option
     */
    protected Object xgetOption(Option<?> option) {
        return null;
    }

    protected static ZmqException notSupported(SocketType type, String operation) {
        return new ZmqException(Errno.ENOTSUP, operation + " is not supported by " + type + " sockets");
    }

    // ------------------------------------------------------------------ SessionHost (I/O threads)

    @Override
    public IoContext context() {
        return ctx;
    }

    @Override
    public Wakeable wakeable() {
        return wake;
    }

    @Override
    public MonitorSink monitor() {
        return monitors;
    }

    @Override
    public void monitor(String endpoint, int events) {
        enter();
        try {
            monitor0(endpoint, events);
        } finally {
            exit();
        }
    }

    private void monitor0(String endpoint, int events) {
        checkUsable();
        monitors.setInproc(ctx, endpoint, events);
    }

    @Override
    public MonitorHandle addMonitor(Consumer<SocketEvent> listener, int events) {
        enter();
        try {
            return addMonitor0(listener, events);
        } finally {
            exit();
        }
    }

    private MonitorHandle addMonitor0(Consumer<SocketEvent> listener, int events) {
        checkUsable();
        Objects.requireNonNull(listener, "listener");
        return monitors.add(listener, events);
    }

    @Override
    public void peerAttached(Peer peer) {
        post(() -> {
            if (closed) {
                peer.close();
                return;
            }
            peers.add(peer);
            xattach(peer);
        });
    }

    @Override
    public void peerDetached(Peer peer) {
        post(() -> {
            if (peers.remove(peer)) {
                peer.detached = true;
                xdetach(peer);
            }
        });
    }

    @Override
    public void peerReconnected(Peer peer) {
        post(() -> {
            if (!closed && peers.contains(peer)) {
                xreconnected(peer);
            }
        });
    }

    /** Detaches, on the socket's thread and right now, every peer matching {@code which}. */
    private void detachNow(java.util.function.Predicate<Peer> which) {
        for (Peer p : new ArrayList<>(peers)) {
            if (which.test(p)) {
                peers.remove(p);
                p.detached = true;
                xdetach(p);
            }
        }
    }

    private void post(Runnable command) {
        mailbox.add(command);
        wake();
    }

    /** Unparks the thread blocked on this socket, if any. Cheap when none is. */
    private void wake() {
        if (!inputHint) {
            inputHint = true; // a volatile store (a full fence) only when the hint changes
        }
        Thread t = parked;
        if (t != null && !unparkSent) {
            // one unpark per park: the woken thread takes tens of microseconds to run on a VM, and
            // a writer used to unpark it again for every message it wrote meanwhile (inproc 1 B:
            // 214,577 unparks for 1,157 parks over 20M messages)
            unparkSent = true;
            LockSupport.unpark(t);
        }
        if (waiters != null && !waiters.isEmpty()) {
            for (Thread w : waiters) {
                LockSupport.unpark(w);
            }
        }
    }

    /**
     * Whether anything may have arrived since the last call (clears the hint). Lets a socket that
     * must poll all its inbound pipes (PUB reading subscriptions) skip that work on most sends.
     * The hint is cleared before the caller reads, so input committed meanwhile sets it again.
     */
    protected final boolean takeInputHint() {
        if (!inputHint) {
            return false;
        }
        inputHint = false;
        return true;
    }

    private void processCommands() {
        Runnable command;
        while ((command = mailbox.poll()) != null) {
            command.run();
        }
    }

    // ------------------------------------------------------------------ endpoints

    @Override
    public void bind(String endpoint) {
        enter();
        try {
            bind0(endpoint);
        } finally {
            exit();
        }
    }

    private void bind0(String endpoint) {
        checkUsable();
        processCommands();
        Endpoint ep = Endpoint.parse(endpoint);
        org.zmq4j.security.Mechanisms.validate(options, endpoint);
        usesIoThreads |= !ep.transport().equals("inproc");
        Listener listener;
        try {
            listener = Transports.bind(ep, this, options.copy());
        } catch (ZmqException e) {
            monitors.emit(SocketEvent.Type.BIND_FAILED, e.errno().number(), endpoint, e.getMessage());
            throw e;
        }
        synchronized (this) {
            if (ioReleased) {
                listener.close(0);
                throw new ZmqException(Errno.ETERM, "context closed while binding '" + endpoint + "'");
            }
            listeners.add(listener);
        }
        lastEndpoint = listener.resolvedEndpoint();
        monitors.emit(SocketEvent.Type.LISTENING, listener.number(), lastEndpoint, "listening");
        processCommands();
    }

    @Override
    public void connect(String endpoint) {
        enter();
        try {
            connect0(endpoint);
        } finally {
            exit();
        }
    }

    /** Connects; returns the peer this connect made (null for udp, or when not attached yet). */
    private Peer connect0(String endpoint) {
        checkUsable();
        processCommands();
        Endpoint ep = Endpoint.parse(endpoint);
        org.zmq4j.security.Mechanisms.validate(options, endpoint);
        usesIoThreads |= !ep.transport().equals("inproc");
        SocketOptions snapshot = options.copy();
        if (ep.transport().equals("inproc")) {
            org.zmq4j.transport.InprocRegistry.Connection connection = ctx.inproc().connect(ep, this, snapshot);
            synchronized (this) {
                inprocConnects.computeIfAbsent(endpoint, k -> new ArrayList<>()).add(connection);
            }
            processCommands(); // inproc peers are attached by the time connect returns
            return connection.peer();
        }
        if (ep.transport().equals("udp")) {
            Listener sender = Transports.connectDatagram(ep, this, snapshot);
            synchronized (this) {
                if (ioReleased) {
                    sender.close(0);
                    throw new ZmqException(Errno.ETERM, "context closed while connecting to '" + endpoint + "'");
                }
                datagramConnects.computeIfAbsent(endpoint, k -> new ArrayList<>()).add(sender);
            }
            processCommands(); // its peer is attached by the time connect returns
            return null;
        }
        IoThread io = ctx.chooseThread();
        org.zmq4j.io.Connector connector = Transports.connector(ep, snapshot);
        Peer peer = Session.persistentPeer(this, snapshot, endpoint);
        Session session = Session.connecting(io, this, snapshot, endpoint, connector, peer);
        synchronized (this) {
            if (ioReleased) {
                throw new ZmqException(Errno.ETERM, "context closed while connecting to '" + endpoint + "'");
            }
            connects.computeIfAbsent(endpoint, k -> new ArrayList<>()).add(session);
        }
        if (peer != null) {
            peer.origin = session;
            peers.add(peer); // attached now, as libzmq does: sends queue until the connection exists
            xattach(peer);
        }
        io.execute(session::start);
        return peer;
    }

    @Override
    public void unbind(String endpoint) {
        enter();
        try {
            unbind0(endpoint);
        } finally {
            exit();
        }
    }

    private void unbind0(String endpoint) {
        checkUsable();
        Listener found = null;
        synchronized (this) {
            for (Listener l : listeners) {
                if (l.resolvedEndpoint().equals(endpoint) || l.endpoint().equals(endpoint)) {
                    found = l;
                    break;
                }
            }
            if (found != null) {
                listeners.remove(found);
            }
        }
        if (found == null) {
            throw new ZmqException(Errno.ENOENT, "socket is not bound to '" + endpoint + "'");
        }
        found.close(options.linger);
        processCommands();
    }

    @Override
    public void disconnect(String endpoint) {
        enter();
        try {
            disconnect0(endpoint);
        } finally {
            exit();
        }
    }

    private void disconnect0(String endpoint) {
        checkUsable();
        List<Session> sessions;
        List<org.zmq4j.transport.InprocRegistry.Connection> inprocs;
        List<Listener> datagrams;
        synchronized (this) {
            sessions = connects.remove(endpoint);
            inprocs = inprocConnects.remove(endpoint);
            datagrams = datagramConnects.remove(endpoint);
        }
        processCommands();
        if (datagrams != null) {
            for (Listener d : datagrams) {
                d.close(options.linger);
            }
            processCommands();
            return;
        }
        if (inprocs != null) {
            for (org.zmq4j.transport.InprocRegistry.Connection c : inprocs) {
                c.close();
                // detach now, as libzmq does: the next send must not pick the disconnected peer
                detachNow(p -> p == c.peer());
            }
            return;
        }
        if (sessions == null) {
            throw new ZmqException(Errno.ENOENT, "socket is not connected to '" + endpoint + "'");
        }
        int linger = options.linger;
        for (Session s : sessions) {
            detachNow(p -> p.origin == s);
            s.terminateLater(linger);
        }
    }

    @Override
    public String lastEndpoint() {
        return lastEndpoint;
    }

    // ------------------------------------------------------------------ send / recv

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
        enter();
        try {
            return send0(frame, null, flags);
        } finally {
            exit();
        }
    }

    @Override
    public boolean send(Message message) {
        return send(message, 0);
    }

    @Override
    public boolean send(Message message, int flags) {
        Objects.requireNonNull(message, "message");
        enter();
        try {
            return send0(null, message, flags);
        } finally {
            exit();
        }
    }

    /** Sends {@code frame}, or {@code message} when not null, under the lock. */
    private boolean send0(byte[] frame, Message message, int flags) {
        checkUsable();
        processCommands();
        boolean more = (flags & SNDMORE) != 0;
        if (lock != null && more) {
            throw new ZmqException(Errno.EINVAL, type + " sockets do not send multipart messages (SNDMORE)");
        }
        if (message == null ? xsend(frame, more) : xsendMessage(message, more)) {
            return true;
        }
        int timeout = options.sndTimeo;
        if ((flags & DONTWAIT) != 0 || timeout == 0) {
            return false;
        }
        long deadline = timeout < 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        BooleanSupplier ready = message == null ? canSend : () -> xcanSend(message);
        while (await(ready, deadline)) {
            if (message == null ? xsend(frame, more) : xsendMessage(message, more)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean send(byte[] buffer, int offset, int length, int flags) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        enter();
        try {
            byte[] frame = null;
            Pipe source = copySource;
            if (source != null && length > 0) {
                frame = source.takeRecycled(length);
            }
            if (frame == null) {
                frame = new byte[length];
            }
            System.arraycopy(buffer, offset, frame, 0, length);
            boolean sent;
            sendingCopy = true;
            try {
                sent = send0(frame, null, flags);
            } finally {
                sendingCopy = false;
            }
            if (sent) {
                Peer p = xlastOutPeer();
                copySource = p == null ? null : p.out();
            }
            return sent;
        } finally {
            exit();
        }
    }

    @Override
    public int recv(byte[] buffer, int offset, int length, int flags) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        enter();
        try {
            byte[] frame = recv0(flags);
            if (frame == null) {
                return -1;
            }
            System.arraycopy(frame, 0, buffer, offset, Math.min(length, frame.length));
            Peer p = xlastPeer();
            if (p != null) {
                p.in().recycleRead(frame); // copied out: the array may carry the next message
            }
            return frame.length;
        } finally {
            exit();
        }
    }

    @Override
    public byte[] recv() {
        return recv(0);
    }

    @Override
    public byte[] recv(int flags) {
        enter();
        try {
            return recv0(flags);
        } finally {
            exit();
        }
    }

    @Override
    public Message recvMessage() {
        return recvMessage(0);
    }

    @Override
    public Message recvMessage(int flags) {
        enter();
        try {
            byte[] data = recv0(flags);
            return data == null ? null : new Message(data, xlastRoutingId(), xlastGroup());
        } finally {
            exit();
        }
    }

    @Override
    public void join(String group) {
        groupCall(group, true);
    }

    @Override
    public void leave(String group) {
        groupCall(group, false);
    }

    /** join/leave: validates the group, then hands it to the type under the lock. */
    private void groupCall(String group, boolean join) {
        Message.groupBytes(Objects.requireNonNull(group, "group"));
        enter();
        try {
            checkUsable();
            processCommands();
            if (join) {
                xjoin(group);
            } else {
                xleave(group);
            }
        } finally {
            exit();
        }
    }

    @Override
    public int connectPeer(String endpoint) {
        enter();
        try {
            checkUsable();
            if (type != SocketType.PEER) {
                throw notSupported(type, "connectPeer");
            }
            if (options.immediate) {
                throw new ZmqException(Errno.EINVAL, "connectPeer to '" + endpoint
                        + "': with IMMEDIATE set there is no connection, so no routing id, until the handshake");
            }
            Peer made = connect0(endpoint);
            if (made == null || made.numericRoutingId == 0) {
                throw new ZmqException(Errno.EINVAL, "connectPeer to '" + endpoint + "' made no connection with a routing id");
            }
            return made.numericRoutingId;
        } finally {
            exit();
        }
    }

    private byte[] recv0(int flags) {
        checkUsable();
        processCommands();
        byte[] frame = xrecv();
        if (frame != null) {
            return frame;
        }
        int timeout = options.rcvTimeo;
        if ((flags & DONTWAIT) != 0 || timeout == 0) {
            return null;
        }
        long deadline = timeout < 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        while (await(canReceive, deadline)) {
            frame = xrecv();
            if (frame != null) {
                return frame;
            }
        }
        return null;
    }

    /**
     * Parks until {@code ready} holds or the deadline passes.
     *
     * @param deadline System.nanoTime() deadline, 0 for none
     * @return true when ready, false on timeout
     */
    private boolean await(BooleanSupplier ready, long deadline) {
        if (Thread.interrupted()) {
            // checked on every wait, not only after parking: a retry loop whose condition holds
            // but whose operation keeps failing still answers an interrupt
            throw new ZmqException(Errno.EINTR, type + " socket call interrupted");
        }
        if (lock != null) {
            return awaitShared(ready, deadline);
        }
        long spinNanos = usesIoThreads ? SPIN_NANOS : Math.max(SPIN_NANOS, INPROC_SPIN_NANOS);
        if (spinNanos > 0 && spin(ready, spinNanos)) {
            return true;
        }
        parked = Thread.currentThread();
        try {
            while (true) {
                unparkSent = false;
                processCommands();
                if (ready.getAsBoolean()) {
                    return true;
                }
                checkUsable();
                if (deadline == 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    throw new ZmqException(Errno.EINTR, type + " socket call interrupted");
                }
            }
        } finally {
            parked = null;
        }
    }

    /**
     * {@link #await} for thread-safe types: the caller holds the lock, joins the waiters, and
     * releases the lock while parked so other threads can use the socket.
     */
    private boolean awaitShared(BooleanSupplier ready, long deadline) {
        Thread self = Thread.currentThread();
        waiters.add(self);
        try {
            while (true) {
                processCommands();
                if (ready.getAsBoolean()) {
                    return true;
                }
                checkUsable();
                long left = 0;
                if (deadline != 0) {
                    left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                }
                lock.unlock();
                try {
                    if (deadline == 0) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, left);
                    }
                } finally {
                    lock.lock();
                }
                if (Thread.interrupted()) {
                    throw new ZmqException(Errno.EINTR, type + " socket call interrupted");
                }
            }
        } finally {
            waiters.remove(self);
        }
    }

    /**
     * Off by default: measured on 2-core machines, spinning takes the CPU the I/O threads need
     * (tcp REQ/REP one-way 74 µs without, 65-125 µs with 20-50 µs spins; inproc 4 µs vs 28-38 µs).
     */
    static final long DEFAULT_SPIN_MICROS = 0;

    /**
     * How long a blocking call busy-waits before parking (system property
     * {@code zmq4j.spinMicros}, default {@value #DEFAULT_SPIN_MICROS} µs): a reply that arrives
     * within that time costs no park/unpark. 0 disables spinning.
     */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("zmq4j.spinMicros", DEFAULT_SPIN_MICROS));

    /**
     * How long a blocking call on a socket that only has inproc peers busy-waits before parking
     * (system property {@code zmq4j.inprocSpinMicros}, default 30 µs). No I/O thread needs the
     * CPU such a socket would spin on, and a wake-up across CPUs costs 20-30 µs on virtual
     * machines: measured inproc REQ/REP one-way latency 22.4 µs without, 0.26 µs with (JeroMQ 5.4
     * µs). Sockets that ever bound or connected a tcp/ipc/udp endpoint use {@link #SPIN_NANOS}.
     * Off when the process may use only one CPU (e.g. under {@code taskset -c 0}): there the
     * thread we wait for cannot run while we spin (measured 3.6 µs without, 34 µs with).
     */
    static final long INPROC_SPIN_NANOS = Runtime.getRuntime().availableProcessors() < 2 ? 0
            : TimeUnit.MICROSECONDS.toNanos(Long.getLong("zmq4j.inprocSpinMicros", 30));

    /** Spins briefly for {@code ready}; true when it became ready without parking. */
    private boolean spin(BooleanSupplier ready, long spinNanos) {
        long end = System.nanoTime() + spinNanos;
        do {
            Thread.onSpinWait();
            processCommands();
            if (ready.getAsBoolean()) {
                return true;
            }
        } while (System.nanoTime() - end < 0 && !terminated && !closed);
        return false;
    }

    @Override
    public boolean hasMore() {
        return rcvMore;
    }

    @Override
    public String messageProperty(String name) {
        enter();
        try {
            return messageProperty0(name);
        } finally {
            exit();
        }
    }

    private String messageProperty0(String name) {
        checkUsable();
        Peer p = xlastPeer();
        return p == null ? null : p.metadata().getString(name);
    }

    private void checkUsable() {
        if (closed) {
            throw new ZmqException(Errno.ENOTSOCK, type + " socket is closed");
        }
        if (terminated) {
            throw new ZmqException(Errno.ETERM, "context was closed; close this " + type + " socket");
        }
    }

    // ------------------------------------------------------------------ Poller support

    /**
     * Readiness for {@link Poller}: POLLIN/POLLOUT, or POLLERR when closed.
     *
     * @return the ready events
     * @throws ZmqException ETERM when the context was closed
     */
    public int pollEvents() {
        enter();
        try {
            return pollEvents0();
        } finally {
            exit();
        }
    }

    private int pollEvents0() {
        if (closed) {
            return Poller.POLLERR;
        }
        if (terminated) {
            throw new ZmqException(Errno.ETERM, "context was closed while polling a " + type + " socket");
        }
        processCommands();
        int events = 0;
        if (xhasIn()) {
            events |= Poller.POLLIN;
        }
        if (xhasOut()) {
            events |= Poller.POLLOUT;
        }
        return events;
    }

    /**
     * Registers ({@code waiting} true) or removes a thread a {@link Poller} parks while waiting on
     * this socket; several pollers may wait on a thread-safe socket.
     *
     * @param thread  the polling thread
     * @param waiting whether it starts or stops waiting
     */
    public void pollingThread(Thread thread, boolean waiting) {
        if (waiters == null) {
            unparkSent = false;
            parked = waiting ? thread : null;
        } else if (waiting) {
            waiters.add(thread);
        } else {
            waiters.remove(thread);
        }
    }

    // ------------------------------------------------------------------ options

    @Override
    public <T> void setOption(Option<T> option, T value) {
        enter();
        try {
            setOption0(option, value);
        } finally {
            exit();
        }
    }

    private <T> void setOption0(Option<T> option, T value) {
        checkUsable();
        if (option == null || value == null) {
            throw new ZmqException(Errno.EINVAL, "option and value must not be null (option " + option + ")");
        }
        if (option.isReadOnly()) {
            throw new ZmqException(Errno.EINVAL, option + " is read-only");
        }
        processCommands();
        if (xsetOption(option, value)) {
            return;
        }
        if (!OptionRules.apply(options, option, value)) {
            throw new ZmqException(Errno.EINVAL, option + " does not apply to " + type + " sockets");
        }
    }

    @Override
    public <T> T getOption(Option<T> option) {
        enter();
        try {
            return getOption0(option);
        } finally {
            exit();
        }
    }

    private <T> T getOption0(Option<T> option) {
        checkUsable();
        Object value;
        if (option == Option.TYPE) {
            value = type;
        } else if (option == Option.RCVMORE) {
            value = rcvMore;
        } else if (option == Option.LAST_ENDPOINT) {
            value = lastEndpoint;
        } else if (option == Option.THREAD_SAFE) {
            value = type.isThreadSafe();
        } else {
            value = xgetOption(option);
            if (value == null) {
                value = OptionRules.read(options, option);
            }
        }
        if (value == null) {
            throw new ZmqException(Errno.EINVAL, option + " cannot be read from " + type + " sockets");
        }
        return option.type().cast(value);
    }

    @Override
    public SocketType type() {
        return type;
    }

    // ------------------------------------------------------------------ close

    @Override
    public void close() {
        enter();
        try {
            close0();
        } finally {
            exit();
        }
    }

    private void close0() {
        if (closed) {
            return;
        }
        closed = true;
        releaseIo(options.linger);
        monitors.stopAll();
        Runnable pendingCommand;
        while ((pendingCommand = mailbox.poll()) != null) {
            pendingCommand.run(); // attaches after closed=true close their peers
        }
        for (Peer p : peers) {
            p.close();
        }
        peers.clear();
        ctx.unregister(this);
    }

    @Override
    public void terminateFromContext() {
        terminated = true;
        wake();
        releaseIo(options.linger);
    }

    /** Ends listeners and sessions (any thread, once). */
    private void releaseIo(int linger) {
        List<Listener> ls;
        List<Session> ss = new ArrayList<>();
        List<org.zmq4j.transport.InprocRegistry.Connection> inprocDisconnects = new ArrayList<>();
        synchronized (this) {
            if (ioReleased) {
                return;
            }
            ioReleased = true;
            ls = new ArrayList<>(listeners);
            listeners.clear();
            for (List<Session> list : connects.values()) {
                ss.addAll(list);
            }
            connects.clear();
            for (List<org.zmq4j.transport.InprocRegistry.Connection> list : inprocConnects.values()) {
                inprocDisconnects.addAll(list);
            }
            inprocConnects.clear();
            for (List<Listener> list : datagramConnects.values()) {
                ls.addAll(list);
            }
            datagramConnects.clear();
        }
        inprocDisconnects.forEach(org.zmq4j.transport.InprocRegistry.Connection::close);
        for (Listener l : ls) {
            l.close(linger);
        }
        for (Session s : ss) {
            s.terminateLater(linger);
        }
    }

    /** Whether close() was called. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return type + " socket" + (lastEndpoint.isEmpty() ? "" : " " + lastEndpoint);
    }
}
