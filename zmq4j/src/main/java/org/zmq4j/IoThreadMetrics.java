package org.zmq4j;

import java.time.Duration;

/**
 * One I/O thread's load ({@link ContextMetrics#ioThreadLoad()}): how long it has run and how much
 * of that it spent working rather than waiting in its selector. Immutable; thread-safe.
 *
 * @param name        the thread's name
 * @param busy        CPU time the thread has used since it started (reading, writing, timers,
 *                    tasks; the JVM's thread CPU clock, zero where the JVM cannot tell)
 * @param uptime      time since it started
 * @param wakeups     times it came out of its selector
 * @param connections connections it serves now
 */
public record IoThreadMetrics(String name, Duration busy, Duration uptime, long wakeups, int connections) {
    /** The share of its life the thread spent working, 0 to 1. */
    public double busyRatio() {
        long up = uptime.toNanos();
        return up <= 0 ? 0 : Math.min(1.0, (double) busy.toNanos() / up);
    }
}
