package org.zmq4j.monitor.jmx;

/**
 * The numbers of one component built on a Context ({@link org.zmq4j.ComponentMetrics}) as a
 * {@code CompositeData} item of {@link ContextMXBean#getComponents()}. Immutable; thread-safe.
 */
public interface ComponentInfo {
    /** What it is, such as {@code majordomo_broker}. */
    String getKind();

    /** Which one: its endpoint or the name it was given. */
    String getName();

    /** Its numbers. */
    MeasurementInfo[] getMeasurements();
}
