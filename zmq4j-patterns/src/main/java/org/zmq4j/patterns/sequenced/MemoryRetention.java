package org.zmq4j.patterns.sequenced;

import java.util.List;

/**
 * A {@link Retention} in memory: the last {@code maxMessages} messages, fewer when their bytes pass
 * {@code maxBytes}. Lost with the process (a restarted publisher starts a new epoch).
 *
 * <p>Thread-safe: one lock, held for one message at a time.
 */
public final class MemoryRetention implements Retention {
    private final Retained[] ring;
    private final long[] sizes;
    private final long maxBytes;
    private long first = 1;
    private long last;
    private long bytes;

    /**
     * @param maxMessages the most messages kept (at least 1)
     * @param maxBytes    the most payload bytes kept (topic and frames; at least one message is
     *                    always kept)
     */
    public MemoryRetention(int maxMessages, long maxBytes) {
        if (maxMessages < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("retention bounds must be positive: " + maxMessages + " messages, "
                    + maxBytes + " bytes");
        }
        ring = new Retained[maxMessages];
        sizes = new long[maxMessages];
        this.maxBytes = maxBytes;
    }

    @Override
    public synchronized void append(long sequence, byte[] topic, List<byte[]> frames) {
        if (last >= first && sequence != last + 1) {
            throw new IllegalArgumentException("retention holds up to " + last + "; cannot append " + sequence);
        }
        if (last < first) {
            first = sequence;
        }
        long size = topic.length;
        for (byte[] f : frames) {
            size += f.length;
        }
        int slot = slot(sequence);
        if (sequence - first >= ring.length) {
            dropOldest();
        }
        ring[slot] = new Retained(topic, frames);
        sizes[slot] = size;
        bytes += size;
        last = sequence;
        while (bytes > maxBytes && first < last) {
            dropOldest();
        }
    }

    private void dropOldest() {
        int s = slot(first);
        bytes -= sizes[s];
        ring[s] = null;
        sizes[s] = 0;
        first++;
    }

    private int slot(long sequence) {
        return (int) Long.remainderUnsigned(sequence, ring.length);
    }

    @Override
    public synchronized Retained get(long sequence) {
        return sequence < first || sequence > last ? null : ring[slot(sequence)];
    }

    @Override
    public synchronized long first() {
        return first;
    }

    @Override
    public synchronized long last() {
        return last;
    }

    /** The bytes kept now. */
    public synchronized long bytes() {
        return bytes;
    }
}
