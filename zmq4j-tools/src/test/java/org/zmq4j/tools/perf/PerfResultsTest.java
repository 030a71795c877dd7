package org.zmq4j.tools.perf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/** The arithmetic and output format of the perf results, without sockets. */
class PerfResultsTest {
    @Test
    void throughputIsTheCountOverTheTimeFromTheFirstMessage() {
        // 1,000,000 messages of 64 B in 0.5 s.
        ThroughputResult result = new ThroughputResult(64, 1_000_000, 500_000_000L);
        assertEquals(2_000_000.0, result.messagesPerSecond(), 1e-6);
        assertEquals(1024.0, result.megabitsPerSecond(), 1e-9);
    }

    @Test
    void throughputReportHasLibzmqsFormat() {
        ThroughputResult result = new ThroughputResult(64, 1000, 3_000_000L);
        assertEquals(List.of(
                "message size: 64 [B]",
                "message count: 1000",
                "mean throughput: 333333 [msg/s]",
                "mean throughput: 170.667 [Mb/s]"), result.libzmqReport());
    }

    @Test
    void throughputSurvivesAZeroElapsedTime() {
        ThroughputResult result = new ThroughputResult(8, 1, 0);
        assertEquals(1, result.elapsedNanos());
        assertTrue(Double.isFinite(result.messagesPerSecond()));
    }

    @Test
    void averageLatencyIsHalfTheMeanRoundTrip() {
        // 1000 round trips in 60 ms: 60 us per round trip, 30 us one way.
        LatencyResult result = new LatencyResult(64, 60_000_000L, new long[1000]);
        assertEquals(30.0, result.averageLatencyMicros(), 1e-9);
    }

    @Test
    void percentilesUseTheNearestRank() {
        // Round trips of 1, 2, ..., 1000 us, shuffled: pN is N% of the way up.
        long[] roundTrips = LongStream.rangeClosed(1, 1000).map(i -> ((i * 7919) % 1000 + 1) * 1000).toArray();
        LatencyResult result = new LatencyResult(64, 1, roundTrips);
        assertEquals(500.0, result.roundTripPercentileMicros(50), 1e-9);
        assertEquals(990.0, result.roundTripPercentileMicros(99), 1e-9);
        assertEquals(999.0, result.roundTripPercentileMicros(99.9), 1e-9);
        assertEquals(1000.0, result.roundTripPercentileMicros(100), 1e-9);
        assertEquals(1.0, result.roundTripPercentileMicros(0.01), 1e-9);
    }

    @Test
    void percentilesOfASingleRoundTripAreThatRoundTrip() {
        LatencyResult result = new LatencyResult(1, 5_000, new long[] {5_000});
        assertEquals(5.0, result.roundTripPercentileMicros(50), 1e-9);
        assertEquals(5.0, result.roundTripPercentileMicros(99.9), 1e-9);
    }

    @Test
    void latencyResultCopiesItsSamples() {
        long[] roundTrips = {3_000, 1_000, 2_000};
        LatencyResult result = new LatencyResult(1, 6_000, roundTrips);
        roundTrips[0] = 1_000_000;
        assertEquals(3.0, result.roundTripPercentileMicros(100), 1e-9);
        assertArrayEquals(new long[] {1_000_000, 1_000, 2_000}, roundTrips);
    }

    @Test
    void latencyReportHasLibzmqsFormatThenPercentiles() {
        LatencyResult result = new LatencyResult(64, 123_456_000L, LongStream.rangeClosed(1, 1000).toArray());
        assertEquals(List.of(
                "message size: 64 [B]",
                "roundtrip count: 1000",
                "average latency: 61.728 [us]",
                "roundtrip latency p50: 0.500 [us]",
                "roundtrip latency p99: 0.990 [us]",
                "roundtrip latency p99.9: 0.999 [us]"), result.report());
    }

    @Test
    void messagesOfTheWrongSizeAreReportedLikeLibzmq() {
        PerfException e = assertThrows(PerfException.class, () -> Messages.expect(new byte[3], 4, 9, 10));
        assertTrue(e.getMessage().startsWith("message of incorrect size received"), e.getMessage());
        assertTrue(e.getMessage().contains("message 10 of 10 has 3 bytes, expected 4"), e.getMessage());
    }

    @Test
    void aMissingMessageSaysHowManyArrived() {
        PerfException e = assertThrows(PerfException.class, () -> Messages.expect(null, 4, 7, 10));
        assertTrue(e.getMessage().contains("got 7 of 10"), e.getMessage());
    }
}
