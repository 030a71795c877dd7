package org.zmq4j.bench.durable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.zmq4j.durable.journal.FileJournal;
import org.zmq4j.durable.journal.FsyncPolicy;
import org.zmq4j.durable.journal.JournalConfig;

/**
 * The journal alone under the fsync-per-message policy: one thread appends records of {@code size}
 * bytes to a {@link FileJournal} with {@link FsyncPolicy#always()} for a while, as the disk loop
 * ({@link DiskSyncLimit}, batch 1) writes and fdatasyncs, so the two compare directly. Not
 * thread-safe; one measurement at a time.
 */
public final class JournalLoad {
    private JournalLoad() {
    }

    /** Appends per second over {@code time}, in a fresh journal under {@code dir} (deleted afterwards). */
    public static double appendsPerSecond(Path dir, int size, Duration time) throws IOException {
        Path run = Files.createTempDirectory(dir, "zmq4j-journal-load-");
        byte[] record = new byte[size];
        long n = 0;
        long start;
        long elapsed;
        try (FileJournal j = FileJournal.open(run, JournalConfig.builder().policy(FsyncPolicy.always()).build())) {
            start = System.nanoTime();
            long end = start + time.toNanos();
            do {
                j.append(record);
                n++;
            } while (System.nanoTime() < end);
            elapsed = System.nanoTime() - start;
        } finally {
            DurableLoad.deleteTree(run);
        }
        return n / (elapsed / 1e9);
    }
}
