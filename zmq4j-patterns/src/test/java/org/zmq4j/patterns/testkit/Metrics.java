package org.zmq4j.patterns.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.Context;
import org.zmq4j.Measurement;

/** Reading a component's numbers out of {@link Context#metrics()} in tests. */
public final class Metrics {
    private Metrics() {
    }

    /** The components of {@code kind} now. */
    public static List<ComponentMetrics> components(Context ctx, String kind) {
        return ctx.metrics().components().stream().filter(c -> c.kind().equals(kind)).toList();
    }

    /** The one component of {@code kind}; fails when there is none or several. */
    public static ComponentMetrics component(Context ctx, String kind) {
        List<ComponentMetrics> all = components(ctx, kind);
        assertTrue(all.size() == 1, "one " + kind + " expected, found " + all);
        return all.get(0);
    }

    /**
     * The value of measurement {@code name} with the labels {@code labels} (name, value, name,
     * value...), or NaN when the component has no such measurement.
     */
    public static double value(ComponentMetrics c, String name, String... labels) {
        Map<String, String> want = new HashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        for (Measurement m : c.measurements()) {
            if (m.name().equals(name) && m.labels().equals(want)) {
                return m.value();
            }
        }
        return Double.NaN;
    }

    /** {@link #value(ComponentMetrics, String, String...)} of the one component of {@code kind}, now. */
    public static double value(Context ctx, String kind, String name, String... labels) {
        return value(component(ctx, kind), name, labels);
    }

    /** The measurement {@code name} of the one component of {@code kind} as a long (fails when absent). */
    public static long count(Context ctx, String kind, String name, String... labels) {
        double v = value(ctx, kind, name, labels);
        assertTrue(!Double.isNaN(v), kind + " has no " + name + " " + List.of(labels));
        return (long) v;
    }

    /** Waits up to 20 s (polling every 10 ms) until the measurement is {@code expected}; fails showing the last value. */
    public static void awaitValue(Context ctx, String kind, String name, double expected, String... labels)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        double v;
        while ((v = value(ctx, kind, name, labels)) != expected) {
            assertTrue(System.nanoTime() < deadline, kind + " " + name + " " + List.of(labels) + " stayed " + v
                    + ", expected " + expected);
            Thread.sleep(10);
        }
    }
}
