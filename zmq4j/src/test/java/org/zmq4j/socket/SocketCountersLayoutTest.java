package org.zmq4j.socket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.zmq4j.support.FieldOffsets;

/**
 * A socket's counters, written by its thread on every message, must not share a cache line with
 * anything else in memory (another socket's counters, written by another thread): checks the
 * offsets the running JVM gave them, and the padding around them.
 */
class SocketCountersLayoutTest {
    @Test
    void theCountersHaveALineOfPaddingOnEachSide() throws Exception {
        long[] counters = FieldOffsets.span(SocketCountersFields.class);
        long[] after = FieldOffsets.span(SocketCountersPadAfter.class);
        assertTrue(counters[0] >= 64 + 16, "padding before: the counters start at " + counters[0]);
        assertTrue(after[1] - counters[1] >= 64, "padding after: counters end at " + counters[1] + ", padding at " + after[1]);
    }
}
