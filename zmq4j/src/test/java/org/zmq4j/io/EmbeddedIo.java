package org.zmq4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EngineIo} in memory, in the spirit of Netty's {@code EmbeddedChannel}: the test feeds
 * the bytes the peer sends ({@link #feed}), reads what the engine wrote ({@link #takeWritten}),
 * and moves a fake clock ({@link #advance}) that fires the engine's timers. No socket, no I/O
 * thread: everything runs on the test's thread, one step at a time.
 */
final class EmbeddedIo implements EngineIo {
    private final ArrayDeque<ByteBuffer> inbound = new ArrayDeque<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(IoThread.READ_BUFFER);
    private ChannelEngine engine;
    private boolean readInterest;
    private boolean writeInterest;
    private boolean endOfStream;
    private boolean closed;
    private long now = TimeUnit.SECONDS.toNanos(1);
    /** Bytes the "kernel" takes per write call; lower it to force partial writes and OP_WRITE. */
    private int writeRoom = Integer.MAX_VALUE;

    // ------------------------------------------------------------------ EngineIo

    @Override
    public void register(ChannelEngine engine, boolean read) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        this.engine = engine;
        this.readInterest = read;
    }

    @Override
    public void readInterest(boolean on) {
        if (!closed) {
            readInterest = on;
        }
    }

    @Override
    public void writeInterest(boolean on) {
        if (!closed) {
            writeInterest = on;
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new IOException("channel closed");
        }
        int n = 0;
        while (dst.hasRemaining() && !inbound.isEmpty()) {
            ByteBuffer b = inbound.peek();
            int k = Math.min(b.remaining(), dst.remaining());
            ByteBuffer slice = b.duplicate();
            slice.limit(slice.position() + k);
            dst.put(slice);
            b.position(b.position() + k);
            n += k;
            if (!b.hasRemaining()) {
                inbound.poll();
            }
        }
        return n == 0 && endOfStream ? -1 : n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new IOException("channel closed");
        }
        int k = Math.min(src.remaining(), writeRoom);
        byte[] b = new byte[k];
        src.get(b);
        written.writeBytes(b);
        if (writeRoom != Integer.MAX_VALUE) {
            writeRoom -= k;
        }
        return k;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        long n = 0;
        for (ByteBuffer b : srcs) {
            n += write(b);
            if (b.hasRemaining()) {
                break;
            }
        }
        return n;
    }

    @Override
    public ByteBuffer readBuffer() {
        return readBuffer;
    }

    @Override
    public ByteBuffer lendWriteBuffer() {
        return ByteBuffer.allocate(ChannelEngine.BUFFER);
    }

    @Override
    public void returnWriteBuffer(ByteBuffer buffer) {
    }

    @Override
    public void close() {
        closed = true;
        readInterest = false;
        writeInterest = false;
    }

    @Override
    public String peerAddress() {
        return "embedded";
    }

    @Override
    public String ipAddress() {
        return "127.0.0.1";
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        Timer t = new Timer(now + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), task);
        timers.add(t);
        return t;
    }

    @Override
    public boolean inThread() {
        return true;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    // ------------------------------------------------------------------ driving it

    /** The peer sends {@code bytes}: the engine reads them if it is reading, then queued tasks run. */
    void feed(byte[] bytes) {
        inbound.add(ByteBuffer.wrap(bytes.clone()));
        pump();
    }

    /** The peer sends {@code bytes} one at a time, each read separately (split at every offset). */
    void feedByteByByte(byte[] bytes) {
        for (byte b : bytes) {
            feed(new byte[] {b});
        }
    }

    /** The peer closes its end. */
    void endOfStream() {
        endOfStream = true;
        pump();
    }

    /** Lets the engine read what is pending, then runs the queued tasks. */
    void pump() {
        for (int round = 0; round < 1000; round++) {
            boolean progress = false;
            if (readInterest && !closed && (!inbound.isEmpty() || endOfStream)) {
                try {
                    engine.onReadable();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                progress = true;
            }
            if (writeInterest && !closed && writeRoom > 0) {
                engine.onWritable();
                progress = true;
            }
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
                progress = true;
            }
            if (!progress || inbound.isEmpty() && !endOfStream && tasks.isEmpty() && !(writeInterest && writeRoom > 0)) {
                return;
            }
        }
        throw new AssertionError("the engine kept working after 1000 rounds");
    }

    /** Moves the fake clock on, firing the timers that come due, in order. */
    void advance(long millis) {
        long until = now + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!timers.isEmpty() && timers.peek().deadline - until <= 0) {
            Timer t = timers.poll();
            now = Math.max(now, t.deadline);
            if (!t.isCancelled()) {
                t.task.run();
                pump();
            }
        }
        now = until;
        pump();
    }

    /** What the engine wrote since the last call. */
    byte[] takeWritten() {
        byte[] b = written.toByteArray();
        written.reset();
        return b;
    }

    /** Limits what the next writes may take (null: unlimited), then lets the engine continue. */
    void writeRoom(Integer bytes) {
        writeRoom = bytes == null ? Integer.MAX_VALUE : bytes;
        pump();
    }

    boolean isClosed() {
        return closed;
    }

    boolean isReading() {
        return readInterest;
    }

    boolean isWaitingToWrite() {
        return writeInterest;
    }
}
