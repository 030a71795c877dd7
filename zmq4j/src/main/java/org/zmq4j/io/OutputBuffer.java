package org.zmq4j.io;

import java.nio.ByteBuffer;

/**
 * Which buffer a connection's outbound bytes go into, write by write. A write fills a buffer lent
 * for it (the I/O thread's, or a sending thread's own for a direct write); what the kernel did not
 * take when the write ends moves to an array of the connection's own, which goes out first next
 * time, after which the lent buffer takes over again, so batches stay as large as the lent buffer.
 * That array is reused while the connection is busy and dropped when its output goes idle: an idle
 * connection keeps no buffer. Used only by the holder of the engine's write flag.
 */
final class OutputBuffer {
    /** Smallest array kept for output the kernel did not take. */
    private static final int MIN_KEPT = 8 * 1024;

    /** Whether the buffer in use is the lent one. */
    private boolean lent;
    /** The buffer lent for the current write, also while the connection's own array is in use. */
    private ByteBuffer lendable;
    /** The connection's own array, kept while it is busy. */
    private ByteBuffer own;

    /**
     * A write starts.
     *
     * @param current the buffer holding unsent bytes from before, or null
     * @param lentNow the buffer lent for this write
     * @return the buffer to fill (fill mode)
     */
    ByteBuffer begin(ByteBuffer current, ByteBuffer lentNow) {
        lendable = lentNow;
        if (current != null) {
            return current;
        }
        lentNow.clear();
        lent = true;
        return lentNow;
    }

    /**
     * @param current the buffer in use
     * @return the lent buffer when {@code current} is the connection's own array and has gone out,
     *         else {@code current}
     */
    ByteBuffer drained(ByteBuffer current) {
        if (!lent && lendable != null && current != null && current.position() == 0) {
            lendable.clear();
            lent = true;
            return lendable;
        }
        return current;
    }

    /**
     * The write ends: the lent buffer goes back.
     *
     * @param current the buffer in use
     * @param closed  whether the connection is closed (it keeps nothing)
     * @return what the connection keeps: its own array with the unsent bytes, or null
     */
    ByteBuffer end(ByteBuffer current, boolean closed) {
        lendable = null;
        boolean wasLent = lent;
        lent = false;
        if (current == null || current.position() == 0 || closed) {
            return null;
        }
        if (!wasLent) {
            return current;
        }
        current.flip();
        if (own == null || own.capacity() < current.remaining()) {
            own = ByteBuffer.allocate(Math.max(MIN_KEPT, current.remaining()));
        }
        own.clear();
        own.put(current);
        return own;
    }

    /** Whether the buffer in use is the lent one (a direct write needs it). */
    boolean isLent() {
        return lent;
    }

    /** The output went idle: the connection's own array is dropped. */
    void idle() {
        own = null;
    }
}
