package org.zmq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CurveThroughputTest {
    private static final long MS = 1_000_000L;

    @Test
    void theTimelineGivesEachStepsRateAndMarksWhereTheTimedPartBegins() {
        // 1,000 messages in steps of 250, the first 250 untimed; the clock starts at the first message
        long start = 5_000 * MS;
        long[] marks = {0, start + 249 * MS, start + 374 * MS, start + 499 * MS, start + 624 * MS};
        assertEquals("msg/s per 250 messages: 1k | 2k 2k 2k (0.62 s in all)", CurveThroughput.timeline(marks, start, 250, 250));
    }

    @Test
    void withoutAnUntimedPartTheTimelineStartsTimedAndStopsAtTheFirstStepNotReached() {
        long[] marks = {0, 100 * MS, 0, 0};
        assertEquals("msg/s per 100 messages: | 1k (0.10 s in all)", CurveThroughput.timeline(marks, 0, 100, 0));
    }
}
