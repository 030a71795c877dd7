package org.zmq4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a connection engine needs of its channel and of the thread that runs it, so that the
 * engine's logic runs the same on a selector ({@link SelectorIo}, production) and in memory with a
 * fake clock (the tests' embedded harness, no socket and no I/O thread).
 * <p>
 * Threads: everything runs on the engine's thread except {@link #execute}, {@link #inThread},
 * {@link #nanoTime} and the reads and writes of a direct write ({@link #write}), which a socket's
 * thread may call while it holds the engine's write flag.
 */
interface EngineIo {
    /**
     * Starts delivering readiness to {@code engine}: {@link ChannelEngine#onWritable()} and
     * {@link ChannelEngine#onReadable()}, failures to {@link ChannelEngine#onFailure}.
     *
     * @param engine the engine
     * @param read   whether to watch for input at once
     * @throws IOException when the channel cannot be registered (closed already)
     */
    void register(ChannelEngine engine, boolean read) throws IOException;

    /** Watches (or stops watching) for input; nothing once closed. */
    void readInterest(boolean on);

    /** Watches (or stops watching) for room to write; nothing once closed. */
    void writeInterest(boolean on);

    /** Reads what is available into {@code dst}: the count, 0 for nothing, -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes what the kernel takes of {@code src}. */
    int write(ByteBuffer src) throws IOException;

    /** Writes what the kernel takes of {@code srcs}, in order (a gathering write). */
    long write(ByteBuffer[] srcs) throws IOException;

    /**
     * The engine thread's read buffer, shared by every engine on it: an engine reads into it and
     * decodes all it can before returning (engine thread only).
     */
    ByteBuffer readBuffer();

    /** Lends the engine thread's write buffer for one write (engine thread only); give it back. */
    ByteBuffer lendWriteBuffer();

    /** Gives back what {@link #lendWriteBuffer()} lent. */
    void returnWriteBuffer(ByteBuffer buffer);

    /** Stops readiness and closes the channel. Idempotent. */
    void close();

    /** The peer's address as the transport reports it, for logs and events ("?" when unknown). */
    String peerAddress();

    /** The peer's IP address in libzmq's form, "" for ipc. */
    String ipAddress();

    /** Runs {@code task} on the engine's thread soon (any thread). */
    void execute(Runnable task);

    /** Runs {@code task} on the engine's thread after {@code delayMillis}; cancel with the timer. */
    Timer schedule(long delayMillis, Runnable task);

    /** Whether the caller is the engine's thread (any thread). */
    boolean inThread();

    /** The clock the engine's timing reads ({@link System#nanoTime()} in production). */
    long nanoTime();
}
