package org.zmq4j.durable.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.zmq4j.durable.journal.FileJournal;
import org.zmq4j.durable.journal.JournalConfig;
import org.zmq4j.patterns.sequenced.Retention;

/**
 * A {@link Retention} in a {@link FileJournal}: a {@link org.zmq4j.patterns.sequenced.SequencedPublisher}
 * that uses it keeps its epoch (the journal's id) and its sequence numbers across restarts and
 * crashes, so its subscribers replay what they missed while it was down instead of seeing a new
 * epoch. Message {@code n} is the journal's record {@code n - 1}. What each {@code fsync} policy survives
 * is the journal's ({@link org.zmq4j.durable.journal.FsyncPolicy}); the publisher sends a message
 * after its append returns. The oldest whole segments are released once more than
 * {@code maxMessages} are kept.
 * <pre>{@code
 * SequencedPublisher pub = SequencedPublisher.builder("orders")
 *         .retention(JournalRetention.open(Path.of("/var/lib/orders"), JournalConfig.builder().build(), 10_000_000))
 *         .bind(ctx, "tcp://*:5556", "tcp://*:5557");
 * }</pre>
 * Record format: topic length (4 bytes), topic, frame count (4), then per frame its length (4) and
 * bytes; big-endian.
 *
 * <p>Thread-safe (the journal is); an I/O error surfaces as an {@link UncheckedIOException} from
 * the call that met it.
 */
public final class JournalRetention implements Retention {
    private final FileJournal journal;
    private final long maxMessages;

    private JournalRetention(FileJournal journal, long maxMessages) {
        this.journal = journal;
        this.maxMessages = maxMessages;
    }

    /**
     * Opens (or creates) the journal in {@code dir}, recovering it after a crash.
     *
     * @param maxMessages how many messages to keep at least (whole segments beyond are released)
     */
    public static JournalRetention open(Path dir, JournalConfig config, long maxMessages) throws IOException {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be positive, not " + maxMessages);
        }
        return new JournalRetention(FileJournal.open(dir, config), maxMessages);
    }

    /** The journal (for its recovery report and durable index). */
    public FileJournal journal() {
        return journal;
    }

    @Override
    public void append(long sequence, byte[] topic, List<byte[]> frames) {
        if (sequence != journal.nextIndex() + 1) {
            throw new IllegalArgumentException("journal " + journal.directory() + " takes message " + (journal.nextIndex() + 1)
                    + " next, not " + sequence);
        }
        int size = 8 + topic.length;
        for (byte[] f : frames) {
            size += 4 + f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(topic.length).put(topic).putInt(frames.size());
        for (byte[] f : frames) {
            b.putInt(f.length).put(f);
        }
        b.flip();
        try {
            journal.append(b);
            if (sequence - first() + 1 > maxMessages) {
                journal.release(sequence - maxMessages); // the index of message sequence - maxMessages + 1
            }
        } catch (IOException e) {
            throw new UncheckedIOException("appending message " + sequence + " to " + journal.directory(), e);
        }
    }

    @Override
    public Retained get(long sequence) {
        if (sequence < first() || sequence > last()) {
            return null;
        }
        byte[] record;
        try {
            record = journal.read(sequence - 1);
        } catch (IllegalArgumentException released) {
            return null; // released meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException("reading message " + sequence + " from " + journal.directory(), e);
        }
        ByteBuffer b = ByteBuffer.wrap(record);
        byte[] topic = new byte[b.getInt()];
        b.get(topic);
        int n = b.getInt();
        List<byte[]> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] f = new byte[b.getInt()];
            b.get(f);
            frames.add(f);
        }
        return new Retained(topic, frames);
    }

    @Override
    public long first() {
        return journal.firstIndex() + 1;
    }

    @Override
    public long last() {
        return journal.nextIndex();
    }

    @Override
    public long epoch() {
        return journal.journalId();
    }

    @Override
    public void close() {
        try {
            journal.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + journal.directory(), e);
        }
    }
}
