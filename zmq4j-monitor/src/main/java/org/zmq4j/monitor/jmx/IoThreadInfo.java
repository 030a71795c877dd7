package org.zmq4j.monitor.jmx;

/**
 * One I/O thread's load ({@link org.zmq4j.IoThreadMetrics}) as a {@code CompositeData} item of
 * {@link ContextMXBean#getIoThreadDetails()}. Immutable; thread-safe.
 */
public interface IoThreadInfo {
    /** The thread's name. */
    String getName();

    /** The share of its life it spent working, 0 to 1. */
    double getBusyRatio();

    /** Time spent working since it started, in seconds. */
    double getBusySeconds();

    /** Time since it started, in seconds. */
    double getUptimeSeconds();

    /** Times it came out of its selector. */
    long getWakeups();

    /** Connections it serves now. */
    int getConnections();
}
