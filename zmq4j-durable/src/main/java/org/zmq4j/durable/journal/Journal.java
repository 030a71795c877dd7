package org.zmq4j.durable.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * An append-only log of records, each numbered by a dense 64-bit index (the first record ever
 * appended is 0, indices continue across restarts), the store behind durable delivery and Titanic.
 * {@link FileJournal} is the implementation; another store (a replicated log, a database) can stand
 * in by implementing this interface.
 *
 * <p>Durability: a record is <em>durable</em> once its index is below {@link #durableIndex()}: under
 * the journal's {@link FsyncPolicy} it then survives what the policy promises. Whole prefixes are
 * released with {@link #release(long)} once their owner no longer needs them.
 *
 * <p>Thread-safety: implementations are thread-safe; appends are totally ordered.
 */
public interface Journal extends AutoCloseable {
    /** What {@link #replay} hands each record to. */
    @FunctionalInterface
    interface RecordHandler {
        /** @param record the record's bytes, valid during the call only */
        void accept(long index, ByteBuffer record) throws IOException;
    }

    /**
     * Appends one record and returns its index. Under {@link FsyncPolicy#always()} the record is
     * durable when this returns; under the others it has reached the OS (a process crash cannot lose it).
     *
     * @throws IllegalArgumentException when the record is larger than the journal accepts
     * @throws IOException when the file system refuses (the journal is then failed and closed for appends)
     */
    long append(ByteBuffer record) throws IOException;

    /** {@link #append(ByteBuffer)} of an array. */
    default long append(byte[] record) throws IOException {
        return append(ByteBuffer.wrap(record));
    }

    /** Appends records as one write (and under {@code always} one fdatasync); returns the first's index. */
    long appendAll(ByteBuffer... records) throws IOException;

    /** The index the next append gets: one above the last record's. */
    long nextIndex();

    /** The lowest index still stored (records below it were released, or never existed). */
    long firstIndex();

    /** Every record below this index is durable under the policy ({@link #nextIndex()} when all are). */
    long durableIndex();

    /** Makes everything appended so far durable now (fdatasync), whatever the policy. */
    void sync() throws IOException;

    /**
     * Waits until {@code index} is durable (under {@code group} the background sync gets there within
     * the policy's delay plus one fdatasync).
     *
     * @return false when {@code timeout} passed first
     */
    boolean awaitDurable(long index, Duration timeout) throws InterruptedException, IOException;

    /**
     * Calls {@code listener} with the new {@link #durableIndex()} each time it advances (from the
     * thread that made the records durable: keep it short, never block in it).
     */
    void onDurable(LongConsumer listener);

    /** Reads one record (a copy). @throws IllegalArgumentException when {@code index} is not stored */
    byte[] read(long index) throws IOException;

    /** Hands every record from {@code fromIndex} (at least {@link #firstIndex()}) up to the last one, in order. */
    void replay(long fromIndex, RecordHandler handler) throws IOException;

    /**
     * Declares every record below {@code index} unneeded: whole segments made only of them are
     * deleted (and the directory synced). Records may stay readable until their segment goes.
     */
    void release(long index) throws IOException;

    /** A random id fixed when the journal was created: a new journal in the same place gets another. */
    long journalId();

    /** Syncs what is appended and closes. Idempotent. */
    @Override
    void close() throws IOException;
}
