package org.zmq4j.tools.perf;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The outcome of a latency test: the total time and the time of every round trip. */
final class LatencyResult {
    private final int messageSize;
    private final long elapsedNanos;
    private final long[] sortedRoundTrips;

    /**
     * @param messageSize  bytes per message
     * @param elapsedNanos time for all round trips together
     * @param roundTrips   each round trip's time in nanoseconds (copied; at least one)
     */
    LatencyResult(int messageSize, long elapsedNanos, long[] roundTrips) {
        if (roundTrips.length == 0) {
            throw new IllegalArgumentException("a latency result needs at least one round trip");
        }
        this.messageSize = messageSize;
        this.elapsedNanos = elapsedNanos;
        this.sortedRoundTrips = roundTrips.clone();
        Arrays.sort(sortedRoundTrips);
    }

    /** Bytes per message. */
    int messageSize() {
        return messageSize;
    }

    /** Number of round trips measured. */
    int roundTripCount() {
        return sortedRoundTrips.length;
    }

    /** Average one-way latency in microseconds: total time over twice the round trips, as libzmq. */
    double averageLatencyMicros() {
        return elapsedNanos / 1e3 / (2.0 * sortedRoundTrips.length);
    }

    /**
     * A round-trip percentile by the nearest-rank method: the smallest measured round trip that at
     * least {@code percent}% of all round trips do not exceed.
     *
     * @param percent above 0 and at most 100, e.g. 99.9
     * @return that round trip's time in microseconds
     */
    double roundTripPercentileMicros(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percent);
        }
        // The epsilon keeps rounding error (99.9 / 100 * 1000 = 999.0000000000001) from moving up a rank.
        int rank = (int) Math.ceil(percent / 100 * sortedRoundTrips.length - 1e-9);
        return sortedRoundTrips[Math.max(rank, 1) - 1] / 1e3;
    }

    /**
     * The three lines libzmq's remote_lat prints, in the same format, then the round-trip
     * percentiles p50, p99 and p99.9 in the same style.
     */
    List<String> report() {
        return List.of(
                "message size: " + messageSize + " [B]",
                "roundtrip count: " + sortedRoundTrips.length,
                String.format(Locale.ROOT, "average latency: %.3f [us]", averageLatencyMicros()),
                String.format(Locale.ROOT, "roundtrip latency p50: %.3f [us]", roundTripPercentileMicros(50)),
                String.format(Locale.ROOT, "roundtrip latency p99: %.3f [us]", roundTripPercentileMicros(99)),
                String.format(Locale.ROOT, "roundtrip latency p99.9: %.3f [us]", roundTripPercentileMicros(99.9)));
    }
}
