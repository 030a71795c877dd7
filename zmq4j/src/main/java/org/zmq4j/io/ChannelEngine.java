package org.zmq4j.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.zmq4j.pipe.Pipe;
import org.zmq4j.pipe.Wakeable;
import org.zmq4j.transport.TcpAddress;

/**
 * What every connection engine shares, whatever it speaks on the wire (ZMTP in {@link Engine}, raw
 * bytes in {@link RawEngine}): the channel and its 64 KiB buffers, the wake-ups exchanged with the
 * socket through the pipes, the write loop (fill one buffer, gathering write for large bodies,
 * OP_WRITE when the kernel is full), the idle protocol, LINGER, and releasing the channel.
 * <p>
 * Wake-ups: the socket's write to an idle engine's outbound pipe schedules one flush (the engine
 * marks itself idle only after re-checking the pipe); the socket's read from an inbound pipe the
 * engine found full schedules one resume. Everything else runs on the engine's I/O thread.
 */
abstract class ChannelEngine implements IoHandler, Connection {
    static final int BUFFER = 64 * 1024;
    /** Bodies at least this large are written from the message itself (no copy into the buffer). */
    static final int LARGE = 16 * 1024;
    static final int READS_PER_EVENT = 8;
    /**
     * Bytes one connection may read per readiness event, whatever the count of reads: the other
     * connections on the I/O thread get their turn after this much. Without the bound a connection
     * whose reader keeps up read 8 x 256 KiB (32 messages of 64 KiB) per turn while its neighbours
     * waited (PushPullTest.pullFairQueuesAmongFullPipes).
     */
    static final int READ_BYTES_PER_EVENT = 256 * 1024;

    private static final AtomicInteger CONNECTION_NUMBERS = new AtomicInteger();

    final IoThread io;
    final SocketChannel channel;
    final ConnectionListener listener;
    final String peerAddress;
    /** Inbound bytes; starts at {@link #BUFFER}, a ZMTP engine may grow it once (see Engine). */
    ByteBuffer in = ByteBuffer.allocate(BUFFER);
    final ByteBuffer out = ByteBuffer.allocate(BUFFER);
    final Wakeable outputWake = this::wakeOutput;
    final Wakeable inputWake = this::wakeInput;

    private final int connectionNumber = CONNECTION_NUMBERS.incrementAndGet();
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private final AtomicBoolean outputIdle = new AtomicBoolean();
    private final AtomicBoolean resumeScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flush;
    private final Runnable resumeTask = this::resume;

    SelectionKey key;
    Pipe inPipe;
    Pipe outPipe;
    /** A large body being written from its own array, after the header in {@link #out}. */
    ByteBuffer large;
    /** A frame that did not fit in {@link #out}; written first next time. */
    byte[] pendingOut;
    boolean inputPaused;
    boolean lingering;
    private boolean writeBlocked;
    private Timer lingerTimer;

    ChannelEngine(IoThread io, SocketChannel channel, ConnectionListener listener) {
        this.io = io;
        this.channel = channel;
        this.listener = listener;
        this.peerAddress = describe(channel);
    }

    // ------------------------------------------------------------------ what subclasses provide

    /** Whether the connection has been closed. */
    abstract boolean isClosed();

    /** The channel is readable. */
    abstract void onReadable() throws IOException;

    /** Moves what is queued into {@link #out} (fill mode), or sets {@link #large}, until full. */
    abstract void fillOut();

    /** The socket freed room in the inbound pipe after {@link #pauseInput()} (I/O thread). */
    abstract void resumeInput();

    /** Writing failed: the connection is gone. */
    abstract void writeFailed(String reason);

    /** Whether LINGER can apply now (there is something to deliver through). */
    abstract boolean canLinger();

    /** Whether application messages may be written now (ZMTP: after the handshake). */
    boolean outputReady() {
        return outPipe != null;
    }

    /** Everything queued has been written: a hook that may close the connection (returns true if so). */
    boolean afterWritten() {
        return false;
    }

    // ------------------------------------------------------------------ shared mechanics

    private static String describe(SocketChannel channel) {
        try {
            SocketAddress a = channel.getRemoteAddress();
            return a == null ? "?" : a.toString();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The peer's IP address in libzmq's form ("" for ipc). */
    String ipAddress() {
        try {
            SocketAddress a = channel.getRemoteAddress();
            if (a instanceof InetSocketAddress) {
                return TcpAddress.canonical(((InetSocketAddress) a).getAddress());
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

    /** The socket queued a message while the engine was idle (any thread). */
    private void wakeOutput() {
        // a plain read first: while the engine is busy this costs no atomic instruction per message
        if (outputIdle.get() && outputIdle.compareAndSet(true, false)) {
            io.execute(flushTask);
        }
    }

    /** The socket freed room in the inbound pipe while the engine was paused (any thread). */
    private void wakeInput() {
        if (resumeScheduled.compareAndSet(false, true)) {
            io.execute(resumeTask);
        }
    }

    private void resume() {
        resumeScheduled.set(false);
        resumeInput();
    }

    @Override
    public void onReady(SelectionKey k) throws IOException {
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            writeBlocked = false;
            k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
            flush();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !isClosed()) {
            onReadable();
        }
    }

    /**
     * Closes once everything queued is written, or at the deadline (I/O thread).
     *
     * @param lingerMillis -1 waits forever, 0 closes now
     */
    @Override
    public void closeWithLinger(int lingerMillis) {
        if (isClosed()) {
            return;
        }
        if (lingerMillis == 0 || !canLinger()) {
            close("socket closed");
            return;
        }
        lingering = true;
        if (lingerMillis > 0) {
            lingerTimer = io.schedule(lingerMillis, () -> close("LINGER expired with messages unsent"));
        }
        flush();
    }

    /** Stops reading the channel until the socket drains the inbound pipe (TCP back-pressure). */
    void pauseInput() {
        inPipe.flush();
        inputPaused = true;
        if (key != null && key.isValid()) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
        // the socket may have drained the pipe between our check and now
        if (inPipe.hasRoom()) {
            inputWake.wake();
        }
    }

    @Override
    public boolean hasUnsentOutput() {
        // out is in fill mode between writes: its position is what has not gone to the kernel
        return out.position() > 0 || large != null || pendingOut != null;
    }

    /** Writes what is queued, as long as the kernel takes it; then goes idle (I/O thread). */
    final void flush() {
        while (!isClosed() && !writeBlocked) {
            try {
                if (!writeQueued()) {
                    return;
                }
            } catch (IOException e) {
                writeFailed("write failed: " + e.getMessage());
                return;
            }
            // everything queued has been written
            if (afterWritten()) {
                return;
            }
            if (outPipe != null && outPipe.isDrainedAndClosed() && pendingOut == null) {
                close("closed by socket");
                return;
            }
            if (lingering && (outPipe == null || !outPipe.hasMessage()) && pendingOut == null) {
                close("socket closed, queue delivered");
                return;
            }
            if (!outputReady()) {
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

    /** @return false when the kernel is full (OP_WRITE armed), true when everything went out */
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
            if (hasLarge) {
                largeWritten(large);
            }
            large = null;
        }
    }

    /** A {@link #large} body has been written completely (its array may be reused). */
    void largeWritten(ByteBuffer body) {
    }

    /** Closes the channel and stops serving the pipes (part of every close). */
    final void releaseChannel() {
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
    }
}
