package org.zmq4j.patterns.sequenced;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Retention} in memory: the last {@code maxMessages} messages, fewer when their bytes pass
 * {@code maxBytes}. Lost with the process (a restarted publisher starts a new epoch).
 * <p>
 * The messages are copied into one byte ring allocated up front (and a ring of their offsets), not
 * kept as objects: a retention of a million messages costs the garbage collector nothing, where a
 * million retained objects would be copied by every young collection until they reach the old
 * generation. A message is copied out again only when it is replayed. Record layout: topic length
 * (4 bytes), frame count (4), then each frame's length (4) and bytes; a record never wraps (the
 * space left at the ring's end is skipped).
 *
 * <p>Thread-safe: one lock, held for one message at a time.
 */
public final class MemoryRetention implements Retention {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] ring;
    private final long[] offsets;
    private final int[] sizes;
    private long first = 1;
    private long last;
    private long head;
    private long tail;

    /**
     * @param maxMessages the most messages kept (at least 1)
     * @param maxBytes    the ring's size: the most bytes kept (topic, frames and 4 bytes per
     *                    length), at most 1 GiB; allocated now. A message larger than the ring is
     *                    not kept (a subscriber asking for it hears it is gone).
     */
    public MemoryRetention(int maxMessages, long maxBytes) {
        if (maxMessages < 1 || maxBytes < 1 || maxBytes > (1L << 30)) {
            throw new IllegalArgumentException("retention bounds: 1 message or more, 1 byte to 1 GiB; not " + maxMessages
                    + " messages, " + maxBytes + " bytes");
        }
        ring = new byte[(int) maxBytes];
        offsets = new long[maxMessages];
        sizes = new int[maxMessages];
    }

    @Override
    public synchronized void append(long sequence, byte[] topic, List<byte[]> frames) {
        if (last >= first && sequence != last + 1) {
            throw new IllegalArgumentException("retention holds up to " + last + "; cannot append " + sequence);
        }
        long size = 8L + topic.length;
        for (byte[] f : frames) {
            size += 4L + f.length;
        }
        if (last < first) {
            first = sequence; // empty: start here
        }
        last = sequence;
        if (size > ring.length) {
            first = sequence + 1; // nothing older can stay in front of a hole; this one does not fit
            tail = head;
            return;
        }
        long start = head;
        int pos = (int) (start % ring.length);
        if (pos + size > ring.length) {
            start += ring.length - pos; // never wrap a record
            pos = 0;
        }
        while (first < sequence && (start + size - tail > ring.length || sequence - first >= offsets.length)) {
            first++;
            tail = offsets[slot(first)];
        }
        if (first == sequence) {
            tail = start;
        }
        putInt(ring, pos, topic.length);
        putInt(ring, pos + 4, frames.size());
        System.arraycopy(topic, 0, ring, pos + 8, topic.length);
        int at = pos + 8 + topic.length;
        for (byte[] f : frames) {
            putInt(ring, at, f.length);
            System.arraycopy(f, 0, ring, at + 4, f.length);
            at += 4 + f.length;
        }
        offsets[slot(sequence)] = start;
        sizes[slot(sequence)] = (int) size;
        head = start + size;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private int slot(long sequence) {
        return (int) Long.remainderUnsigned(sequence, offsets.length);
    }

    @Override
    public synchronized Retained get(long sequence) {
        if (sequence < first || sequence > last) {
            return null;
        }
        int pos = (int) (offsets[slot(sequence)] % ring.length);
        int topicLength = (int) INT.get(ring, pos);
        int count = (int) INT.get(ring, pos + 4);
        byte[] topic = new byte[topicLength];
        System.arraycopy(ring, pos + 8, topic, 0, topicLength);
        List<byte[]> frames = new ArrayList<>(count);
        int at = pos + 8 + topicLength;
        for (int i = 0; i < count; i++) {
            byte[] f = new byte[(int) INT.get(ring, at)];
            System.arraycopy(ring, at + 4, f, 0, f.length);
            frames.add(f);
            at += 4 + f.length;
        }
        return new Retained(topic, frames);
    }

    @Override
    public synchronized long first() {
        return first;
    }

    @Override
    public synchronized long last() {
        return last;
    }

    /** The bytes kept now (records and the skipped ends between them). */
    public synchronized long bytes() {
        return last < first ? 0 : head - tail;
    }
}
