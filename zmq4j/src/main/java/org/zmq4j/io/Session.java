package org.zmq4j.io;

import org.zmq4j.common.SocketOptions;
import java.lang.System.Logger.Level;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

import org.zmq4j.ConnectionMetrics;
import org.zmq4j.SocketEvent;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.security.Mechanisms;
import org.zmq4j.wire.Metadata;

/**
 * One connection slot of a socket, living on an I/O thread: either an accepted connection, or an
 * endpoint given to connect() that is connected and re-connected (RECONNECT_IVL, doubling up to
 * RECONNECT_IVL_MAX) for as long as the socket wants it.
 * <p>
 * For a connect() of most socket types (unless IMMEDIATE is set) the peer and its pipes exist from
 * the start and survive reconnects, as in libzmq: messages sent before the connection exists are
 * queued up to SNDHWM and delivered once it does.
 */
public final class Session implements ConnectionListener, Connector.Callback, IoContext.Lingerer {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.session");

    private final IoThread io;
    private final SessionHost host;
    private final SocketOptions options;
    private final String endpoint;
    private final Connector connector;
    private final Consumer<Session> onFinished;
    private SocketChannel acceptedChannel;

    /** Volatile, as are the fields below it that {@link #metrics()} reads: written on the I/O thread, read by any. */
    private volatile Connection engine;
    private volatile Peer peer;
    private volatile ConnectionMetrics.State state;
    private volatile String peerType = "";
    private volatile long connects;
    private volatile long disconnects;
    private volatile long connectRetries;
    private volatile long handshakeFailures;
    private volatile long heartbeatTimeouts;
    private volatile int backoff;
    /** The last connection's address and counts, kept once it is gone (read by {@link #metrics()}). */
    private volatile String lastAddress = "";
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile long closedBytesIn;
    private volatile long closedBytesOut;
    private boolean persistent;
    private boolean everConnected;
    private Timer reconnectTimer;
    private Timer lingerTimer;
    private int currentIvl;
    private boolean terminating;
    private boolean finished;
    private boolean lingerCounted;

    private Session(IoThread io, SessionHost host, SocketOptions options, String endpoint, Connector connector,
                    SocketChannel accepted, Consumer<Session> onFinished) {
        this.io = io;
        this.host = host;
        this.options = options;
        this.endpoint = endpoint;
        this.connector = connector;
        this.acceptedChannel = accepted;
        this.onFinished = onFinished;
        this.currentIvl = options.reconnectIvl;
        this.state = connector == null ? ConnectionMetrics.State.HANDSHAKING : ConnectionMetrics.State.CONNECTING;
        if (connector != null && !options.immediate && options.rules.attachBeforeHandshake()) {
            // attached at connect, as libzmq does: messages queue before the connection exists
            // and survive reconnects
            this.peer = newPeer();
            this.persistent = true;
        }
    }

    /**
     * A session for a connect() endpoint.
     *
     * @param io        its I/O thread
     * @param host      the socket
     * @param options   options copied at connect time
     * @param endpoint  the endpoint as given
     * @param connector makes the connections
     * @return the session; the socket attaches its {@link #persistentPeer()} (if any) now, then
     *         calls {@link #start()} on its I/O thread
     */
    public static Session connecting(IoThread io, SessionHost host, SocketOptions options, String endpoint, Connector connector) {
        return new Session(io, host, options, endpoint, connector, null, s -> { });
    }

    /**
     * The peer a connect() attaches at once, as libzmq does, so messages queue before the
     * connection exists and survive reconnects; null when the socket learns of peers only at
     * handshake (IMMEDIATE, or types that route by the peer's identity). Read it right after
     * {@link #connecting}, before {@link #start()}.
     *
     * @return the peer, or null
     */
    public Peer persistentPeer() {
        return persistent ? peer : null;
    }

    /**
     * A session for an accepted connection.
     *
     * @param io         its I/O thread
     * @param host       the socket
     * @param options    options copied at bind time
     * @param endpoint   the listening endpoint
     * @param channel    the accepted channel
     * @param onFinished called (I/O thread) when the session ends
     * @return the session; call {@link #start()} on its I/O thread
     */
    public static Session accepted(IoThread io, SessionHost host, SocketOptions options, String endpoint, SocketChannel channel,
                                   Consumer<Session> onFinished) {
        return new Session(io, host, options, endpoint, null, channel, onFinished);
    }

    /**
     * {@link #terminate(int)} from any thread. The context counts the request as lingering until it
     * has run, so a context close cannot finish before the session decided whether to linger.
     *
     * @param linger the socket's LINGER now
     */
    public void terminateLater(int linger) {
        IoContext ctx = host.context();
        ctx.lingerBegin();
        io.execute(() -> {
            try {
                terminate(linger);
            } finally {
                ctx.lingerEnd();
            }
        });
    }

    /** The I/O thread this session lives on. */
    public IoThread ioThread() {
        return io;
    }

    /** The endpoint as given to bind or connect. */
    public String endpoint() {
        return endpoint;
    }

    /** Starts connecting, or the handshake of an accepted connection (I/O thread). */
    public void start() {
        if (!terminating) {
            host.connections().opened(this);
        }
        if (terminating) {
            if (acceptedChannel != null) {
                closeQuietly(acceptedChannel);
                acceptedChannel = null;
            }
            return;
        }
        if (connector == null) {
            SocketChannel ch = acceptedChannel;
            acceptedChannel = null;
            startEngine(ch);
            return;
        }
        connector.connect(io, this);
    }

    private Peer newPeer() {
        Pipe in = new Pipe(options.rcvHwm, options.conflateIn());
        Pipe out = new Pipe(options.sndHwm, options.conflateOut());
        in.setReaderWake(host.wakeable());
        out.setWriterWake(host.wakeable());
        return new Peer(in, out, endpoint, this, false);
    }

    @Override
    public void delayed() {
        host.monitor().emit(SocketEvent.Type.CONNECT_DELAYED, 115, endpoint, "connection in progress"); // EINPROGRESS
    }

    @Override
    public void connected(SocketChannel channel) {
        if (terminating && (peer == null || !peer.out().hasMessage())) {
            closeQuietly(channel);
            finish();
            return;
        }
        startEngine(channel);
    }

    @Override
    public void failed(Errno errno, String reason) {
        LOG.log(Level.DEBUG, () -> "connect to " + endpoint + " failed: " + errno + " " + reason);
        if ((options.reconnectStop & org.zmq4j.Option.RECONNECT_STOP_CONN_REFUSED) != 0 && errno == Errno.ECONNREFUSED) {
            stopReconnecting("connection refused (RECONNECT_STOP_CONN_REFUSED)");
            return;
        }
        scheduleReconnect(reason);
    }

    /** RECONNECT_STOP said so: give the connect up, as libzmq does (its queue is dropped). */
    private void stopReconnecting(String why) {
        LOG.log(Level.DEBUG, () -> "not reconnecting to " + endpoint + ": " + why);
        finish(); // detaches the peer: nothing more can be sent through this connect
    }

    private void startEngine(SocketChannel channel) {
        EngineIo channelIo = new SelectorIo(io, channel);
        EngineContext context = EngineContext.of(host.context(), io);
        if (options.rules.raw()) {
            engine = new RawEngine(channelIo, context, this); // raw TCP: no ZMTP greeting or framing
        } else {
            engine = new Engine(channelIo, context, options, Mechanisms.create(options), this);
        }
        String address = engine.peerAddress();
        lastAddress = address.startsWith("/") ? address.substring(1) : address; // InetSocketAddress's "/127.0.0.1:5555"
        state = ConnectionMetrics.State.HANDSHAKING;
        connects++;
        host.connections().connected(connector == null);
        if (connector != null) {
            host.monitor().emit(SocketEvent.Type.CONNECTED, engine.connectionNumber(), endpoint, "connected to " + lastAddress);
        } else {
            host.monitor().emit(SocketEvent.Type.ACCEPTED, engine.connectionNumber(), endpoint, "accepted " + lastAddress);
        }
        engine.start();
    }

    /**
     * The handshake completed: the socket gets the peer, the engine its pipes. Attaching can fail
     * at once (the engine's first write finds the connection reset) and close the engine inside
     * this call, which runs {@link #engineClosed} re-entrantly: so the attach is posted to the
     * socket before the engine is attached (a detach it causes is posted after it), a local keeps
     * the peer, and nothing after the attach assumes the connection still exists.
     */
    @Override
    public void engineReady(Connection e, Metadata metadata) {
        currentIvl = options.reconnectIvl;
        backoff = 0;
        state = ConnectionMetrics.State.ACTIVE;
        byte[] type = metadata.get("Socket-Type");
        peerType = type == null ? "" : new String(type, java.nio.charset.StandardCharsets.US_ASCII);
        boolean reconnected = everConnected;
        everConnected = true;
        Peer p = persistent ? peer : newPeer();
        p.handshaked(metadata);
        if (!persistent) {
            peer = p;
            host.peerAttached(p);
        }
        // reported once the peer is on its way to the socket (as libzmq attaches before the
        // event): the socket's next call, which runs its mailbox first, already includes it
        host.monitor().emit(SocketEvent.Type.HANDSHAKE_SUCCEEDED, 0, endpoint, "handshake with " + lastAddress);
        e.attach(p);
        if (engine != e) {
            return; // the connection failed while attaching: engineClosed has dealt with it
        }
        if (persistent && reconnected) {
            host.peerReconnected(p);
        }
        if (terminating) {
            e.closeWithLinger(options.linger);
        }
    }

    @Override
    public void engineClosed(Connection e, String reason, boolean handshaked) {
        if (e != engine) {
            return;
        }
        engine = null;
        closedBytesIn += e.bytesIn();
        closedBytesOut += e.bytesOut();
        lastActivityNanos = Math.max(lastActivityNanos, e.lastActivityNanos());
        disconnects++;
        state = connector == null ? ConnectionMetrics.State.CLOSED : ConnectionMetrics.State.WAITING_TO_RECONNECT;
        ConnectionBook book = host.connections();
        if (e.heartbeatTimedOut()) {
            heartbeatTimeouts++;
        }
        book.disconnected(e.heartbeatTimedOut());
        MonitorSink monitor = host.monitor();
        if (!handshaked) {
            handshakeFailures++;
            book.handshakeFailed(ConnectionBook.reasonOf(e.failure(), e.greeted()));
            monitor.emit(e.failure().event(), e.failure().value(), endpoint, reason);
        }
        monitor.emit(SocketEvent.Type.DISCONNECTED, e.connectionNumber(), endpoint, reason);
        if (!persistent && peer != null) {
            peer.in().closeWriter();
            peer.out().closeReader();
            host.peerDetached(peer);
            peer = null;
        }
        if (terminating) {
            if (persistent && peer != null && peer.out().hasMessage() && options.linger != 0 && connector != null) {
                scheduleReconnect();
            } else {
                finish();
            }
            return;
        }
        if (options.rules.closedPeerEndsConnect() && persistent && peer != null && peer.in().isReaderClosed()) {
            finish(); // the STREAM socket closed this peer ([id, ""]): no reconnect, as libzmq
            return;
        }
        if (connector == null || options.reconnectIvl < 0) {
            finish();
            return;
        }
        if (!handshaked && (options.reconnectStop & org.zmq4j.Option.RECONNECT_STOP_HANDSHAKE_FAILED) != 0
                && e.failure().event() != SocketEvent.Type.HANDSHAKE_FAILED_NO_DETAIL) {
            stopReconnecting("handshake failed (RECONNECT_STOP_HANDSHAKE_FAILED)");
            return;
        }
        if (handshaked && (options.reconnectStop & org.zmq4j.Option.RECONNECT_STOP_AFTER_DISCONNECT) != 0) {
            stopReconnecting("disconnected (RECONNECT_STOP_AFTER_DISCONNECT)");
            return;
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        scheduleReconnect(null);
    }

    /** @param why what went wrong with the last attempt, told in the CONNECT_RETRIED event (null: nothing to add) */
    private void scheduleReconnect(String why) {
        if (finished || connector == null) {
            return;
        }
        if (options.reconnectIvl < 0) {
            if (terminating) {
                finish();
            }
            return;
        }
        int delay = currentIvl;
        if (options.reconnectIvlMax > options.reconnectIvl) {
            currentIvl = (int) Math.min((long) currentIvl * 2, options.reconnectIvlMax);
        }
        state = ConnectionMetrics.State.WAITING_TO_RECONNECT;
        backoff = delay;
        connectRetries++;
        host.connections().retry();
        host.monitor().emit(SocketEvent.Type.CONNECT_RETRIED, delay, endpoint,
                (why == null ? "" : why + "; ") + "reconnecting in " + delay + " ms");
        reconnectTimer = io.schedule(delay, () -> {
            reconnectTimer = null;
            if (!finished) {
                state = ConnectionMetrics.State.CONNECTING;
                connector.connect(io, this);
            }
        });
    }

    /**
     * The socket closed, or the endpoint was disconnected/unbound: deliver what is queued for up to
     * {@code linger} ms (-1 forever), then end (I/O thread).
     *
     * @param linger the socket's LINGER now
     */
    public void terminate(int linger) {
        if (terminating || finished) {
            return;
        }
        terminating = true;
        options.linger = linger;
        if (peer != null) {
            host.peerDetached(peer);
        }
        // the engine may hold frames it took from the pipe but the kernel has not taken yet
        Pipe queue = peer == null ? null : peer.out();
        boolean pending = engine != null ? engine.hasUnsentOutput(queue) : queue != null && queue.hasMessage();
        if (linger == 0 || !pending) {
            if (engine != null) {
                engine.close("socket closed");
            }
            finish();
            return;
        }
        host.context().lingerBegin(this);
        lingerCounted = true;
        if (linger > 0) {
            lingerTimer = io.schedule(linger, () -> {
                if (engine != null) {
                    engine.close("LINGER expired with messages unsent");
                }
                finish();
            });
        }
        if (engine != null) {
            engine.closeWithLinger(linger);
        }
        // no engine: the pending reconnect (if any) delivers the queue, or LINGER expires
    }

    @Override
    public long unsent() {
        return finished || peer == null ? 0 : peer.out().queuedMessages();
    }

    @Override
    public void cutLinger() {
        if (finished) {
            return;
        }
        if (engine != null) {
            engine.close("context closed: LINGER cut short with messages unsent");
        }
        finish();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        state = ConnectionMetrics.State.CLOSED;
        host.connections().ended(this);
        if (reconnectTimer != null) {
            reconnectTimer.cancel();
        }
        if (lingerTimer != null) {
            lingerTimer.cancel();
        }
        if (connector != null) {
            connector.cancel();
        }
        if (engine != null) {
            Connection e = engine;
            engine = null;
            e.close("session ended");
        }
        if (peer != null) {
            peer.in().closeWriter();
            peer.out().closeReader();
            if (!terminating) {
                host.peerDetached(peer);
            }
            peer = null;
        }
        if (lingerCounted) {
            lingerCounted = false;
            host.context().lingerEnd(this);
        }
        onFinished.accept(this);
    }

    /**
     * This connection slot as it is now, for any thread: its fields are read one by one, so the
     * figures may be a moment apart.
     *
     * @param transport the endpoint's transport ({@code tcp}, {@code ipc})
     * @return the metrics
     */
    public ConnectionMetrics metrics(String transport) {
        Connection e = engine;
        Peer p = peer;
        long in = closedBytesIn;
        long out = closedBytesOut;
        long activity = lastActivityNanos;
        String address = lastAddress;
        String mechanism = options.mechanism.name();
        if (e != null) {
            in += e.bytesIn();
            out += e.bytesOut();
            activity = Math.max(activity, e.lastActivityNanos());
        }
        java.time.Instant last = java.time.Instant.now().minusNanos(Math.max(0, System.nanoTime() - activity));
        ConnectionMetrics.State st = state;
        return new ConnectionMetrics(endpoint, transport,
                connector == null ? ConnectionMetrics.Direction.ACCEPT : ConnectionMetrics.Direction.CONNECT, st,
                st == ConnectionMetrics.State.ACTIVE || st == ConnectionMetrics.State.HANDSHAKING ? address : "", mechanism, peerType,
                connects, disconnects, connectRetries, backoff, handshakeFailures, heartbeatTimeouts, last, in, out,
                p == null ? 0 : p.out().queuedMessages(), p == null ? options.sndHwm : p.out().hwm(),
                p == null ? 0 : p.in().queuedMessages(), p == null ? options.rcvHwm : p.in().hwm());
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (java.io.IOException ignored) {
            // closing anyway
        }
    }
}
