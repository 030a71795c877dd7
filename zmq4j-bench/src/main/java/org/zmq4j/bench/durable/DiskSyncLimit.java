package org.zmq4j.bench.durable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The disk's own limit for a journal (issue 16): a loop of one {@code write} of a batch of records
 * appended to a file and one {@code fdatasync} ({@link FileChannel#force(boolean) force(false)}),
 * for a fixed time, in a fresh file in the directory under test. A record is {@code header} bytes
 * (length, sequence number and the like of a journal record) plus the payload; a batch of 1 is an
 * fsync per message. The file grows as it is written (no preallocation), like a journal that
 * appends, so each fdatasync also has to persist the new file size; {@link Mode#OVERWRITE}
 * rewrites a preallocated, already-synced file instead (the best case: no metadata to sync).
 * <p>
 * Nothing here touches the network. Not thread-safe; each call uses its own file and deletes it.
 */
public final class DiskSyncLimit {
    /** How the file is written. */
    public enum Mode {
        /** Appends: the file grows and fdatasync persists its size too (a journal that appends). */
        APPEND,
        /** Rewrites a preallocated and synced file from its start (a journal with preallocated segments). */
        OVERWRITE
    }

    /** The default header per record: 16 bytes (say a 4-byte length, an 8-byte sequence and a 4-byte CRC). */
    public static final int DEFAULT_HEADER = 16;
    /** Size of the preallocated file for {@link Mode#OVERWRITE}: wraps to its start when full. */
    private static final long PREALLOCATED = 64L << 20;
    /** Time written (and discarded) before the measured window, in the same file. */
    private static final Duration WARMUP = Duration.ofMillis(300);

    /**
     * One measurement.
     *
     * @param recordBytes the payload per record
     * @param headerBytes the header per record
     * @param batch records per write + fdatasync
     * @param mode how the file was written
     * @param messages records written and synced in the window
     * @param syncs fdatasync calls in the window
     * @param nanos the window
     * @param p50Nanos the median time of one write + fdatasync in the window
     * @param p99Nanos its 99th percentile
     */
    public record Result(int recordBytes, int headerBytes, int batch, Mode mode, long messages, long syncs, long nanos, long p50Nanos,
            long p99Nanos) {
        /** Records made durable per second. */
        public double messagesPerSecond() {
            return messages * 1e9 / nanos;
        }

        /** fdatasync calls per second. */
        public double syncsPerSecond() {
            return syncs * 1e9 / nanos;
        }

        /** Mean time of one write + fdatasync, in microseconds. */
        public double microsPerSync() {
            return syncs == 0 ? Double.NaN : nanos / 1e3 / syncs;
        }

        /** Bytes made durable per second (headers included), in MB/s (10^6). */
        public double megabytesPerSecond() {
            return messages * (double) (recordBytes + headerBytes) / 1e6 / (nanos / 1e9);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d+%d B x %d (%s): %.0f msg/s, %.0f fdatasync/s, %.1f us each (p50 %.1f, p99 %.1f)", recordBytes,
                    headerBytes, batch, mode, messagesPerSecond(), syncsPerSecond(), microsPerSync(), p50Nanos / 1e3, p99Nanos / 1e3);
        }
    }

    private DiskSyncLimit() {
    }

    /** {@link #measure(Path, int, int, int, Mode, Duration)} with a 16-byte header, appending. */
    public static Result measure(Path dir, int recordBytes, int batch, Duration time) {
        return measure(dir, recordBytes, DEFAULT_HEADER, batch, Mode.APPEND, time);
    }

    /**
     * Writes batches of {@code batch} records of {@code headerBytes + recordBytes} bytes, one write
     * and one fdatasync per batch, for {@code time} after a short warm-up, into a new file in
     * {@code dir} that is deleted afterwards.
     *
     * @throws UncheckedIOException when the directory cannot be written
     */
    public static Result measure(Path dir, int recordBytes, int headerBytes, int batch, Mode mode, Duration time) {
        if (recordBytes < 0 || headerBytes < 0 || recordBytes + headerBytes == 0 || batch < 1 || time.isNegative() || time.isZero()) {
            throw new IllegalArgumentException("record " + recordBytes + ", header " + headerBytes + ", batch " + batch + ", time " + time);
        }
        int recordSize = headerBytes + recordBytes;
        long batchBytes = (long) recordSize * batch;
        if (batchBytes > Integer.MAX_VALUE / 2 || (mode == Mode.OVERWRITE && batchBytes > PREALLOCATED)) {
            throw new IllegalArgumentException("batch too large: " + batchBytes + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocateDirect((int) batchBytes);
        byte[] payload = new byte[recordBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        Path file = null;
        try {
            file = Files.createTempFile(dir, "zmq4j-disk-sync-", ".journal");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                if (mode == Mode.OVERWRITE) {
                    preallocate(ch);
                }
                long[] seq = {0};
                Latencies warm = new Latencies();
                loop(ch, mode, buf, payload, headerBytes, batch, seq, WARMUP.toNanos(), warm);
                Latencies lat = new Latencies();
                long start = System.nanoTime();
                long syncs = loop(ch, mode, buf, payload, headerBytes, batch, seq, time.toNanos(), lat);
                long nanos = System.nanoTime() - start;
                return new Result(recordBytes, headerBytes, batch, mode, syncs * batch, syncs, nanos, lat.percentile(50), lat.percentile(99));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("disk sync loop in " + dir, e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // left in the temp directory
                }
            }
        }
    }

    /** Medians of {@code reps} measurements of one cell, each in a fresh file. */
    public static Result median(Path dir, int recordBytes, int headerBytes, int batch, Mode mode, Duration time, int reps) {
        List<Result> rs = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            rs.add(measure(dir, recordBytes, headerBytes, batch, mode, time));
        }
        return medianOf(rs);
    }

    /** The result of the median rate among {@code rs} (all of one cell). */
    public static Result medianOf(List<Result> rs) {
        List<Result> s = new ArrayList<>(rs);
        s.sort((a, b) -> Double.compare(a.messagesPerSecond(), b.messagesPerSecond()));
        return s.get(s.size() / 2);
    }

    /** Write + fdatasync batches until {@code nanos} passed; the number of fdatasyncs. */
    private static long loop(FileChannel ch, Mode mode, ByteBuffer buf, byte[] payload, int header, int batch, long[] seq, long nanos,
            Latencies lat) throws IOException {
        long deadline = System.nanoTime() + nanos;
        long syncs = 0;
        long now;
        do {
            long t0 = System.nanoTime();
            buf.clear();
            for (int i = 0; i < batch; i++) {
                putRecord(buf, payload, header, seq[0]++);
            }
            buf.flip();
            if (mode == Mode.OVERWRITE && ch.position() + buf.remaining() > PREALLOCATED) {
                ch.position(0);
            }
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
            syncs++;
            now = System.nanoTime();
            lat.add(now - t0);
        } while (now < deadline);
        return syncs;
    }

    /** The durations of the batches of one window. */
    private static final class Latencies {
        private long[] values = new long[4096];
        private int n;

        void add(long v) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }

        long percentile(int p) {
            if (n == 0) {
                return 0;
            }
            long[] s = Arrays.copyOf(values, n);
            Arrays.sort(s);
            return s[Math.min(n - 1, (int) ((long) n * p / 100))];
        }
    }

    /** A record: the header (length, then the sequence number, then filler) and the payload. */
    private static void putRecord(ByteBuffer buf, byte[] payload, int header, long seq) {
        int start = buf.position();
        if (header >= 4) {
            buf.putInt(payload.length);
        }
        if (header >= 12) {
            buf.putLong(seq);
        }
        while (buf.position() - start < header) {
            buf.put((byte) 0);
        }
        buf.put(payload);
    }

    private static void preallocate(FileChannel ch) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (long at = 0; at < PREALLOCATED; at += zeros.capacity()) {
            zeros.clear();
            while (zeros.hasRemaining()) {
                ch.write(zeros, at + zeros.position());
            }
        }
        ch.force(true);
        ch.position(0);
    }
}
