package org.zmq4j.durable.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.zmq4j.durable.journal.Journal;

/**
 * A durable receiver's progress, kept in a {@link Journal}: one record per acknowledgement, in the
 * order the application gave them, each holding the sender's id, its epoch, the sequence, and the
 * application's checkpoint at that moment (so any prefix of the records is a consistent state: the
 * checkpoint never runs ahead of the progress). Every {@code compactEvery} records the whole state
 * is written again and the segments before it released.
 * <pre>
 *   id length (1; 0: a checkpoint alone) | id (UTF-8) | epoch (8) | sequence (8) | checkpoint length (4; -1: none) | checkpoint
 * </pre>
 *
 * <p>Thread-safety: not thread-safe; the receiver's loop thread owns it.
 */
final class ProgressLog {
    /** One sender's stored position. */
    record Position(long epoch, long seq) {
    }

    private final Journal journal;
    private final long compactEvery;
    private final Map<String, Position> appended = new HashMap<>();
    private byte[] checkpoint;
    private long sinceSnapshot;

    ProgressLog(Journal journal, long compactEvery) throws IOException {
        this.journal = journal;
        this.compactEvery = compactEvery;
        journal.replay(journal.firstIndex(), (index, record) -> apply(record));
    }

    private void apply(ByteBuffer r) {
        int idLen = r.get() & 0xff;
        byte[] id = new byte[idLen];
        r.get(id);
        long epoch = r.getLong();
        long seq = r.getLong();
        int ckLen = r.getInt();
        if (ckLen >= 0) {
            byte[] ck = new byte[ckLen];
            r.get(ck);
            checkpoint = ck;
        }
        if (idLen > 0) {
            appended.put(new String(id, StandardCharsets.UTF_8), new Position(epoch, seq));
        }
        sinceSnapshot++;
    }

    /** The positions recovered and appended since (a copy). */
    Map<String, Position> positions() {
        return new HashMap<>(appended);
    }

    /** The last checkpoint recovered or appended, or null. */
    byte[] checkpoint() {
        return checkpoint;
    }

    static ByteBuffer encode(String id, long epoch, long seq, byte[] checkpoint) {
        byte[] idBytes = id == null ? new byte[0] : id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + idBytes.length + 20 + (checkpoint == null ? 0 : checkpoint.length));
        b.put((byte) idBytes.length).put(idBytes).putLong(epoch).putLong(seq);
        b.putInt(checkpoint == null ? -1 : checkpoint.length);
        if (checkpoint != null) {
            b.put(checkpoint);
        }
        return b.flip();
    }

    /**
     * Appends records (built by {@link #encode}); returns the index of the last. Compacts first when due.
     */
    long append(ByteBuffer[] records, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            ByteBuffer r = records[i].duplicate();
            apply(r);
        }
        ByteBuffer[] batch = count == records.length ? records : java.util.Arrays.copyOf(records, count);
        long first = journal.appendAll(batch);
        if (sinceSnapshot >= compactEvery) {
            compact();
        }
        return first + count - 1;
    }

    private void compact() throws IOException {
        ByteBuffer[] all = new ByteBuffer[appended.size() + 1];
        int i = 0;
        for (var e : appended.entrySet()) {
            all[i++] = encode(e.getKey(), e.getValue().epoch(), e.getValue().seq(), null);
        }
        all[i] = encode(null, 0, 0, checkpoint);
        long first = journal.appendAll(all);
        journal.sync(); // the restated state is on disk before what it replaces goes
        journal.release(first);
        sinceSnapshot = all.length;
    }

    Journal journal() {
        return journal;
    }
}
