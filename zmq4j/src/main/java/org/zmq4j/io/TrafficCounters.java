package org.zmq4j.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * The layout (HotSpot lays out a superclass's fields first): what reads count, what writes count,
 * each on cache lines of its own with 128 bytes of padding around, so that the I/O thread reading
 * and a socket's thread writing directly never write the same line, nor one of the engine's.
 */
abstract class TrafficPadBefore {
    long pb0, pb1, pb2, pb3, pb4, pb5, pb6, pb7, pb8, pb9, pb10, pb11, pb12, pb13, pb14, pb15;
}

abstract class TrafficInFields extends TrafficPadBefore {
    long bytesIn;
    long lastIn;
}

abstract class TrafficPadMiddle extends TrafficInFields {
    long pm0, pm1, pm2, pm3, pm4, pm5, pm6, pm7, pm8, pm9, pm10, pm11, pm12, pm13, pm14, pm15;
}

abstract class TrafficOutFields extends TrafficPadMiddle {
    long bytesOut;
    long lastOut;
}

abstract class TrafficPadAfter extends TrafficOutFields {
    long pa0, pa1, pa2, pa3, pa4, pa5, pa6, pa7, pa8, pa9, pa10, pa11, pa12, pa13, pa14, pa15;
}

/**
 * One connection's bytes in and out and when they last moved, for its metrics. Reads are counted by
 * the I/O thread, writes by whichever thread holds the engine's write flag (one at a time), once
 * per system call, without a clock read: the times are those of each read event and of the output
 * going idle, which the engine takes anyway. Any thread reads them. Opaque stores: a plain store's
 * cost.
 *
 * <p>Thread-safety: one writer per direction at a time; readers on any thread.
 */
final class TrafficCounters extends TrafficPadAfter {
    private static final VarHandle BYTES_IN;
    private static final VarHandle LAST_IN;
    private static final VarHandle BYTES_OUT;
    private static final VarHandle LAST_OUT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BYTES_IN = l.findVarHandle(TrafficInFields.class, "bytesIn", long.class);
            LAST_IN = l.findVarHandle(TrafficInFields.class, "lastIn", long.class);
            BYTES_OUT = l.findVarHandle(TrafficOutFields.class, "bytesOut", long.class);
            LAST_OUT = l.findVarHandle(TrafficOutFields.class, "lastOut", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** @param now the connection's start ({@link System#nanoTime()}), its last activity until bytes move */
    TrafficCounters(long now) {
        lastIn = now;
        lastOut = now;
    }

    /** {@code n} bytes were read. */
    void read(int n) {
        BYTES_IN.setOpaque(this, bytesIn + n);
    }

    /** The connection became readable at {@code now} (once per event, not per read). */
    void readAt(long now) {
        LAST_IN.setOpaque(this, now);
    }

    /** {@code n} bytes were written. */
    void wrote(long n) {
        BYTES_OUT.setOpaque(this, bytesOut + n);
    }

    /** The output went idle at {@code now}, everything written (a time the writer had already read). */
    void wroteAt(long now) {
        LAST_OUT.setOpaque(this, now);
    }

    long bytesIn() {
        return (long) BYTES_IN.getOpaque(this);
    }

    long bytesOut() {
        return (long) BYTES_OUT.getOpaque(this);
    }

    /** The later of the last read and the last write. */
    long lastActivity() {
        return Math.max((long) LAST_IN.getOpaque(this), (long) LAST_OUT.getOpaque(this));
    }
}
