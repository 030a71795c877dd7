package org.zmq4j.monitor.jmx;

import java.util.Map;

/**
 * One number of a component ({@link org.zmq4j.Measurement}) as a {@code CompositeData} item of
 * {@link ComponentInfo#getMeasurements()}. Immutable; thread-safe.
 */
public interface MeasurementInfo {
    /** Its name, such as {@code service_queued_requests}. */
    String getName();

    /** One line saying what it counts. */
    String getHelp();

    /** {@code COUNTER} or {@code GAUGE}. */
    String getKind();

    /**
     * Its labels, such as {@code service=echo}; a {@code TabularData} of {@code key} and
     * {@code value} to a JMX client.
     */
    Map<String, String> getLabels();

    /** Its value. */
    double getValue();
}
