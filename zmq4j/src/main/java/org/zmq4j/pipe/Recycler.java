package org.zmq4j.pipe;

/**
 * Frame arrays going back from a pipe's reader to its writer for reuse. The reader offers an
 * array once it has copied it out (the copying receive API) or written it to the network (an
 * engine); the writer takes one of the size it needs instead of allocating. In steady state with
 * fixed-size messages this makes the send+receive path allocate nothing.
 * <p>
 * An array taken with the wrong size is dropped (left to the GC) rather than kept, so a stream of
 * varying sizes degrades to plain allocation, never to a growing pool. A full ring drops offers,
 * so the ring is sized above the pipe's HWM: every array that can be in flight fits, and a stream
 * settles with enough spare arrays that the writer never finds the ring empty.
 */
final class Recycler {
    /** Smallest and largest ring. */
    static final int MIN_SIZE = 1024;
    static final int MAX_SIZE = 1 << 16;

    private final SpscRing<byte[]> ring;

    /**
     * A ring for a pipe with high-water mark {@code hwm} (0: unbounded).
     *
     * @param hwm the pipe's HWM in messages
     */
    Recycler(int hwm) {
        long want = hwm <= 0 ? MIN_SIZE : 2L * hwm + 256;
        int n = MIN_SIZE;
        while (n < want && n < MAX_SIZE) {
            n <<= 1;
        }
        ring = new SpscRing<>(n);
    }

    /**
     * Producer: hands an array back. Dropped when the ring is full.
     *
     * @param frame an array nobody else references any more
     */
    void offer(byte[] frame) {
        ring.offer(frame);
    }

    /**
     * Consumer: an array of exactly {@code size} bytes, or null (allocate one).
     *
     * @param size the length wanted
     * @return a recycled array whose contents are stale, or null
     */
    byte[] take(int size) {
        byte[] frame = ring.poll();
        return frame != null && frame.length == size ? frame : null;
    }
}
