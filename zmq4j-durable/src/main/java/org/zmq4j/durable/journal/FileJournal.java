package org.zmq4j.durable.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.lang.System.Logger.Level;

/**
 * The journal in a directory of segment files: append-only, each record framed with its length and a
 * CRC32C, segments of {@link JournalConfig#segmentBytes()} named by their first index, the directory
 * fsynced when a segment is created or deleted. Opening scans every segment and cuts a torn or
 * corrupt tail (and drops the segments after a corrupt one), so what remains is always a prefix of
 * what was appended; {@link #recoveryReport()} says what was cut. A lock file keeps a second process
 * (or a second open in this one) out.
 *
 * <p>The {@link FsyncPolicy} decides when records become durable: {@code always} in {@link #append}
 * (concurrent appenders share fdatasyncs), {@code group} on a background thread named
 * {@code zmq4j-journal-sync}, {@code os} never (completed segments and {@link #close()} excepted).
 *
 * <p>Thread-safety: thread-safe. Appends are serialized by a lock; fdatasync runs outside it.
 */
public final class FileJournal implements Journal {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.durable.journal");
    private static final String LOCK_FILE = "journal.lock";
    private static final String ID_FILE = "journal.id";

    private final Path dir;
    private final JournalConfig config;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final long journalId;
    private final RecoveryReport recoveryReport;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Object syncMonitor = new Object();
    private final RecordCodec codec = new RecordCodec();
    private final CopyOnWriteArrayList<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    /** By base index; the last is the one appended to. Guarded by appendLock. */
    private final TreeMap<Long, SegmentFile> segments = new TreeMap<>();
    private final Thread syncer;
    private final Preallocator preallocator;

    private volatile long nextIndex;
    private volatile long durableIndex;
    /** Every record below this index was fdatasynced (under the os policy it lags durableIndex). */
    private volatile long forcedIndex;
    private volatile long firstUnsyncedNanos;
    private volatile IOException failure;
    private volatile boolean closed;
    /** fdatasyncs of records, and the nanoseconds they took (for metrics). */
    private final java.util.concurrent.atomic.AtomicLong fsyncs = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong fsyncNanos = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastFsyncNanos;
    private ByteBuffer[] gather = new ByteBuffer[2];
    private int[] lengths = new int[1];
    private final ByteBuffer oneHeader = ByteBuffer.allocate(RecordCodec.HEADER_BYTES);

    private FileJournal(Path dir, JournalConfig config, FileChannel lockChannel, FileLock lock) throws IOException {
        this.dir = dir;
        this.config = config;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.journalId = readOrCreateId();
        this.preallocator = new Preallocator(dir, config.segmentBytes());
        try {
            this.recoveryReport = recover();
        } catch (IOException | RuntimeException e) {
            preallocator.close();
            for (SegmentFile s : segments.values()) {
                s.close();
            }
            throw e;
        }
        this.durableIndex = nextIndex;
        this.forcedIndex = nextIndex;
        if (config.policy().kind() == FsyncPolicy.Kind.GROUP) {
            syncer = new Thread(this::syncLoop, "zmq4j-journal-sync " + dir.getFileName());
            syncer.setDaemon(true);
            syncer.start();
        } else {
            syncer = null;
        }
    }

    /**
     * Opens (creating it when missing) the journal in {@code dir} and recovers it.
     *
     * @throws IOException when the directory cannot be used, or another process (or another open in
     *                     this one) has the journal open
     */
    public static FileJournal open(Path dir, JournalConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        Files.createDirectories(dir);
        FileChannel lc = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock fl;
        try {
            fl = lc.tryLock();
        } catch (OverlappingFileLockException e) {
            fl = null;
        }
        if (fl == null) {
            lc.close();
            throw new IOException("journal " + dir + " is open already (by another process, or in this one): "
                    + dir.resolve(LOCK_FILE) + " is locked");
        }
        try {
            return new FileJournal(dir, config, lc, fl);
        } catch (IOException | RuntimeException e) {
            fl.release();
            lc.close();
            throw e;
        }
    }


    /** {@link #open(Path, JournalConfig)} with the defaults (policy {@code always}). */
    public static FileJournal open(Path dir) throws IOException {
        return open(dir, JournalConfig.defaults());
    }

    private long readOrCreateId() throws IOException {
        Path file = dir.resolve(ID_FILE);
        if (Files.exists(file)) {
            byte[] b = Files.readAllBytes(file);
            if (b.length == 8) {
                return ByteBuffer.wrap(b).getLong();
            }
            throw new IOException(file + " is damaged (" + b.length + " bytes, expected 8): it names this journal;"
                    + " remove the directory to start a new one");
        }
        long id = new SecureRandom().nextLong();
        Path tmp = dir.resolve(ID_FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.allocate(8).putLong(id).flip());
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory();
        return id;
    }

    private RecoveryReport recover() throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                long base = SegmentFile.baseOf(p.getFileName().toString());
                if (base >= 0) {
                    found.put(base, p);
                }
            }
        }
        RecoveryReport.Builder report = new RecoveryReport.Builder();
        boolean dropRest = false;
        boolean dirChanged = false;
        long expected = -1;
        for (var e : found.entrySet()) {
            Path p = e.getValue();
            if (!dropRest && expected >= 0 && e.getKey() != expected) {
                report.cut(p, 0, Files.size(p), "segment starts at " + e.getKey() + ", expected " + expected);
                dropRest = true;
            } else if (dropRest) {
                report.cut(p, 0, Files.size(p), "follows a cut segment");
            }
            if (dropRest) {
                Files.delete(p);
                dirChanged = true;
                continue;
            }
            SegmentFile s = SegmentFile.open(p, e.getKey(), config.maxRecordBytes(), codec, report);
            segments.put(s.base, s);
            expected = s.end(); // a segment cut short ends the prefix: the next one will not start here
        }
        if (segments.isEmpty()) {
            segments.put(0L, SegmentFile.create(dir, 0, preallocator.take()));
            dirChanged = true;
        } else {
            segments.lastEntry().getValue().extendTo(config.segmentBytes());
        }
        if (dirChanged) {
            syncDirectory();
        }
        nextIndex = segments.lastEntry().getValue().end();
        RecoveryReport r = new RecoveryReport(segments.firstKey(), nextIndex, segments.size(), report.cuts);
        if (!r.clean()) {
            LOG.log(Level.WARNING, "journal {0} recovered records {1}..{2}; cut: {3}",
                    dir, r.firstIndex(), r.nextIndex() - 1, r.cuts());
        }
        return r;
    }

    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** What opening found and repaired. */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    public JournalConfig config() {
        return config;
    }

    @Override
    public long journalId() {
        return journalId;
    }

    @Override
    public long append(ByteBuffer record) throws IOException {
        Objects.requireNonNull(record, "record");
        long index;
        appendLock.lock();
        try {
            checkOpen();
            checkSize(record.remaining());
            SegmentFile s = segmentFor(record.remaining());
            index = s.end();
            oneHeader.clear();
            codec.header(index, record, oneHeader);
            oneHeader.flip();
            gather[0] = oneHeader;
            gather[1] = record.duplicate();
            lengths[0] = record.remaining();
            write(s, gather, 2, lengths, 1);
            gather[1] = null;
        } finally {
            appendLock.unlock();
        }
        afterAppend(index + 1);
        return index;
    }

    @Override
    public long appendAll(ByteBuffer... records) throws IOException {
        if (records.length == 0) {
            return nextIndex;
        }
        long first;
        long end;
        appendLock.lock();
        try {
            checkOpen();
            for (ByteBuffer r : records) {
                checkSize(r.remaining());
            }
            first = nextIndex;
            int i = 0;
            while (i < records.length) {
                SegmentFile s = segmentFor(records[i].remaining());
                long room = config.segmentBytes() - s.size();
                int n = 0;
                long bytes = 0;
                while (i + n < records.length
                        && (n == 0 || bytes + RecordCodec.HEADER_BYTES + records[i + n].remaining() <= room)) {
                    bytes += RecordCodec.HEADER_BYTES + records[i + n].remaining();
                    n++;
                }
                if (gather.length < 2 * n) {
                    gather = new ByteBuffer[2 * n];
                }
                if (lengths.length < n) {
                    lengths = new int[n];
                }
                ByteBuffer headers = ByteBuffer.allocate(RecordCodec.HEADER_BYTES * n);
                long index = s.end();
                for (int k = 0; k < n; k++) {
                    ByteBuffer r = records[i + k];
                    int at = headers.position();
                    codec.header(index + k, r, headers);
                    gather[2 * k] = headers.duplicate().position(at).limit(at + RecordCodec.HEADER_BYTES);
                    gather[2 * k + 1] = r.duplicate();
                    lengths[k] = r.remaining();
                }
                write(s, gather, 2 * n, lengths, n);
                java.util.Arrays.fill(gather, 0, 2 * n, null);
                i += n;
            }
            end = nextIndex;
        } finally {
            appendLock.unlock();
        }
        afterAppend(end);
        return first;
    }

    private void checkOpen() throws IOException {
        if (failure != null) {
            throw new IOException("journal " + dir + " failed earlier and takes no more appends (reopen it to recover): "
                    + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IOException("journal " + dir + " is closed");
        }
    }

    private void checkSize(int length) {
        if (length > config.maxRecordBytes()) {
            throw new IllegalArgumentException("record of " + length + " bytes is above the journal's maxRecordBytes "
                    + config.maxRecordBytes() + " (" + dir + ")");
        }
    }

    /** The segment a record of {@code length} goes to, rolling to a new one when it does not fit. Under appendLock. */
    private SegmentFile segmentFor(int length) throws IOException {
        SegmentFile s = segments.lastEntry().getValue();
        if (s.count() > 0 && s.size() + RecordCodec.HEADER_BYTES + length > config.segmentBytes()) {
            try {
                force(s); // a completed segment is durable whatever the policy
                forcedIndex = Math.max(forcedIndex, s.end());
                SegmentFile next = SegmentFile.create(dir, s.end(), preallocator.take());
                segments.put(next.base, next);
                syncDirectory();
                s = next;
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
        return s;
    }

    private void write(SegmentFile s, ByteBuffer[] buffers, int used, int[] recordLengths, int records) throws IOException {
        try {
            ByteBuffer[] b = used == buffers.length ? buffers : java.util.Arrays.copyOf(buffers, used);
            if (nextIndex == durableIndex) {
                firstUnsyncedNanos = System.nanoTime();
            }
            s.write(b, recordLengths, records);
            nextIndex = s.end();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    private void afterAppend(long end) throws IOException {
        switch (config.policy().kind()) {
            case ALWAYS -> syncTo(end);
            case OS -> advanceDurable(end);
            case GROUP -> {
                synchronized (syncMonitor) {
                    syncMonitor.notifyAll();
                }
            }
        }
    }

    /** fdatasyncs unless {@code end} is durable already; concurrent callers share one fdatasync. */
    private void syncTo(long end) throws IOException {
        if (durableIndex >= end) {
            return;
        }
        synchronized (this) { // one fdatasync at a time; the callers queued behind it often find their records covered
            if (durableIndex >= end) {
                return;
            }
            advanceDurable(forceTo());
        }
    }

    /** fdatasyncs a segment, timing it. */
    private void force(SegmentFile s) throws IOException {
        long start = System.nanoTime();
        s.force();
        long took = System.nanoTime() - start;
        fsyncNanos.addAndGet(took);
        lastFsyncNanos = took;
        fsyncs.incrementAndGet(); // last: a reader that sees the count sees its time
    }

    /**
     * The fdatasyncs that made records durable since this journal opened (under the policy, when a
     * segment completes, at {@link #sync()} and close); directory syncs are not counted. Any thread.
     */
    public long fsyncCount() {
        return fsyncs.get();
    }

    /** The time those fdatasyncs took, added up, in nanoseconds. Any thread. */
    public long fsyncNanos() {
        return fsyncNanos.get();
    }

    /** The time the last of them took, in nanoseconds (0 before the first). Any thread. */
    public long lastFsyncNanos() {
        return lastFsyncNanos;
    }

    private void advanceDurable(long target) {
        boolean advanced = false;
        synchronized (syncMonitor) {
            if (target > durableIndex) {
                durableIndex = target;
                advanced = true;
                syncMonitor.notifyAll();
            }
        }
        if (advanced) {
            for (LongConsumer l : listeners) {
                l.accept(target);
            }
        }
    }

    private void syncLoop() {
        long maxDelay = config.policy().maxDelay().toNanos();
        try {
            while (!closed) {
                synchronized (syncMonitor) {
                    while (!closed && nextIndex == durableIndex) {
                        syncMonitor.wait(1000);
                    }
                    if (closed) {
                        break;
                    }
                    long wait = firstUnsyncedNanos + maxDelay - System.nanoTime();
                    while (!closed && wait > 0) {
                        syncMonitor.wait(wait / 1_000_000, (int) (wait % 1_000_000));
                        wait = firstUnsyncedNanos + maxDelay - System.nanoTime();
                    }
                }
                try {
                    syncTo(nextIndex);
                } catch (IOException e) {
                    LOG.log(Level.ERROR, "journal " + dir + ": fdatasync failed; no more appends", e);
                    synchronized (syncMonitor) {
                        syncMonitor.notifyAll();
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long nextIndex() {
        return nextIndex;
    }

    @Override
    public long firstIndex() {
        appendLock.lock();
        try {
            return segments.firstKey();
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public long durableIndex() {
        return durableIndex;
    }

    @Override
    public void sync() throws IOException {
        long end = nextIndex;
        if (forcedIndex < end) {
            synchronized (this) {
                forceTo(); // under the os policy durableIndex is already there: this is the fdatasync sync() promises
            }
        }
        syncTo(end);
    }

    /** fdatasyncs the last segment and records what that covered. Under this object's lock. */
    private long forceTo() throws IOException {
        SegmentFile s;
        long target;
        appendLock.lock();
        try {
            s = segments.lastEntry().getValue();
            target = nextIndex;
        } finally {
            appendLock.unlock();
        }
        try {
            force(s);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        forcedIndex = Math.max(forcedIndex, target);
        return target;
    }

    @Override
    public boolean awaitDurable(long index, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (syncMonitor) {
            while (durableIndex <= index) {
                if (failure != null) {
                    throw new IOException("journal " + dir + " failed: " + failure.getMessage(), failure);
                }
                if (index >= nextIndex) {
                    throw new IllegalArgumentException("index " + index + " was not appended yet (next is " + nextIndex + ")");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                syncMonitor.wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        }
        return true;
    }

    @Override
    public void onDurable(LongConsumer listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public byte[] read(long index) throws IOException {
        SegmentFile s;
        appendLock.lock();
        try {
            var e = segments.floorEntry(index);
            if (e == null || index >= e.getValue().end()) {
                throw new IllegalArgumentException("record " + index + " is not in journal " + dir + " (it holds "
                        + segments.firstKey() + ".." + (nextIndex - 1) + ")");
            }
            s = e.getValue();
            return s.read(index, codec);
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public void replay(long fromIndex, RecordHandler handler) throws IOException {
        List<SegmentFile> snapshot;
        long end;
        appendLock.lock();
        try {
            snapshot = new ArrayList<>(segments.values());
            end = nextIndex;
        } finally {
            appendLock.unlock();
        }
        RecordCodec readCodec = new RecordCodec();
        for (SegmentFile s : snapshot) {
            long last = Math.min(s.end(), end);
            for (long i = Math.max(fromIndex, s.base); i < last; i++) {
                handler.accept(i, ByteBuffer.wrap(s.read(i, readCodec)));
            }
        }
    }

    @Override
    public void release(long index) throws IOException {
        appendLock.lock();
        try {
            boolean deleted = false;
            while (segments.size() > 1) {
                var first = segments.firstEntry();
                long nextBase = segments.higherKey(first.getKey());
                if (nextBase > index) {
                    break;
                }
                segments.pollFirstEntry();
                first.getValue().close();
                Files.deleteIfExists(first.getValue().path);
                deleted = true;
            }
            if (deleted) {
                syncDirectory();
            }
        } finally {
            appendLock.unlock();
        }
    }

    /** Segment files now held. */
    public int segmentCount() {
        appendLock.lock();
        try {
            return segments.size();
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        IOException first = null;
        try {
            if (failure == null) {
                sync();
            }
        } catch (IOException e) {
            first = e;
        }
        closed = true;
        synchronized (syncMonitor) {
            syncMonitor.notifyAll();
        }
        if (syncer != null) {
            try {
                syncer.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        appendLock.lock();
        try {
            for (SegmentFile s : segments.values()) {
                try {
                    s.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            segments.clear();
            preallocator.close();
            lock.release();
            lockChannel.close();
        } finally {
            appendLock.unlock();
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "FileJournal[" + dir + ", " + config.policy() + ", next index " + nextIndex + "]";
    }
}
