package org.zmq4j;

/** Stops a typed monitor added with {@link Socket#addMonitor(java.util.function.Consumer, int)}. */
public interface MonitorHandle extends AutoCloseable {
    /** Removes the listener (it gets MONITOR_STOPPED first, if selected). Idempotent. */
    @Override
    void close();
}
