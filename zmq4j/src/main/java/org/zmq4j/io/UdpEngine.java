package org.zmq4j.io;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.zmq4j.SocketEvent;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.pipe.Wakeable;

/**
 * One udp endpoint of a RADIO (sending) or a DISH (receiving) on an I/O thread, as libzmq's
 * {@code udp_engine_t}: no handshake, no heartbeats, one datagram per message laid out as
 * {@code [group length][group][body]}, at most {@value #MAX_DATAGRAM} bytes.
 * <p>
 * Sending: drains the peer's outbound pipe (group frame, then body frame), one datagram per
 * message; a message that does not fit in a datagram is dropped, as libzmq does. When the kernel
 * buffer is full the datagram is kept and the engine waits for OP_WRITE. When it runs out of
 * messages it goes idle and the socket's next write wakes it (one task per idle period).
 * <p>
 * Receiving: each datagram becomes a group frame and a body frame in the peer's inbound pipe;
 * datagrams that are empty, shorter than their group length says, or longer than
 * {@value #MAX_DATAGRAM} bytes (which libzmq would truncate) are dropped and counted. When the
 * pipe is at RCVHWM the engine stops reading, as libzmq does, and resumes when the socket reads:
 * the kernel's receive buffer absorbs what it can and drops the rest. Nothing a datagram contains
 * can throw out of the I/O thread.
 * <p>
 * The engine is the handle the socket keeps for the endpoint: closing it detaches the peer,
 * delivers what is queued for up to LINGER (sending side), and closes the channel.
 */
public final class UdpEngine implements IoHandler, IoContext.Lingerer {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.udp");

    /** The largest datagram sent or accepted (libzmq's MAX_UDP_MSG). */
    static final int MAX_DATAGRAM = 8192;
    /** Datagrams handled per readiness event or flush before letting other handlers run. */
    private static final int BATCH = 256;
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final IoThread io;
    private final SessionHost host;
    private final DatagramChannel channel;
    private final Peer peer;
    /** Where a sending engine sends; null for a receiving one. */
    private final SocketAddress destination;
    private final String endpoint;
    private final String resolved;
    private final boolean bound;
    private final int number = NUMBERS.incrementAndGet();
    /** One byte more than the limit, so an oversized datagram is seen (the kernel truncates silently). */
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM + 1);

    private final AtomicBoolean outputIdle = new AtomicBoolean();
    private final AtomicBoolean resumeScheduled = new AtomicBoolean();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final Runnable flushTask = this::flush;
    private final Runnable resumeTask = this::resume;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();

    private SelectionKey key;
    /** A datagram in {@link #buffer} the kernel did not take yet (sending side). */
    private boolean pending;
    private boolean writeBlocked;
    private boolean inputPaused;
    private boolean lingering;
    private boolean closed;
    private Timer lingerTimer;

    /**
     * @param host        the socket
     * @param channel     an open, bound (receiving) or unbound (sending), non-blocking channel
     * @param peer        the peer to serve, attached to the socket by the caller
     * @param destination where to send, or null for a receiving engine
     * @param endpoint    the endpoint as given to bind/connect
     * @param resolved    the endpoint as LAST_ENDPOINT reports it
     * @param bound       whether this is a bind (monitor CLOSED on close)
     */
    public UdpEngine(SessionHost host, DatagramChannel channel, Peer peer, SocketAddress destination, String endpoint, String resolved,
              boolean bound) {
        this.io = host.context().chooseThread();
        this.host = host;
        this.channel = channel;
        this.peer = peer;
        this.destination = destination;
        this.endpoint = endpoint;
        this.resolved = resolved;
        this.bound = bound;
    }

    /** Registers the channel on the I/O thread (call once, after the peer is attached). */
    public void start() {
        io.execute(this::register);
    }

    private boolean sending() {
        return destination != null;
    }

    private void register() {
        if (closed) {
            return;
        }
        try {
            key = io.register(channel, sending() ? 0 : SelectionKey.OP_READ, this);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot register udp channel for " + resolved, e);
            finish("cannot register the channel");
            return;
        }
        io.load().incrementAndGet();
        if (sending()) {
            peer.out().setReaderWake(this::wakeOutput);
            flush();
        } else {
            peer.in().setWriterWake(this::wakeInput);
        }
    }

    // ------------------------------------------------------------------ the endpoint handle

    public int number() {
        return number;
    }

    public String endpoint() {
        return endpoint;
    }

    public String resolvedEndpoint() {
        return resolved;
    }

    /**
     * Detaches the peer now (so the socket stops using it as soon as it processes its mailbox),
     * then, on the I/O thread, sends what is queued for up to {@code linger} ms and closes the
     * channel. Idempotent; callable from any thread.
     *
     * @param linger the socket's LINGER (-1 forever, 0 drop what is queued)
     */
    public void close(int linger) {
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

    private boolean hasQueued() {
        return pending || peer.out().hasMessage();
    }

    @Override
    public IoThread ioThread() {
        return io;
    }

    @Override
    public long unsent() {
        return closed ? 0 : peer.out().queuedMessages();
    }

    @Override
    public void cutLinger() {
        if (!closed) {
            finish("context closed: LINGER cut short with messages unsent");
        }
    }

    private void finish(String reason) {
        if (closed) {
            return;
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
        LOG.log(Level.DEBUG, () -> "udp endpoint " + resolved + " closed: " + reason + " (dropped " + dropped.get() + " datagrams)");
    }

    // ------------------------------------------------------------------ readiness

    @Override
    public void onReady(SelectionKey k) {
        if (closed) {
            return;
        }
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            writeBlocked = false;
            k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
            flush();
        }
        if ((ready & SelectionKey.OP_READ) != 0) {
            receive();
        }
    }

    @Override
    public void onFailure(Throwable cause) {
        LOG.log(Level.WARNING, "udp endpoint " + resolved + " failed", cause);
        finish("failed: " + cause);
    }

    // ------------------------------------------------------------------ sending

    /** The socket queued a message while the engine was idle (any thread). */
    private void wakeOutput() {
        if (outputIdle.get() && outputIdle.compareAndSet(true, false)) {
            io.execute(flushTask);
        }
    }

    /** Sends what is queued until the kernel is full or the pipe is empty, then goes idle (I/O thread). */
    private void flush() {
        if (closed || writeBlocked || key == null) {
            return;
        }
        Pipe out = peer.out();
        for (int sent = 0; sent < BATCH; sent++) {
            if (!pending && !nextDatagram(out)) {
                if (lingering) {
                    finish("closed, queue delivered");
                    return;
                }
                // idle protocol: announce, then re-check, so a write in between is never missed
                outputIdle.set(true);
                if (!out.hasMessage() || !outputIdle.compareAndSet(true, false)) {
                    return;
                }
                continue;
            }
            try {
                if (channel.send(buffer, destination) == 0) {
                    writeBlocked = true; // kept in the buffer; sent again on OP_WRITE
                    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                    return;
                }
            } catch (IOException e) {
                // e.g. no route to a multicast group: this message is lost, the endpoint stays
                if (sendErrors.getAndIncrement() == 0) {
                    LOG.log(Level.WARNING, "udp send to " + destination + " failed (further failures logged at DEBUG): " + e);
                } else {
                    LOG.log(Level.DEBUG, () -> "udp send to " + destination + " failed: " + e);
                }
                dropped.incrementAndGet();
                if (!channel.isOpen()) {
                    finish("channel closed: " + e.getMessage());
                    return;
                }
            }
            pending = false;
        }
        io.execute(flushTask); // more may be queued: continue after the other handlers had a turn
    }

    /**
     * Reads the next message from the pipe into {@link #buffer}, dropping those too large for a
     * datagram.
     *
     * @return false when the pipe is empty
     */
    private boolean nextDatagram(Pipe out) {
        while (true) {
            byte[] group = out.read();
            if (group == null) {
                return false;
            }
            if ((out.lastFlags() & Pipe.MORE) == 0) {
                continue; // not a [group, body] pair: nothing RADIO writes; ignore
            }
            byte[] body = out.read();
            while (body != null && (out.lastFlags() & Pipe.MORE) != 0) {
                body = out.read(); // more than two frames: keep the last, drop the message below
                group = null;
            }
            if (body == null || group == null || group.length > 255 || 1 + group.length + body.length > MAX_DATAGRAM) {
                dropped.incrementAndGet(); // libzmq drops a message that does not fit (MAX_UDP_MSG)
                continue;
            }
            buffer.clear();
            buffer.put((byte) group.length).put(group).put(body);
            buffer.flip();
            pending = true;
            return true;
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

    /** Reads datagrams into the inbound pipe until none is waiting or the pipe is full (I/O thread). */
    private void receive() {
        Pipe in = peer.in();
        try {
            for (int i = 0; i < BATCH && !closed; i++) {
                boolean discard = in.isReaderClosed();
                if (!discard && !in.hasRoom()) {
                    pauseInput(in);
                    break;
                }
                buffer.clear();
                SocketAddress from;
                try {
                    from = channel.receive(buffer);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, () -> "udp receive on " + resolved + " failed: " + e);
                    if (!channel.isOpen()) {
                        finish("channel closed: " + e.getMessage());
                    }
                    break;
                }
                if (from == null) {
                    break;
                }
                if (discard) {
                    continue;
                }
                int n = buffer.position();
                int groupLength = n == 0 ? 0 : buffer.get(0) & 0xFF;
                if (n == 0 || n > MAX_DATAGRAM || n - 1 < groupLength) {
                    dropped.incrementAndGet(); // empty, oversized or truncated: not a message
                    continue;
                }
                buffer.flip();
                buffer.get();
                byte[] group = new byte[groupLength];
                buffer.get(group);
                byte[] body = new byte[n - 1 - groupLength];
                buffer.get(body);
                in.writeBatched(group, Pipe.MORE);
                in.writeBatched(body, 0);
            }
        } finally {
            in.flush();
        }
    }

    /** Stops reading until the socket drains the pipe; the kernel buffer holds (or drops) the rest. */
    private void pauseInput(Pipe in) {
        in.flush();
        inputPaused = true;
        if (key != null && key.isValid()) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
        if (in.hasRoom()) {
            wakeInput(); // the socket drained the pipe between our check and now
        }
    }

    /** Datagrams or messages dropped so far (malformed, oversized, send failures). */
    long dropped() {
        return dropped.get();
    }

    @Override
    public String toString() {
        return "UdpEngine[" + resolved + (sending() ? " -> " + destination : "") + "]";
    }
}
