package org.zmq4j.io;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.zmq4j.SocketEvent;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.pipe.Wakeable;

/**
 * What the datagram endpoints (udp's {@link UdpEngine}, epgm's {@link PgmEngine}) share: one
 * channel serving one peer on an I/O thread, without a handshake. It registers the channel, goes
 * idle when the outbound pipe is empty and is woken by the socket's next write, stops reading when
 * the inbound pipe is at RCVHWM and resumes when the socket reads, and closes as libzmq does:
 * the peer is detached at once, what is queued goes out for up to LINGER, then the channel closes.
 * Subclasses say what sending and receiving are.
 *
 * <p>Thread-safety: {@link #close} and the pipe wake-ups may be called from any thread; all else
 * runs on the engine's I/O thread.
 */
public abstract class DatagramEngine implements IoHandler, IoContext.Lingerer {
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    /** The I/O thread. */
    protected final IoThread io;
    /** The socket. */
    protected final SessionHost host;
    /** The channel, open and non-blocking. */
    protected final DatagramChannel channel;
    /** The one peer. */
    protected final Peer peer;
    private final String endpoint;
    private final String resolved;
    private final boolean bound;
    private final int number = NUMBERS.incrementAndGet();
    private final System.Logger log;

    private final AtomicBoolean outputIdle = new AtomicBoolean();
    private final AtomicBoolean resumeScheduled = new AtomicBoolean();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final Runnable flushTask = this::flush;
    private final Runnable resumeTask = this::resume;

    /** The channel's key once registered. */
    protected SelectionKey key;
    /** Whether the kernel refused a datagram; OP_WRITE is awaited. */
    protected boolean writeBlocked;
    private boolean inputPaused;
    private boolean lingering;
    private boolean closed;
    private Timer lingerTimer;

    /**
     * @param host     the socket
     * @param channel  an open, non-blocking channel
     * @param peer     the peer to serve, attached by the caller
     * @param endpoint the endpoint as given to bind/connect
     * @param resolved the endpoint as LAST_ENDPOINT reports it
     * @param bound    whether this is a bind (monitor CLOSED on close)
     * @param log      where to log
     */
    protected DatagramEngine(SessionHost host, DatagramChannel channel, Peer peer, String endpoint, String resolved, boolean bound,
                             System.Logger log) {
        this.io = host.context().chooseThread();
        this.host = host;
        this.channel = channel;
        this.peer = peer;
        this.endpoint = endpoint;
        this.resolved = resolved;
        this.bound = bound;
        this.log = log;
    }

    /** Registers the channel on the I/O thread (call once, after the peer is attached). */
    public final void start() {
        io.execute(this::register);
    }

    private void register() {
        if (closed) {
            return;
        }
        try {
            key = io.register(channel, initialInterest(), this);
        } catch (IOException e) {
            log.log(Level.WARNING, "cannot register the channel of " + resolved, e);
            finish("cannot register the channel");
            return;
        }
        io.load().incrementAndGet();
        peer.out().setReaderWake(this::wakeOutput);
        peer.in().setWriterWake(this::wakeInput);
        registered();
        flush();
    }

    /** The interest the channel is registered with. */
    protected abstract int initialInterest();

    /** Called on the I/O thread once registered, before the first {@link #flush()}. */
    protected abstract void registered();

    /** Whether this engine sends the peer's messages (and so lingers on close). */
    protected abstract boolean sending();

    /** Whether messages or datagrams are still waiting to go. */
    protected abstract boolean hasQueued();

    /** Sends what is queued until something stops it; calls {@link #goIdle} when the pipe is empty (I/O thread). */
    protected abstract void flush();

    /** Reads what the channel has (I/O thread). */
    protected abstract void receive();

    /** Called on the I/O thread just before the channel closes; the key is still valid. */
    protected void closing() {
    }

    /** Figures for the closing log line, or "". */
    protected String figures() {
        return "";
    }

    // ------------------------------------------------------------------ the endpoint handle

    /** A number identifying the endpoint in monitor events. */
    public final int number() {
        return number;
    }

    /** The endpoint as given. */
    public final String endpoint() {
        return endpoint;
    }

    /** The endpoint as LAST_ENDPOINT reports it. */
    public final String resolvedEndpoint() {
        return resolved;
    }

    /**
     * Detaches the peer now (so the socket stops using it as soon as it processes its mailbox),
     * then, on the I/O thread, sends what is queued for up to {@code linger} ms and closes the
     * channel. Idempotent; callable from any thread.
     *
     * @param linger the socket's LINGER (-1 forever, 0 drop what is queued)
     */
    public final void close(int linger) {
        if (!closeRequested.compareAndSet(false, true)) {
            return;
        }
        host.peerDetached(peer);
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

    private void terminate(int linger) {
        if (closed) {
            return;
        }
        if (!sending() || linger == 0 || !hasQueued()) {
            finish(linger == 0 && sending() && hasQueued() ? "closed with messages unsent (LINGER 0)" : "closed");
            return;
        }
        lingering = true;
        host.context().lingerBegin(this);
        if (linger > 0) {
            lingerTimer = io.schedule(linger, () -> finish("LINGER expired with messages unsent"));
        }
        flush();
    }

    @Override
    public final IoThread ioThread() {
        return io;
    }

    @Override
    public final long unsent() {
        return closed ? 0 : peer.out().queuedMessages();
    }

    @Override
    public final void cutLinger() {
        if (!closed) {
            finish("context closed: LINGER cut short with messages unsent");
        }
    }

    /** Whether the engine has closed. */
    protected final boolean closed() {
        return closed;
    }

    /**
     * Closes the channel and lets go of the peer (I/O thread). Idempotent.
     *
     * @param reason for the monitor and the log
     */
    protected final void finish(String reason) {
        if (closed) {
            return;
        }
        if (key != null) {
            closing();
        }
        closed = true;
        if (lingerTimer != null) {
            lingerTimer.cancel();
        }
        if (key != null) {
            key.cancel();
            io.load().decrementAndGet();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        peer.out().setReaderWake(Wakeable.NONE);
        peer.in().setWriterWake(Wakeable.NONE);
        peer.in().closeWriter();
        peer.out().closeReader();
        if (!closeRequested.get()) {
            host.peerDetached(peer); // failed by itself: the socket must forget the peer
        }
        if (bound) {
            host.monitor().emit(SocketEvent.Type.CLOSED, number, resolved, reason);
        }
        if (lingering) {
            lingering = false;
            host.context().lingerEnd(this);
        }
        log.log(Level.DEBUG, () -> resolved + " closed: " + reason + figures());
    }

    // ------------------------------------------------------------------ readiness

    @Override
    public final void onReady(SelectionKey k) {
        if (closed) {
            return;
        }
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            writeBlocked = false;
            k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
            flush();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !closed) {
            receive();
        }
    }

    @Override
    public final void onFailure(Throwable cause) {
        log.log(Level.WARNING, resolved + " failed", cause);
        finish("failed: " + cause);
    }

    /** Waits for OP_WRITE: the kernel's buffer is full. */
    protected final void awaitWritable() {
        writeBlocked = true;
        key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    }

    /** Runs {@link #flush()} again after the other handlers had a turn. */
    protected final void flushLater() {
        io.execute(flushTask);
    }

    /**
     * The outbound pipe is empty: finishes a lingering close, or goes idle until the socket writes.
     *
     * @return true when the caller should carry on flushing (a message came in between)
     */
    protected final boolean goIdle() {
        if (lingering) {
            finish("closed, queue delivered");
            return false;
        }
        outputIdle.set(true); // announce, then re-check, so a write in between is never missed
        Pipe out = peer.out();
        return out.hasMessage() && outputIdle.compareAndSet(true, false);
    }

    /** The socket queued a message while the engine was idle (any thread). */
    private void wakeOutput() {
        if (outputIdle.get() && outputIdle.compareAndSet(true, false)) {
            io.execute(flushTask);
        }
    }

    // ------------------------------------------------------------------ receiving

    /** The socket read from the inbound pipe after the engine found it full (any thread). */
    private void wakeInput() {
        if (resumeScheduled.compareAndSet(false, true)) {
            io.execute(resumeTask);
        }
    }

    private void resume() {
        resumeScheduled.set(false);
        if (closed || !inputPaused) {
            return;
        }
        Pipe in = peer.in();
        if (!in.isReaderClosed() && !in.hasRoom()) {
            return; // still full; hasRoom() re-armed the wake-up
        }
        inputPaused = false;
        if (key != null && key.isValid()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
        receive();
    }

    /** Stops reading until the socket drains the pipe; the kernel buffer holds (or drops) the rest. */
    protected final void pauseInput() {
        Pipe in = peer.in();
        in.flush();
        inputPaused = true;
        if (key != null && key.isValid()) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
        if (in.hasRoom()) {
            wakeInput(); // the socket drained the pipe between our check and now
        }
    }
}
