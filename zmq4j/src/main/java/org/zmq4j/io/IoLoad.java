package org.zmq4j.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/*
 * Padded like the pipes and the traffic counters: the I/O thread writes its wake-up count every
 * round, and the IoThread object next to it holds what socket threads read on every wake-up.
 */
abstract class IoLoadPadBefore {
    long pb0, pb1, pb2, pb3, pb4, pb5, pb6, pb7, pb8, pb9, pb10, pb11, pb12, pb13, pb14, pb15;
}

abstract class IoLoadFields extends IoLoadPadBefore {
    /** Blocking selects that returned. */
    long wakeups;
}

abstract class IoLoadPadAfter extends IoLoadFields {
    long pa0, pa1, pa2, pa3, pa4, pa5, pa6, pa7, pa8, pa9, pa10, pa11, pa12, pa13, pa14, pa15;
}

/**
 * An I/O thread's load for the metrics: the CPU time it has used (the JVM's per-thread CPU clock,
 * read only when someone asks: timing each round of the loop cost the tcp cells measurable
 * throughput, docs/performance.md, Session 10), out of how long it has run, and how often it woke
 * from a blocking select.
 *
 * <p>Thread-safety: {@link #woke} by its I/O thread only (an opaque store); {@link #read} from any thread.
 */
final class IoLoad extends IoLoadPadAfter {
    private static final VarHandle WAKEUPS;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static {
        try {
            WAKEUPS = MethodHandles.lookup().findVarHandle(IoLoadFields.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long started = System.nanoTime();

    /** A blocking select returned (I/O thread). */
    void woke() {
        WAKEUPS.setOpaque(this, wakeups + 1);
    }

    /**
     * {busy nanoseconds (the thread's CPU time; 0 where the JVM cannot tell), uptime nanoseconds,
     * wake-ups}.
     *
     * @param thread the I/O thread
     */
    long[] read(Thread thread) {
        long up = System.nanoTime() - started;
        long cpu = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(thread.getId()) : -1;
        return new long[] {Math.max(0, Math.min(up, cpu)), up, (long) WAKEUPS.getOpaque(this)};
    }
}
