package org.zmq4j.patterns.sequenced;

import java.util.List;

/**
 * Where a {@link SequencedPublisher} keeps its recent past for replay: the messages of one epoch,
 * by sequence number, the oldest dropped first when a bound is reached. {@link MemoryRetention}
 * keeps them in memory; a durable one (a journal) keeps them across restarts, and then the
 * publisher keeps its epoch and sequence too.
 *
 * <p>Thread-safety: implementations are thread-safe; {@link #append} is called by the publishing
 * thread only, the readers by the replay thread.
 */
public interface Retention extends AutoCloseable {
    /** A retained message: its topic and its frames after the topic (the header, then the payload). */
    record Retained(byte[] topic, List<byte[]> frames) {
    }

    /** Keeps message {@code sequence} (one more than the last kept, or any number when empty). */
    void append(long sequence, byte[] topic, List<byte[]> frames);

    /** The message {@code sequence}, or null when it is not (or no longer) kept. */
    Retained get(long sequence);

    /** The oldest sequence number kept; more than {@link #last()} when nothing is. */
    long first();

    /** The newest sequence number kept, 0 when nothing ever was. */
    long last();

    /** The epoch this retention belongs to, or 0 when it has none of its own (memory). */
    default long epoch() {
        return 0;
    }

    @Override
    default void close() {
    }
}
