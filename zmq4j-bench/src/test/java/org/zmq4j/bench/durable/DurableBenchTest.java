package org.zmq4j.bench.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nats.client.api.RetentionPolicy;

/** The reference halves of the durability benchmark measure what they say, briefly. */
class DurableBenchTest {

    @Test
    void theDiskLoopSyncsWholeBatchesAndLeavesNoFile(@TempDir Path dir) throws Exception {
        for (DiskSyncLimit.Mode mode : DiskSyncLimit.Mode.values()) {
            DiskSyncLimit.Result r = DiskSyncLimit.measure(dir, 64, 20, 8, mode, Duration.ofMillis(100));
            assertTrue(r.syncs() > 0, r.toString());
            assertEquals(r.syncs() * 8, r.messages());
            assertTrue(r.nanos() >= Duration.ofMillis(100).toNanos());
            assertEquals(r.syncsPerSecond() * 8, r.messagesPerSecond(), 1e-6 * r.messagesPerSecond());
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(0, left.count());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> DiskSyncLimit.measure(dir, 64, 0, Duration.ofMillis(10)));
    }

    @Test
    void optionsParse() {
        DurableBench.Options o = DurableBench.parse(new String[] {"--sizes", "64,1024", "--batches", "1,32", "--retention", "limits",
                "--files", "preallocated", "--time", "500"});
        assertEquals(List.of(64, 1024), o.sizes);
        assertEquals(List.of(1, 32), o.batches);
        assertEquals(List.of(RetentionPolicy.Limits), o.retentions);
        assertEquals(List.of(DiskSyncLimit.Mode.OVERWRITE), o.modes);
        assertEquals(Duration.ofMillis(500), o.time);
        assertThrows(IllegalArgumentException.class, () -> DurableBench.parse(new String[] {"--bogus"}));
        assertEquals("1 KiB", DurableBench.sizeLabel(1024));
    }

    /** Runs only where Debian's nats-server is installed. */
    @Test
    void jetStreamDeliversEveryMessageAndStopsItsServer(@TempDir Path dir) throws Exception {
        assumeTrue(JetStreamLoad.unavailable("nats-server").isEmpty(), "nats-server not installed");
        JetStreamLoad.Run run;
        try (JetStreamLoad js = JetStreamLoad.start(JetStreamLoad.Config.defaults(dir).withWindow(100))) {
            run = js.run(64, 2000);
        }
        assertEquals(2000, run.messages());
        assertTrue(run.messagesPerSecond() > 0 && run.nanos() >= run.publishNanos(), run.toString());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "the server's store is deleted");
        }
    }
}
