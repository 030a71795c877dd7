package org.zmq4j.bench.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The metrics benchmark's three modes run and deliver every message (tiny counts: no figure is checked). */
@Timeout(120)
class MetricsBenchTest {
    @Test
    void everyModeRuns() throws Exception {
        for (String mode : new String[] {"OFF", "SNAPSHOTS", "SCRAPED"}) {
            for (String transport : new String[] {"tcp", "inproc"}) {
                double rate = MetricsBench.run(transport, 64, 20_000, MetricsBench.Mode.valueOf(mode), 20);
                assertTrue(rate > 0, transport + " " + mode);
            }
        }
    }

}
