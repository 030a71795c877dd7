package org.zmq4j.durable.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * One segment of a {@link FileJournal}: a file named by its base index ({@code %020d.seg}) holding a
 * 16-byte header (magic {@code ZJL1}, version 1, base index) and records in {@link RecordCodec}'s
 * frame, then zeros: segments are preallocated (zero-filled and synced before they take records),
 * so an fdatasync after an append writes the data alone, not the file's new size. An all-zero
 * record header marks the end of the records. Keeps the offset of each record for random reads.
 *
 * <p>Thread-safety: not thread-safe; {@link FileJournal} guards it (positional reads excepted).
 */
final class SegmentFile implements AutoCloseable {
    static final int HEADER_BYTES = 16;
    static final int MAGIC = 0x5A4A4C31; // "ZJL1"
    static final int VERSION = 1;
    static final String SUFFIX = ".seg";

    final Path path;
    final long base;
    final FileChannel channel;
    private int[] offsets = new int[1024];
    private int count;
    private long size;

    private SegmentFile(Path path, long base, FileChannel channel, long size) {
        this.path = path;
        this.base = base;
        this.channel = channel;
        this.size = size;
    }

    static String fileName(long base) {
        return String.format(Locale.ROOT, "%020d%s", base, SUFFIX);
    }

    /** The base index a segment file's name gives, or -1 when the name is not a segment's. */
    static long baseOf(String fileName) {
        if (!fileName.endsWith(SUFFIX) || fileName.length() != 20 + SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Makes a zero-filled file of {@code length} bytes at {@code path}, synced: a segment to be.
     */
    static void preallocate(Path path, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            zeroFill(ch, 0, length);
            ch.force(true);
        }
    }

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);

    private static void zeroFill(FileChannel ch, long from, long to) throws IOException {
        long p = from;
        while (p < to) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(z.capacity(), to - p));
            p += ch.write(z, p);
        }
    }

    /**
     * Turns the preallocated file {@code prepared} (from {@link #preallocate}) into the segment starting
     * at {@code base}: header written and fdatasynced, renamed to its name (the caller syncs the directory).
     */
    static SegmentFile create(Path dir, long base, Path prepared) throws IOException {
        Path path = dir.resolve(fileName(base));
        FileChannel ch = FileChannel.open(prepared, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            SegmentFile s = new SegmentFile(path, base, ch, 0);
            s.writeHeader();
            java.nio.file.Files.move(prepared, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return s;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void writeHeader() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).putLong(base).flip();
        while (h.hasRemaining()) {
            channel.write(h, HEADER_BYTES - h.remaining());
        }
        channel.force(false);
        size = HEADER_BYTES;
        count = 0;
        channel.position(size);
    }

    /**
     * Opens an existing segment and scans it: every record up to the first that is torn, too long
     * or fails its CRC is kept; the rest of the file is cut off (and the cut fdatasynced).
     *
     * @param report told what was cut
     */
    static SegmentFile open(Path path, long base, int maxRecordBytes, RecordCodec codec, RecoveryReport.Builder report)
            throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long fileSize = ch.size();
        SegmentFile s = new SegmentFile(path, base, ch, fileSize);
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
        readFully(ch, h, 0);
        h.flip();
        if (h.remaining() < HEADER_BYTES || h.getInt() != MAGIC || h.getInt() != VERSION || h.getLong() != base) {
            report.cut(path, 0, fileSize, "bad or torn segment header");
            zeroFill(ch, 0, fileSize);
            s.writeHeader();
            return s;
        }
        long valid = s.scan(maxRecordBytes, codec, fileSize, report);
        if (valid < fileSize) {
            // the rest must be zeros (preallocated); anything else is a torn write or garbage: zero it
            long dirty = firstNonZero(ch, valid, fileSize);
            if (dirty >= 0) {
                if (report.cuts.isEmpty() || !report.cuts.get(report.cuts.size() - 1).file().equals(path)) {
                    report.cut(path, dirty, fileSize, "bytes after the last record");
                }
                zeroFill(ch, valid, fileSize);
                ch.force(true);
            }
        }
        s.size = valid;
        ch.position(valid);
        return s;
    }

    /** The offset of the first non-zero byte in [from, to), or -1. */
    private static long firstNonZero(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long p = from;
        while (p < to) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), to - p));
            int n = ch.read(buf, p);
            if (n <= 0) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) != 0) {
                    return p + i;
                }
            }
            p += n;
        }
        return -1;
    }

    /** Zero-fills the file up to {@code length} bytes when it is shorter (a segment from before preallocation). */
    void extendTo(long length) throws IOException {
        long now = channel.size();
        if (now < length) {
            zeroFill(channel, now, length);
            channel.force(true);
        }
    }

    private long scan(int maxRecordBytes, RecordCodec codec, long fileSize, RecoveryReport.Builder report) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        buf.limit(0);
        long bufStart = HEADER_BYTES; // file offset of buf's position 0
        long pos = HEADER_BYTES;
        while (true) {
            if (pos == fileSize) {
                return pos;
            }
            if (fileSize - pos < RecordCodec.HEADER_BYTES) {
                return pos; // no room for a header: the end (open() cuts what is there if it is not zeros)
            }
            // make the header and, when it fits, the payload available in buf
            if (pos + RecordCodec.HEADER_BYTES > bufStart + buf.limit()) {
                buf.clear();
                bufStart = pos;
                readFully(channel, buf, pos);
                buf.flip();
            }
            int at = (int) (pos - bufStart);
            int length = buf.getInt(at);
            int crc = buf.getInt(at + 4);
            if (length == 0 && crc == 0) {
                return pos; // the preallocated zeros: the end of the records
            }
            if (length < 0 || length > maxRecordBytes) {
                report.cut(path, pos, fileSize, "record length " + length + " out of range");
                return pos;
            }
            if (pos + RecordCodec.HEADER_BYTES + length > fileSize) {
                report.cut(path, pos, fileSize, "torn record (" + length + " bytes announced)");
                return pos;
            }
            ByteBuffer payload;
            long payloadAt = pos + RecordCodec.HEADER_BYTES;
            if (payloadAt + length <= bufStart + buf.limit()) {
                payload = buf.duplicate();
                payload.position((int) (payloadAt - bufStart)).limit((int) (payloadAt - bufStart) + length);
            } else if (RecordCodec.HEADER_BYTES + length <= buf.capacity()) {
                buf.clear();
                bufStart = pos;
                readFully(channel, buf, pos);
                buf.flip();
                payload = buf.duplicate();
                payload.position(RecordCodec.HEADER_BYTES).limit(RecordCodec.HEADER_BYTES + length);
            } else {
                payload = ByteBuffer.allocate(length);
                readFully(channel, payload, payloadAt);
                payload.flip();
            }
            if (codec.checksum(base + count, payload) != crc) {
                report.cut(path, pos, fileSize, "CRC mismatch");
                return pos;
            }
            addOffset(pos);
            pos = payloadAt + length;
        }
    }

    private void addOffset(long pos) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        offsets[count++] = (int) pos;
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long at) throws IOException {
        long p = at;
        while (into.hasRemaining()) {
            int n = ch.read(into, p);
            if (n < 0) {
                return;
            }
            p += n;
        }
    }

    /** Bytes in the file. */
    long size() {
        return size;
    }

    /** Records in the segment. */
    int count() {
        return count;
    }

    /** One past the last record's index. */
    long end() {
        return base + count;
    }

    /** Writes the given buffers (headers and payloads of {@code records} records) at the end. */
    void write(ByteBuffer[] buffers, int[] recordLengths, int records) throws IOException {
        long pos = size;
        long total = 0;
        for (ByteBuffer b : buffers) {
            total += b.remaining();
        }
        long written = 0;
        channel.position(pos);
        while (written < total) {
            written += channel.write(buffers);
        }
        for (int i = 0; i < records; i++) {
            addOffset(pos);
            pos += RecordCodec.HEADER_BYTES + recordLengths[i];
        }
        size = pos;
    }

    /** Reads record {@code index} (of this segment), checking its CRC. */
    byte[] read(long index, RecordCodec codec) throws IOException {
        int ordinal = (int) (index - base);
        long pos = offsets[ordinal];
        long next = ordinal + 1 < count ? offsets[ordinal + 1] : size;
        ByteBuffer all = ByteBuffer.allocate((int) (next - pos));
        readFully(channel, all, pos);
        all.flip();
        int length = all.getInt();
        int crc = all.getInt();
        if (length != all.remaining()) {
            throw new IOException(path + ": record " + index + " changed on disk (length " + length + ")");
        }
        if (codec.checksum(index, all) != crc) {
            throw new IOException(path + ": record " + index + " changed on disk (CRC mismatch)");
        }
        byte[] out = new byte[length];
        all.get(out);
        return out;
    }

    void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
