package org.zmq4j.patterns.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * Padded (HotSpot lays out a superclass's fields first): counters of two components made one after
 * the other sit side by side in memory, and a publisher's and its subscriber's are written on every
 * message by two threads; without the padding they would share cache lines (see the socket
 * counters, docs/performance.md, Session 10).
 */
abstract class CounterPadBefore {
    int pbFill;
    long pb0, pb1, pb2, pb3, pb4, pb5, pb6, pb7, pb8, pb9, pb10, pb11, pb12, pb13, pb14, pb15;
}

abstract class CounterValue extends CounterPadBefore {
    long value;
}

abstract class CounterPadAfter extends CounterValue {
    long pa0, pa1, pa2, pa3, pa4, pa5, pa6, pa7, pa8, pa9, pa10, pa11, pa12, pa13, pa14, pa15;
}

/**
 * A count for a component's metrics that one thread at a time adds to (its owner, or whoever holds
 * the owner's lock) and any thread reads: an opaque write, no lock, no compare-and-set, so it costs
 * a hot path about what a plain field does, and a reader on another thread sees a whole value at
 * most a moment old.
 *
 * <p>Thread-safety: {@link #increment()} and {@link #add} from one thread at a time (writes from
 * several threads must be ordered by a lock they share); {@link #get()} from any thread.
 */
public final class Counter extends CounterPadAfter {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(CounterValue.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
