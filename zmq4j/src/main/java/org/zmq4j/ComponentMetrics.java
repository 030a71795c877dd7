package org.zmq4j;

import java.util.List;

/**
 * The numbers of one component built on sockets (a Majordomo broker, a durable sender, a sequenced
 * subscriber...), from its {@link MetricsSource}. Immutable; thread-safe.
 *
 * @param kind         what it is, lower case with underscores ({@code majordomo_broker}); exporters
 *                     use it in metric names
 * @param name         which one: its endpoint or the name it was given
 * @param measurements its numbers
 */
public record ComponentMetrics(String kind, String name, List<Measurement> measurements) {
    /** Checks the kind and keeps an unmodifiable copy of the measurements. */
    public ComponentMetrics {
        if (!kind.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("component kind must be lower case letters, digits and underscores: " + kind);
        }
        measurements = List.copyOf(measurements);
    }
}
