package org.zmq4j.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.zmq4j.support.FieldOffsets;

/**
 * A connection's read counters (I/O thread) and write counters (the writing thread), and an I/O
 * thread's load counters, each sit on cache lines of their own: checks the offsets the JVM gave them.
 */
class TrafficCountersLayoutTest {
    @Test
    void readAndWriteCountersAreALineApartAndPadded() throws Exception {
        long[] in = FieldOffsets.span(TrafficInFields.class);
        long[] out = FieldOffsets.span(TrafficOutFields.class);
        long[] after = FieldOffsets.span(TrafficPadAfter.class);
        assertTrue(in[0] >= 64 + 16, "padding before: " + in[0]);
        assertTrue(out[0] - in[1] >= 64, "in " + in[0] + ".." + in[1] + ", out " + out[0] + ".." + out[1]);
        assertTrue(after[1] - out[1] >= 64, "padding after: " + after[1]);
    }

    @Test
    void anIoThreadsLoadCountersArePadded() throws Exception {
        long[] fields = FieldOffsets.span(IoLoadFields.class);
        long[] after = FieldOffsets.span(IoLoadPadAfter.class);
        assertTrue(fields[0] >= 64 + 8 && after[1] - fields[1] >= 64, fields[0] + ".." + fields[1] + ", " + after[1]);
    }
}
