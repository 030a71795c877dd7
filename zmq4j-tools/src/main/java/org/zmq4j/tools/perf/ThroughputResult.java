package org.zmq4j.tools.perf;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a throughput test.
 *
 * @param messageSize  bytes per message
 * @param messageCount messages received
 * @param elapsedNanos time from the first message to the last (at least 1)
 */
record ThroughputResult(int messageSize, int messageCount, long elapsedNanos) {
    ThroughputResult {
        elapsedNanos = Math.max(1, elapsedNanos);
    }

    /** Mean throughput in messages per second: the count over the elapsed time, as libzmq. */
    double messagesPerSecond() {
        return messageCount * 1e9 / elapsedNanos;
    }

    /** Mean throughput in megabits (10^6 bits) of payload per second. */
    double megabitsPerSecond() {
        return messagesPerSecond() * messageSize * 8 / 1e6;
    }

    /** The four lines libzmq's local_thr prints, in the same format. */
    List<String> libzmqReport() {
        return List.of(
                "message size: " + messageSize + " [B]",
                "message count: " + messageCount,
                "mean throughput: " + (long) messagesPerSecond() + " [msg/s]",
                String.format(Locale.ROOT, "mean throughput: %.3f [Mb/s]", megabitsPerSecond()));
    }
}
