package org.zmq4j.durable.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery returns a prefix of what was written, never an error and never a damaged record: the
 * last records cut at every offset, bytes flipped anywhere, segments lost in the middle.
 */
class RecoveryTest {
    @TempDir
    Path tmp;

    private static final int RECORDS = 40;

    /** Writes RECORDS records (varied sizes, several segments) into a fresh journal; returns its directory. */
    private Path written(String name, long segmentBytes) throws IOException {
        Path dir = tmp.resolve(name);
        try (FileJournal j = FileJournal.open(dir, JournalConfig.builder().segmentBytes(segmentBytes).build())) {
            for (long i = 0; i < RECORDS; i++) {
                j.append(FileJournalTest.payload(i));
            }
        }
        return dir;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals("journal.lock")) {
                    Files.copy(p, to.resolve(p.getFileName()));
                }
            }
        }
    }

    /** Opens {@code dir}, checks that it holds a prefix of the original records and takes appends after it; returns its length. */
    private static long checkPrefix(Path dir) throws IOException {
        long n;
        try (FileJournal j = FileJournal.open(dir, JournalConfig.builder().segmentBytes(4096).build())) {
            n = j.nextIndex();
            assertTrue(n <= RECORDS);
            List<Long> seen = new ArrayList<>();
            j.replay(0, (index, record) -> {
                byte[] b = new byte[record.remaining()];
                record.get(b);
                assertArrayEquals(FileJournalTest.payload(index), b, "record " + index + " intact");
                seen.add(index);
            });
            assertEquals(n, seen.size());
            assertEquals(n, j.append("after".getBytes()));
        }
        try (FileJournal j = FileJournal.open(dir, JournalConfig.builder().segmentBytes(4096).build())) {
            assertTrue(j.recoveryReport().clean(), "second recovery finds nothing to cut: " + j.recoveryReport());
            assertEquals(n + 1, j.nextIndex());
            assertArrayEquals("after".getBytes(), j.read(n));
        }
        return n;
    }

    @Test
    void cutAtEveryOffsetOfTheLastRecordsLeavesAPrefix() throws IOException {
        Path original = written("orig", 1 << 20);
        Path seg = segments(original).get(0);
        long size = Files.size(seg);
        // the last 6 records and the bytes between them
        long tail = 0;
        for (long i = RECORDS - 6; i < RECORDS; i++) {
            tail += RecordCodec.HEADER_BYTES + FileJournalTest.payload(i).length;
        }
        long from = size - tail;
        long previous = -1;
        for (long cut = from; cut <= size; cut++) {
            Path dir = copy(original, "cut" + cut);
            try (RandomAccessFile f = new RandomAccessFile(segments(dir).get(0).toFile(), "rw")) {
                f.setLength(cut);
            }
            long n = checkPrefix(dir);
            assertTrue(n >= previous, "longer files never give shorter prefixes");
            assertTrue(n >= RECORDS - 6);
            previous = n;
            deleteDir(dir);
        }
        assertEquals(RECORDS, previous, "the uncut file keeps everything");
    }

    @Test
    void aFlippedByteAnywhereLeavesAPrefixThatEndsBeforeIt() throws IOException {
        Path original = written("orig", 700);
        List<Path> segs = segments(original);
        assertTrue(segs.size() >= 3, "several segments: " + segs.size());
        Random random = new Random(16);
        int trials = 0;
        for (int s = 0; s < segs.size(); s++) {
            long size = Files.size(segs.get(s));
            for (int k = 0; k < 25; k++) {
                long at = k == 0 ? random.nextInt(SegmentFile.HEADER_BYTES) : random.nextLong(size);
                Path dir = copy(original, "flip" + s + "-" + k);
                Path seg = segments(dir).get(s);
                try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
                    f.seek(at);
                    int b = f.read();
                    f.seek(at);
                    f.write(b ^ (1 << random.nextInt(8)));
                }
                long base = SegmentFile.baseOf(seg.getFileName().toString());
                boolean inRecords = at < dataEnd(original, s);
                long n = checkPrefix(dir);
                if (inRecords) {
                    assertTrue(n < RECORDS, "a flip at " + seg.getFileName() + ":" + at + " is noticed");
                } else {
                    assertEquals(RECORDS, n, "a flip in the preallocated zeros costs no record");
                }
                assertTrue(n >= base, "the segments before the damaged one are whole");
                deleteDir(dir);
                trials++;
            }
        }
        assertTrue(trials >= 75);
    }

    @Test
    void aMissingMiddleSegmentEndsThePrefixBeforeIt() throws IOException {
        Path original = written("orig", 700);
        Path dir = copy(original, "gap");
        List<Path> segs = segments(dir);
        Files.delete(segs.get(1));
        long n;
        try (FileJournal j = FileJournal.open(dir, JournalConfig.builder().segmentBytes(4096).build())) {
            n = j.nextIndex();
            assertEquals(SegmentFile.baseOf(segs.get(1).getFileName().toString()), n);
            assertFalse(j.recoveryReport().clean());
            assertTrue(j.recoveryReport().cuts().get(0).reason().contains("expected"), j.recoveryReport().toString());
        }
        assertEquals(1, segments(dir).size());
        assertEquals(n, checkPrefix(dir));
    }

    @Test
    void garbageAppendedAfterTheLastRecordIsCut() throws IOException {
        Path dir = written("garbage", 1 << 20);
        Path seg = segments(dir).get(0);
        byte[] junk = new byte[1000];
        new Random(3).nextBytes(junk);
        Files.write(seg, junk, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(RECORDS, checkPrefix(dir));
        // an announced length far above the limit
        Path dir2 = written("huge", 1 << 20);
        Files.write(segments(dir2).get(0), new byte[] {0x7f, 0, 0, 0, 1, 2, 3, 4}, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(RECORDS, checkPrefix(dir2));
    }

    /** Where the records of segment {@code s} of the journal in {@code dir} end (the zeros start). */
    private static long dataEnd(Path dir, int s) throws IOException {
        byte[] b = Files.readAllBytes(segments(dir).get(s));
        int end = b.length;
        while (end > SegmentFile.HEADER_BYTES && b[end - 1] == 0) {
            end--;
        }
        return end;
    }

    private Path copy(Path from, String name) throws IOException {
        Path to = tmp.resolve(name);
        copyDir(from, to);
        return to;
    }

    private static void deleteDir(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
