package org.zmq4j.pipe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer/single-consumer ring of references with release/acquire ordering and
 * cached indexes, so neither side touches a shared cache line on most calls. Used to hand objects
 * back from a pipe's reader to its writer for reuse (drained chunks, frame arrays).
 *
 * @param <T> the element type
 */
final class SpscRing<T> {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(SpscRing.class, "head", long.class);
            TAIL = l.findVarHandle(SpscRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int size;
    private final int mask;
    private final Object[] ring;
    /** Next slot to take (consumer-owned; read by the producer). */
    @SuppressWarnings("unused")
    private long head;
    /** Next slot to fill (producer-owned; read by the consumer). */
    @SuppressWarnings("unused")
    private long tail;
    /** Producer's cached view of head. */
    private long headSeen;
    /** Consumer's cached view of tail. */
    private long tailSeen;

    /** @param capacity a power of two */
    SpscRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        size = capacity;
        mask = capacity - 1;
        ring = new Object[capacity];
    }

    /**
     * Producer: adds {@code item}, or drops it when the ring is full.
     *
     * @param item the element
     * @return false when dropped
     */
    boolean offer(T item) {
        long t = (long) TAIL.getOpaque(this);
        if (t - headSeen >= size) {
            headSeen = (long) HEAD.getAcquire(this);
            if (t - headSeen >= size) {
                return false;
            }
        }
        ring[(int) t & mask] = item;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /**
     * Consumer: removes the oldest element.
     *
     * @return it, or null when the ring is empty
     */
    @SuppressWarnings("unchecked")
    T poll() {
        long h = (long) HEAD.getOpaque(this);
        if (h == tailSeen) {
            tailSeen = (long) TAIL.getAcquire(this);
            if (h == tailSeen) {
                return null;
            }
        }
        int i = (int) h & mask;
        Object item = ring[i];
        ring[i] = null;
        HEAD.setRelease(this, h + 1);
        return (T) item;
    }
}
