package org.zmq4j.durable.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the next segment file ready: zero-filled to the segment size and synced on a background
 * thread ({@code zmq4j-journal-prealloc}), so a roll costs a header, a rename and a directory sync,
 * and the appends into it never extend the file.
 *
 * <p>Thread-safety: {@link #take()} from one thread at a time (the journal's append lock).
 */
final class Preallocator implements AutoCloseable {
    private static final String SUFFIX = ".prealloc";
    private static final AtomicLong NAMES = new AtomicLong();

    private final Path dir;
    private final long length;
    private final ExecutorService worker;
    private Future<Path> next;

    Preallocator(Path dir, long length) throws IOException {
        this.dir = dir;
        this.length = length;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                Files.delete(p); // half-made by a process that stopped: made again
            }
        }
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "zmq4j-journal-prealloc " + dir.getFileName());
            t.setDaemon(true);
            return t;
        });
        schedule();
    }

    private void schedule() {
        Path p = dir.resolve("next-" + NAMES.incrementAndGet() + SUFFIX);
        next = worker.submit(() -> {
            SegmentFile.preallocate(p, length);
            return p;
        });
    }

    /** A preallocated file (waiting for the one in the making), and the making of the next begins. */
    Path take() throws IOException {
        try {
            return next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while preallocating a segment in " + dir, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new UncheckedIOException(new IOException("preallocating a segment in " + dir + " failed", e.getCause()));
        } finally {
            schedule();
        }
    }

    /** Stops the background thread and deletes the file it prepared. */
    @Override
    public void close() {
        worker.shutdownNow();
        try {
            Path p = next.get();
            Files.deleteIfExists(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | IOException | java.util.concurrent.CancellationException e) {
            // nothing was made, or it is gone already
        }
    }
}
