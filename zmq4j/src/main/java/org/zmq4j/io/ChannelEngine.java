package org.zmq4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.zmq4j.pipe.Pipe;
import org.zmq4j.pipe.Wakeable;

/**
 * What every connection engine shares, whatever it speaks on the wire (ZMTP in {@link Engine}, raw
 * bytes in {@link RawEngine}): the wake-ups exchanged with the socket through the pipes, the write
 * loop (fill one buffer, gathering write for large bodies, OP_WRITE when the kernel is full), the
 * idle protocol, LINGER, and releasing the channel.
 * <p>
 * Buffers: none while idle. A connection reads into its I/O thread's read buffer, keeping only
 * what it could not decode at RCVHWM ({@link #carryRest}), and writes from a lent buffer, keeping
 * only what the kernel did not take ({@link OutputBuffer}).
 * <p>
 * Wake-ups: the socket's write to an idle engine's outbound pipe schedules one flush (the engine
 * marks itself idle only after re-checking the pipe); the socket's read from an inbound pipe the
 * engine found full schedules one resume. Everything else runs on the engine's I/O thread.
 */
abstract class ChannelEngine implements Connection {
    /** Size of a write buffer: as many queued frames as fit go out in one write. */
    static final int BUFFER = 64 * 1024;
    /** A sending thread's buffer for direct writes: bodies under 16 KiB fit; more goes to the I/O thread. */
    private static final int SENDER_BUFFER = 32 * 1024;
    static final int READS_PER_EVENT = 8;
    /**
     * Bytes one connection may read per readiness event: then the other connections on the I/O
     * thread get their turn (PushPullTest.pullFairQueuesAmongFullPipes).
     */
    static final int READ_BYTES_PER_EVENT = 256 * 1024;

    private static final AtomicInteger CONNECTION_NUMBERS = new AtomicInteger();
    /** Bytes in and out for the metrics, on cache lines of their own. */
    private final TrafficCounters traffic;

    /** The channel and the thread that runs this engine (a selector in production, memory in tests). */
    final EngineIo io;
    final EngineContext context;
    /** See {@link #sparse()}; -1 when direct writes are off. */
    private final long directWriteIdleNanos;
    final ConnectionListener listener;
    final String peerAddress;
    /**
     * Outbound bytes (fill mode) while a write is under way (a lent buffer), or the connection's own
     * array while the kernel has not taken them; null otherwise. Belongs to the {@link #writing}
     * flag's holder.
     */
    ByteBuffer out;
    /** Which buffer {@link #out} is, write by write. */
    private final OutputBuffer output = new OutputBuffer();
    /** Input read but not decoded yet because the socket's pipe was full (read mode), or null. */
    private ByteBuffer carried;
    final Wakeable outputWake = this::wakeOutput;
    final Wakeable inputWake = this::wakeInput;

    private final int connectionNumber = CONNECTION_NUMBERS.incrementAndGet();
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private final AtomicBoolean outputIdle = new AtomicBoolean();
    /**
     * Held by whichever thread runs the write loop: the I/O thread, or a socket's thread writing
     * to an idle connection itself (see {@link #writeDirect()}). Everything the write loop touches
     * ({@link #out}, {@link #large}, {@link #pendingOut}, the outbound pipe's reader side) is
     * handed between the two by this flag's volatile writes and compare-and-sets.
     */
    private final AtomicBoolean writing = new AtomicBoolean();
    /** The I/O thread wanted to flush while a socket's thread was writing: that thread reschedules it. */
    private volatile boolean flushAgain;
    /** The I/O thread holds {@link #writing} (it is inside {@link #flush()}); I/O thread only. */
    private boolean ioWriting;
    /** When the output last went idle ({@link System#nanoTime()}); published by {@link #outputIdle}. */
    private long idleSince;
    private final AtomicBoolean resumeScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flush;
    private final Runnable resumeTask = this::resume;

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

    ChannelEngine(EngineIo io, EngineContext context, ConnectionListener listener) {
        this.io = io;
        this.context = context;
        this.directWriteIdleNanos = context.directWriteIdleNanos();
        this.listener = listener;
        this.peerAddress = io.peerAddress();
        this.traffic = new TrafficCounters(io.nanoTime());
    }

    /** {@code n} bytes were read (I/O thread; after every read that returned some). */
    final void countIn(int n) {
        traffic.read(n);
    }

    /** The channel is readable: the time of the connection's last input, once per event (I/O thread). */
    final void inputEvent(long now) {
        traffic.readAt(now);
    }

    @Override
    public long bytesIn() {
        return traffic.bytesIn();
    }

    @Override
    public long bytesOut() {
        return traffic.bytesOut();
    }

    /**
     * The later of the last input event and the output's last going idle; now while output is being
     * written (the output is not idle and the kernel is taking it).
     */
    @Override
    public long lastActivityNanos() {
        if (!outputIdle.get() && !writeBlocked && !isClosed()) {
            return io.nanoTime();
        }
        return traffic.lastActivity();
    }

    // ------------------------------------------------------------------ what subclasses provide

    /** Whether the connection has been closed. */
    abstract boolean isClosed();

    /** The channel is readable. */
    abstract void onReadable() throws IOException;

    /** An exception escaped a readiness call: release the channel. Never rethrows. */
    abstract void onFailure(Throwable cause);

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

    /** The I/O thread's read buffer, cleared (fill mode): read into it and decode it at once. */
    final ByteBuffer readBuffer() {
        ByteBuffer b = io.readBuffer();
        b.clear();
        return b;
    }

    /**
     * After decoding {@code in} (read mode): keeps what the engine could not take (input paused at
     * RCVHWM) in an array of its own, since the read buffer is about to serve other connections.
     */
    final void carryRest(ByteBuffer in) {
        if (in.hasRemaining() && in != carried) {
            ByteBuffer keep = ByteBuffer.allocate(in.remaining());
            keep.put(in).flip();
            carried = keep;
        } else if (!in.hasRemaining()) {
            carried = null;
        }
    }

    /** Input carried over from before a pause (read mode), or null: decode it before reading more. */
    final ByteBuffer carried() {
        return carried;
    }

    /** The peer's IP address in libzmq's form ("" for ipc). */
    String ipAddress() {
        return io.ipAddress();
    }

    @Override
    public int connectionNumber() {
        return connectionNumber;
    }

    @Override
    public String peerAddress() {
        return peerAddress;
    }

    /**
     * Whether a socket's thread may write straight to the channel (ZMTP, handshake done, nothing
     * else pending; see {@link #writeDirect()}). Read by the socket's thread while it holds
     * {@link #writing}.
     */
    boolean directWriteAllowed() {
        return false;
    }

    /** The socket queued a message while the engine was idle (any thread). */
    private void wakeOutput() {
        // a plain read first: while the engine is busy this costs no atomic instruction per message
        if (outputIdle.get() && outputIdle.compareAndSet(true, false)) {
            if (directWriteIdleNanos >= 0 && !io.inThread()) {
                Sender sender = SENDER.get();
                if (sparse(sender) && writeDirect(sender)) {
                    return;
                }
            }
            io.execute(flushTask);
        }
    }

    /** What a sending (socket) thread keeps for the connections it wakes: one per thread. */
    private static final class Sender {
        /** When this thread last woke an idle connection (see {@link #sparse}). */
        long lastWake;
        /** This thread's write buffer for direct writes, made on its first one. */
        ByteBuffer buffer;
    }

    private static final ThreadLocal<Sender> SENDER = ThreadLocal.withInitial(Sender::new);

    /**
     * Whether the message that woke this idle connection is sparse traffic, worth a direct write:
     * the connection has been idle for the configured time (20 µs by default), and so has the
     * calling thread as far as waking connections goes; else one thread serving many connections
     * would make a system call per message (figures: docs/performance.md, "Direct writes").
     */
    private boolean sparse(Sender sender) {
        long now = io.nanoTime();
        boolean sparse = now - sender.lastWake >= directWriteIdleNanos && now - idleSince >= directWriteIdleNanos;
        sender.lastWake = now;
        return sparse;
    }

    /**
     * The socket's thread writes what it just queued to an idle connection itself: one write of
     * at most one buffer, with a non-blocking channel, so it never waits for the peer (a
     * non-blocking channel is not closed by an interrupt either). Whatever that write leaves
     * (the kernel was full, more was queued, a command is pending, an error) goes to the I/O
     * thread, which owns everything else: OP_WRITE, LINGER, closing.
     *
     * @return true when the output is taken care of, false when the caller must schedule a flush
     */
    private boolean writeDirect(Sender sender) {
        if (!writing.compareAndSet(false, true)) {
            return false; // the I/O thread is writing: it re-checks the pipe when it goes idle
        }
        boolean handOver;
        if (sender.buffer == null) {
            sender.buffer = ByteBuffer.allocate(SENDER_BUFFER);
        }
        out = output.begin(out, sender.buffer);
        try {
            if (directWriteAllowed() && writeOnce()) {
                // idle again; the pipe is re-checked under the flag, as only its holder may read it
                idleSince = io.nanoTime();
                traffic.wroteAt(idleSince);
                outputIdle.set(true);
                handOver = (outPipe.hasMessage() || outPipe.isWriterClosed()) && outputIdle.compareAndSet(true, false);
            } else {
                handOver = true; // outputIdle stays false: the I/O thread finishes the job
            }
        } catch (IOException | RuntimeException e) {
            handOver = true; // the I/O thread's flush meets the failure again and closes
        } finally {
            out = output.end(out, isClosed());
            writing.set(false);
        }
        if (handOver || flushAgain) {
            io.execute(flushTask);
        }
        return true;
    }

    /** One write of what is queued, for {@link #writeDirect()}; true when everything went out. */
    private boolean writeOnce() throws IOException {
        if (writeBlocked || !output.isLent() || out.position() > 0 || large != null || pendingOut != null) {
            return false;
        }
        fillOut();
        if (large != null || pendingOut != null) {
            // a body of 16 KiB or more: writing it takes long enough that the wake-up saved
            // matters little, and from the I/O thread it overlaps with the application making
            // its next message
            return false;
        }
        if (out.position() > 0) {
            context.statistics().directWrite();
            if (!writeOut()) {
                context.statistics().directWriteCutShort();
                return false;
            }
        }
        return !outPipe.hasMessage() && !outPipe.isWriterClosed();
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

    /** The kernel has room again after a write it did not take whole (I/O thread). */
    final void onWritable() {
        writeBlocked = false;
        io.writeInterest(false);
        flush();
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
        io.readInterest(false);
        // the socket may have drained the pipe between our check and now
        if (inPipe.hasRoom()) {
            inputWake.wake();
        }
    }

    @Override
    public boolean hasUnsentOutput(Pipe queue) {
        boolean held = !ioWriting && acquireWriting();
        try {
            // out is in fill mode between writes: its position is what has not gone to the kernel
            return out != null && out.position() > 0 || large != null || pendingOut != null || queue != null && queue.hasMessage();
        } finally {
            if (held) {
                writing.set(false);
            }
        }
    }

    /**
     * Takes {@link #writing}, waiting out a socket's direct write (a few microseconds at most:
     * the write does not block). I/O thread, outside {@link #flush()}.
     *
     * @return true, once taken
     */
    private boolean acquireWriting() {
        while (!writing.compareAndSet(false, true)) {
            Thread.yield();
        }
        return true;
    }

    /**
     * Writes what is queued, as long as the kernel takes it; then goes idle (I/O thread). When a
     * socket's thread is writing at that moment, that thread schedules this again once it is done.
     */
    final void flush() {
        if (!writing.compareAndSet(false, true)) {
            flushAgain = true;
            // the writer may have finished between our attempt and the flag: then we write ourselves
            if (!writing.compareAndSet(false, true)) {
                return;
            }
        }
        flushAgain = false;
        ioWriting = true;
        ByteBuffer lent = io.lendWriteBuffer();
        out = output.begin(out, lent);
        try {
            flushLocked();
        } finally {
            out = output.end(out, isClosed());
            io.returnWriteBuffer(lent);
            ioWriting = false;
            writing.set(false);
        }
    }

    private void flushLocked() {
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
            if (!outputIdle.get()) {
                idleSince = io.nanoTime(); // busy until now (a flush of an idle output changes nothing)
                traffic.wroteAt(idleSince);
                output.idle(); // an idle connection keeps no buffer
                outputIdle.set(true);
            }
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
            out = output.drained(out);
            fillOut();
            if (out.position() == 0 && large == null) {
                return true;
            }
            boolean hasLarge = large != null;
            if (!writeOut()) {
                writeBlocked = true;
                io.writeInterest(true);
                return false;
            }
            if (hasLarge) {
                largeWritten(large);
            }
            large = null;
        }
    }

    /**
     * One write of what {@link #out} (fill mode) holds, with {@link #large} after it in a
     * gathering write; {@code out} is back in fill mode afterwards, keeping what the kernel did
     * not take, even when the write throws.
     *
     * @return true when everything went out
     */
    private boolean writeOut() throws IOException {
        out.flip();
        try {
            if (large == null) {
                countOut(io.write(out));
                return !out.hasRemaining();
            }
            gather[0] = out;
            gather[1] = large;
            countOut(io.write(gather));
            return !out.hasRemaining() && !large.hasRemaining();
        } finally {
            out.compact();
        }
    }

    private void countOut(long n) {
        if (n > 0) {
            traffic.wrote(n);
        }
    }

    /** A {@link #large} body has been written completely (its array may be reused). */
    void largeWritten(ByteBuffer body) {
    }

    /**
     * Waits until no socket's thread is in a direct write. Closing calls it once the engine is
     * marked closed, so from then on the outbound pipe's reader side belongs to the I/O thread
     * alone, which may hand the pipe to the next connection: a direct write that starts later
     * sees the engine closed and hands over.
     */
    private void awaitDirectWriter() {
        if (!ioWriting && acquireWriting()) { // unless closing from inside our own flush
            writing.set(false);
        }
    }

    /** Closes the channel and stops serving the pipes (part of every close, after marking it closed). */
    final void releaseChannel() {
        awaitDirectWriter();
        if (lingerTimer != null) {
            lingerTimer.cancel();
        }
        io.close();
        if (outPipe != null) {
            outPipe.setReaderWake(Wakeable.NONE);
        }
        if (inPipe != null) {
            inPipe.setWriterWake(Wakeable.NONE);
        }
    }
}
