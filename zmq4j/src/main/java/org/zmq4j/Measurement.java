package org.zmq4j;

import java.util.Map;

/**
 * One number of a {@link MetricsSource}: a counter or a gauge, with labels. Names follow
 * Prometheus' conventions: lower case with underscores, base units ({@code _seconds},
 * {@code _bytes}), counters ending in {@code _total}; exporters prefix them with
 * {@code zmq4j_} and the source's kind. Immutable; thread-safe.
 *
 * @param name   the name, such as {@code service_queued_requests}
 * @param help   one line saying what it counts
 * @param kind   counter or gauge
 * @param labels label names and values ({@code service=echo}), in a stable order; may be empty
 * @param value  the value
 */
public record Measurement(String name, String help, Kind kind, Map<String, String> labels, double value) {
    /** Counter (only goes up, from the source's creation) or gauge (goes up and down). */
    public enum Kind {
        /** Only goes up. */
        COUNTER,
        /** Goes up and down. */
        GAUGE
    }

    /** Checks the name and keeps an unmodifiable copy of the labels in their order. */
    public Measurement {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("measurement name must be lower case letters, digits and underscores: " + name);
        }
        if (kind == Kind.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }

    /** A gauge without labels. */
    public static Measurement gauge(String name, String help, double value) {
        return new Measurement(name, help, Kind.GAUGE, Map.of(), value);
    }

    /** A counter without labels. */
    public static Measurement counter(String name, String help, double value) {
        return new Measurement(name, help, Kind.COUNTER, Map.of(), value);
    }
}
