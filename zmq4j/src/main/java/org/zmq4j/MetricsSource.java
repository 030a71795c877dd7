package org.zmq4j;

/**
 * Something that adds its own numbers to a {@link Context}'s metrics: the reliability patterns
 * (Majordomo, durable delivery, sequenced pub-sub) register one with
 * {@link Context#addMetricsSource}, and {@link Context#metrics()} asks each for its numbers.
 * <p>
 * Thread-safety: {@link #metrics()} is called from any thread (an HTTP server's, JMX's) while the
 * component runs, and must not block for long.
 */
@FunctionalInterface
public interface MetricsSource {
    /** The component's numbers now. */
    ComponentMetrics metrics();
}
