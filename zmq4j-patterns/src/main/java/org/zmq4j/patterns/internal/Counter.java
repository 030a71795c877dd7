package org.zmq4j.patterns.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count for a component's metrics that one thread at a time adds to (its owner, or whoever holds
 * the owner's lock) and any thread reads: an opaque write, no lock, no compare-and-set, so it costs
 * a hot path about what a plain field does, and a reader on another thread sees a whole value at
 * most a moment old.
 *
 * <p>Thread-safety: {@link #increment()} and {@link #add} from one thread at a time (writes from
 * several threads must be ordered by a lock they share); {@link #get()} from any thread.
 */
public final class Counter {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long value;

    /** Adds one. */
    public void increment() {
        VALUE.setOpaque(this, value + 1);
    }

    /** Adds {@code n}. */
    public void add(long n) {
        VALUE.setOpaque(this, value + n);
    }

    /** The count now (from any thread). */
    public long get() {
        return (long) VALUE.getOpaque(this);
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
