package org.zmq4j.durable.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
    @TempDir
    Path dir;

    static byte[] payload(long i) {
        return ("record-" + i + "-" + "x".repeat((int) (i * 7 % 50))).getBytes(StandardCharsets.UTF_8);
    }

    static JournalConfig small(FsyncPolicy policy) {
        return JournalConfig.builder().policy(policy).segmentBytes(512).build();
    }

    @Test
    void appendsReadsAndReplaysAcrossSegmentsAndReopens() throws IOException {
        long id;
        try (FileJournal j = FileJournal.open(dir, small(FsyncPolicy.always()))) {
            id = j.journalId();
            for (long i = 0; i < 100; i++) {
                assertEquals(i, j.append(payload(i)));
                assertEquals(i + 1, j.durableIndex(), "always: durable when append returns");
            }
            assertTrue(j.segmentCount() > 5, "512-byte segments roll: " + j.segmentCount());
            for (long i = 0; i < 100; i++) {
                assertArrayEquals(payload(i), j.read(i));
            }
        }
        try (FileJournal j = FileJournal.open(dir, small(FsyncPolicy.always()))) {
            assertTrue(j.recoveryReport().clean(), j.recoveryReport().toString());
            assertEquals(id, j.journalId());
            assertEquals(0, j.firstIndex());
            assertEquals(100, j.nextIndex());
            List<Long> seen = new ArrayList<>();
            j.replay(40, (index, record) -> {
                byte[] b = new byte[record.remaining()];
                record.get(b);
                assertArrayEquals(payload(index), b);
                seen.add(index);
            });
            assertEquals(60, seen.size());
            assertEquals(40L, seen.get(0));
            assertEquals(100, j.append(payload(100)));
        }
    }

    @Test
    void appendAllWritesManyRecordsInOrderAcrossARoll() throws IOException {
        try (FileJournal j = FileJournal.open(dir, small(FsyncPolicy.os()))) {
            ByteBuffer[] batch = new ByteBuffer[30];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = ByteBuffer.wrap(payload(i));
            }
            assertEquals(0, j.appendAll(batch));
            assertEquals(30, j.nextIndex());
            assertEquals(30, j.durableIndex(), "os: durable from the process' point of view at once");
            for (int i = 0; i < 30; i++) {
                assertArrayEquals(payload(i), j.read(i));
            }
        }
        try (FileJournal j = FileJournal.open(dir, small(FsyncPolicy.os()))) {
            assertEquals(30, j.nextIndex());
            assertTrue(j.recoveryReport().clean());
        }
    }

    @Test
    void releaseDeletesWholeSegmentsButNeverTheLast() throws IOException {
        try (FileJournal j = FileJournal.open(dir, small(FsyncPolicy.always()))) {
            for (long i = 0; i < 100; i++) {
                j.append(payload(i));
            }
            int before = j.segmentCount();
            j.release(50);
            assertTrue(j.segmentCount() < before);
            assertTrue(j.firstIndex() <= 50 && j.firstIndex() > 0, "first " + j.firstIndex());
            assertArrayEquals(payload(50), j.read(50));
            assertThrows(IllegalArgumentException.class, () -> j.read(0));
            j.release(100);
            assertEquals(1, j.segmentCount());
            assertEquals(100, j.nextIndex());
        }
        try (FileJournal j = FileJournal.open(dir, small(FsyncPolicy.always()))) {
            assertTrue(j.recoveryReport().clean(), j.recoveryReport().toString());
            assertEquals(100, j.nextIndex(), "indices continue after everything was released");
            assertEquals(100, j.append(payload(100)));
        }
    }

    @Test
    void groupCommitMakesAppendsDurableInTheBackground() throws Exception {
        AtomicLong notified = new AtomicLong();
        try (FileJournal j = FileJournal.open(dir, JournalConfig.builder().policy(FsyncPolicy.group(Duration.ofMillis(2))).build())) {
            j.onDurable(notified::set);
            long last = -1;
            for (int i = 0; i < 1000; i++) {
                last = j.append(payload(i));
            }
            assertTrue(j.awaitDurable(last, Duration.ofSeconds(10)));
            assertEquals(1000, j.durableIndex());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (notified.get() < 1000 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1000, notified.get());
        }
    }

    @Test
    void concurrentAppendersUnderAlwaysShareSyncsAndLoseNothing() throws Exception {
        int threads = 4;
        int each = 300;
        ConcurrentLinkedQueue<Long> indices = new ConcurrentLinkedQueue<>();
        try (FileJournal j = FileJournal.open(dir, JournalConfig.builder().segmentBytes(8192).build())) {
            CountDownLatch done = new CountDownLatch(threads);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            for (int t = 0; t < threads; t++) {
                int tt = t;
                new Thread(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            long idx = j.append(("t" + tt + "-" + i).getBytes(StandardCharsets.UTF_8));
                            assertTrue(j.durableIndex() > idx);
                            indices.add(idx);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        done.countDown();
                    }
                }).start();
            }
            assertTrue(done.await(60, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(failures.isEmpty(), failures.toString());
            assertEquals(threads * each, indices.size());
            assertEquals(threads * each, indices.stream().distinct().count());
        }
        try (FileJournal j = FileJournal.open(dir)) {
            assertEquals(threads * each, j.nextIndex());
            int[] next = new int[threads];
            j.replay(0, (index, r) -> {
                String s = StandardCharsets.UTF_8.decode(r).toString();
                int t = s.charAt(1) - '0';
                assertEquals("t" + t + "-" + next[t], s, "per-thread order kept");
                next[t]++;
            });
        }
    }

    @Test
    void aSecondOpenIsRefusedWhileTheFirstHoldsTheLock() throws IOException {
        try (FileJournal j = FileJournal.open(dir)) {
            IOException e = assertThrows(IOException.class, () -> FileJournal.open(dir));
            assertTrue(e.getMessage().contains("open already"), e.getMessage());
        }
        FileJournal.open(dir).close();
    }

    @Test
    void oversizedRecordsAreRefusedAndTheJournalGoesOn() throws IOException {
        try (FileJournal j = FileJournal.open(dir, JournalConfig.builder().maxRecordBytes(100).build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> j.append(new byte[101]));
            assertTrue(e.getMessage().contains("maxRecordBytes"), e.getMessage());
            assertEquals(0, j.append(new byte[100]));
            assertEquals(1, j.append(new byte[0]));
            assertArrayEquals(new byte[0], j.read(1));
        }
    }

    @Test
    void policiesParseFromTheCommandLineForm() {
        assertEquals(FsyncPolicy.always(), FsyncPolicy.parse("always"));
        assertEquals(FsyncPolicy.os(), FsyncPolicy.parse("OS"));
        assertEquals(FsyncPolicy.group(Duration.ZERO), FsyncPolicy.parse("group"));
        assertEquals(FsyncPolicy.group(Duration.ofMillis(5)), FsyncPolicy.parse("group:5"));
        assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.parse("sometimes"));
        assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.parse("group:x"));
        assertFalse(FsyncPolicy.always().equals(FsyncPolicy.os()));
    }

    @Test
    void aDamagedIdFileIsReportedNotReplaced() throws IOException {
        FileJournal.open(dir).close();
        Files.write(dir.resolve("journal.id"), new byte[3]);
        IOException e = assertThrows(IOException.class, () -> FileJournal.open(dir));
        assertTrue(e.getMessage().contains("journal.id"), e.getMessage());
    }
}
