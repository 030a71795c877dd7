package org.zmq4j.io;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.zmq4j.SocketEvent;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.pipe.Wakeable;
import org.zmq4j.wire.Metadata;

/**
 * One connection of a STREAM socket: raw bytes, no greeting, no framing (libzmq's raw engine).
 * <p>
 * Inbound, every chunk a read returns becomes one frame in the peer's inbound pipe; outbound,
 * every frame in the peer's outbound pipe is written as it is, several per write when they fit.
 * An empty frame goes into the inbound pipe when the connection is attached and another when the
 * remote side closes or fails, as libzmq's STREAM_NOTIFY does (the socket drops them when the
 * application turned notifications off). The socket closes the connection by closing the peer:
 * what it queued before is written first, then the channel is closed. When the inbound pipe is at
 * its HWM the engine stops reading (TCP back-pressure) until the socket drains it.
 */
final class RawEngine implements Connection, IoHandler {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.engine");
    /** Monitor event numbers, counted from 2^30 so that they do not meet the ZMTP engines' numbers. */
    private static final AtomicInteger CONNECTION_NUMBERS = new AtomicInteger(1 << 30);
    private static final int BUFFER = 64 * 1024;
    private static final int LARGE = 16 * 1024;
    private static final int READS_PER_EVENT = 8;
    private static final byte[] NOTIFICATION = new byte[0];

    private final IoThread io;
    private final SocketChannel channel;
    private final ConnectionListener listener;
    private final String peerAddress;
    private final int connectionNumber = CONNECTION_NUMBERS.incrementAndGet();
    private final ByteBuffer in = ByteBuffer.allocate(BUFFER);
    private final ByteBuffer out = ByteBuffer.allocate(BUFFER);
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private final AtomicBoolean outputIdle = new AtomicBoolean();
    private final AtomicBoolean resumeScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flush;
    private final Runnable resumeTask = this::resumeInput;
    private final Wakeable outputWake = this::wakeOutput;
    private final Wakeable inputWake = this::wakeInput;

    private SelectionKey key;
    private Pipe inPipe;
    private Pipe outPipe;
    private ByteBuffer large;
    private byte[] pendingOut;
    private boolean writeBlocked;
    private boolean inputPaused;
    private boolean lingering;
    private boolean closed;
    private Timer lingerTimer;

    /**
     * @param io       the I/O thread this engine lives on
     * @param channel  a connected, non-blocking channel
     * @param listener who hears that the connection is ready (at once) and when it ends
     */
    RawEngine(IoThread io, SocketChannel channel, ConnectionListener listener) {
        this.io = io;
        this.channel = channel;
        this.listener = listener;
        this.peerAddress = describe(channel);
    }

    private static String describe(SocketChannel channel) {
        try {
            SocketAddress a = channel.getRemoteAddress();
            return a == null ? "?" : a.toString();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The remote IP address, as the Peer-Address property carries it ("" for ipc). */
    private String ipAddress() {
        try {
            SocketAddress a = channel.getRemoteAddress();
            if (a instanceof InetSocketAddress) {
                return ((InetSocketAddress) a).getAddress().getHostAddress();
            }
        } catch (IOException ignored) {
            // closed: no address
        }
        return "";
    }

    @Override
    public int connectionNumber() {
        return connectionNumber;
    }

    @Override
    public String peerAddress() {
        return peerAddress;
    }

    /** A raw connection has no handshake to fail; reported only for completeness. */
    @Override
    public SocketEvent.Type failureType() {
        return SocketEvent.Type.HANDSHAKE_FAILED_NO_DETAIL;
    }

    @Override
    public int failureValue() {
        return 0;
    }

    /** Registers the channel and reports the connection ready at once: raw has no handshake. */
    @Override
    public void start() {
        try {
            key = io.register(channel, 0, this);
        } catch (IOException e) {
            close("cannot register channel: " + e.getMessage());
            return;
        }
        io.load().incrementAndGet();
        Metadata metadata = Metadata.empty().with("Peer-Address", ipAddress().getBytes(StandardCharsets.UTF_8));
        listener.engineReady(this, metadata);
    }

    /** Serves the peer's pipes: delivers the connect notification, then reads and writes. */
    @Override
    public void attach(Peer peer) {
        if (closed) {
            return;
        }
        inPipe = peer.in();
        outPipe = peer.out();
        inPipe.setWriterWake(inputWake);
        outPipe.setReaderWake(outputWake);
        notifySocket();
        if (key.isValid()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
        flush();
    }

    /** An empty frame tells the socket the connection started or ended (ignores the HWM, as libzmq). */
    private void notifySocket() {
        if (inPipe != null && !inPipe.isReaderClosed()) {
            inPipe.write(NOTIFICATION, 0);
        }
    }

    @Override
    public void closeWithLinger(int lingerMillis) {
        if (closed) {
            return;
        }
        if (lingerMillis == 0 || outPipe == null) {
            close("socket closed");
            return;
        }
        lingering = true;
        if (lingerMillis > 0) {
            lingerTimer = io.schedule(lingerMillis, () -> close("LINGER expired with data unsent"));
        }
        flush();
    }

    @Override
    public void onReady(SelectionKey k) throws IOException {
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            writeBlocked = false;
            k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
            flush();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !closed) {
            onReadable();
        }
    }

    @Override
    public void onFailure(Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.log(Level.WARNING, "raw engine for " + peerAddress + " failed", cause);
        }
        peerGone("I/O error: " + cause);
    }

    // ------------------------------------------------------------------ input

    private void onReadable() throws IOException {
        for (int i = 0; i < READS_PER_EVENT && !closed && !inputPaused; i++) {
            if (!inPipe.isReaderClosed() && !inPipe.hasRoom()) {
                pauseInput();
                break;
            }
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                inPipe.flush();
                peerGone("connection closed by peer");
                return;
            }
            if (n == 0) {
                break;
            }
            if (!inPipe.isReaderClosed()) {
                inPipe.writeBatched(Arrays.copyOf(in.array(), n), 0);
            }
        }
        inPipe.flush();
    }

    private void pauseInput() {
        inPipe.flush();
        inputPaused = true;
        if (key.isValid()) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
        if (inPipe.hasRoom()) {
            inputWake.wake(); // the socket drained the pipe between our check and now
        }
    }

    /** The socket freed room in the inbound pipe while input was paused (any thread). */
    private void wakeInput() {
        if (resumeScheduled.compareAndSet(false, true)) {
            io.execute(resumeTask);
        }
    }

    private void resumeInput() {
        resumeScheduled.set(false);
        if (closed || !inputPaused) {
            return;
        }
        if (!inPipe.isReaderClosed() && !inPipe.hasRoom()) {
            return; // still full; hasRoom() re-armed the wake-up
        }
        inputPaused = false;
        if (key.isValid()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
        try {
            onReadable();
        } catch (IOException e) {
            peerGone("read failed: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ output

    /** The socket queued data while the engine was idle (any thread). */
    private void wakeOutput() {
        if (outputIdle.compareAndSet(true, false)) {
            io.execute(flushTask);
        }
    }

    private void flush() {
        while (!closed && !writeBlocked && outPipe != null) {
            try {
                if (!writeQueued()) {
                    return;
                }
            } catch (IOException e) {
                peerGone("write failed: " + e.getMessage());
                return;
            }
            // everything queued has been written
            if (outPipe.isDrainedAndClosed() && pendingOut == null) {
                close("closed by socket");
                return;
            }
            if (lingering && !outPipe.hasMessage() && pendingOut == null) {
                close("socket closed, queue delivered");
                return;
            }
            outputIdle.set(true);
            if (!outPipe.hasMessage() && !outPipe.isWriterClosed()) {
                return;
            }
            if (!outputIdle.compareAndSet(true, false)) {
                return; // a wake-up already scheduled a flush
            }
        }
    }

    /**
     * Writes queued frames until none is left or the channel is full.
     *
     * @return true when everything was written; false when blocked (OP_WRITE armed)
     */
    private boolean writeQueued() throws IOException {
        while (true) {
            fillOut();
            out.flip();
            boolean hasLarge = large != null;
            if (!out.hasRemaining() && !hasLarge) {
                out.clear();
                return true;
            }
            if (hasLarge) {
                gather[0] = out;
                gather[1] = large;
                channel.write(gather);
            } else {
                channel.write(out);
            }
            boolean done = !out.hasRemaining() && (!hasLarge || !large.hasRemaining());
            out.compact();
            if (!done) {
                writeBlocked = true;
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                return false;
            }
            large = null;
        }
    }

    /** Moves queued frames into {@code out} (fill mode) until it is full or a large frame is next. */
    private void fillOut() {
        while (large == null) {
            byte[] frame = pendingOut;
            pendingOut = null;
            if (frame == null) {
                frame = outPipe.read();
                if (frame == null) {
                    return;
                }
            }
            if (out.remaining() >= frame.length) {
                out.put(frame);
            } else if (frame.length >= LARGE) {
                large = ByteBuffer.wrap(frame);
            } else {
                pendingOut = frame;
                return;
            }
        }
    }

    // ------------------------------------------------------------------ close

    /** The remote side closed or failed: tell the socket with an empty frame, then close. */
    private void peerGone(String reason) {
        if (closed) {
            return;
        }
        notifySocket();
        close(reason);
    }

    @Override
    public void close(String reason) {
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
            // already closing
        }
        if (outPipe != null) {
            outPipe.setReaderWake(Wakeable.NONE);
        }
        if (inPipe != null) {
            inPipe.setWriterWake(Wakeable.NONE);
        }
        LOG.log(Level.DEBUG, () -> "raw connection " + peerAddress + " closed: " + reason);
        listener.engineClosed(this, reason, true);
    }
}
