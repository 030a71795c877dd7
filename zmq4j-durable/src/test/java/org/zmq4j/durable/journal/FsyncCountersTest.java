package org.zmq4j.durable.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's count and time of its fdatasyncs, as metrics read them. */
class FsyncCountersTest {
    @TempDir
    Path dir;

    @Test
    void everyFsyncOfTheAlwaysPolicyIsCountedAndTimed() throws Exception {
        try (FileJournal j = FileJournal.open(dir.resolve("always"), JournalConfig.builder().policy(FsyncPolicy.always()).build())) {
            assertEquals(0, j.fsyncCount());
            assertEquals(0, j.lastFsyncNanos());
            for (int i = 0; i < 5; i++) {
                j.append(new byte[] {(byte) i});
            }
            assertEquals(5, j.fsyncCount(), "one per append, one appender");
            assertTrue(j.fsyncNanos() > 0 && j.lastFsyncNanos() > 0 && j.lastFsyncNanos() <= j.fsyncNanos());
            j.sync();
            assertEquals(5, j.fsyncCount(), "nothing new to make durable: no fdatasync");
        }
    }

    @Test
    void theOsPolicyDoesNotFsyncAppends() throws Exception {
        try (FileJournal j = FileJournal.open(dir.resolve("os"), JournalConfig.builder().policy(FsyncPolicy.os()).build())) {
            for (int i = 0; i < 5; i++) {
                j.append(new byte[] {(byte) i});
            }
            assertEquals(0, j.fsyncCount(), "os: the OS writes back when it wants");
            j.sync();
            assertEquals(1, j.fsyncCount(), "sync() fdatasyncs whatever the policy, as Journal.sync() says");
            j.sync();
            assertEquals(1, j.fsyncCount(), "nothing new: no second fdatasync");
            j.append(new byte[] {9});
            j.sync();
            assertEquals(2, j.fsyncCount());
        }
    }
}
