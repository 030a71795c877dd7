package org.zmq4j.durable.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What opening a {@link FileJournal} found and repaired: the records kept, and each cut (a torn
 * or corrupt tail truncated, a segment after a corrupt one deleted) with its reason.
 *
 * <p>Thread-safety: immutable.
 */
public record RecoveryReport(long firstIndex, long nextIndex, int segments, List<Cut> cuts) {
    /** One repair: bytes {@code from} to {@code to} of {@code file} dropped, and why. */
    public record Cut(Path file, long from, long to, String reason) {
        @Override
        public String toString() {
            return file.getFileName() + " bytes " + from + ".." + to + ": " + reason;
        }
    }

    public RecoveryReport {
        cuts = List.copyOf(cuts);
    }

    /** True when nothing had to be cut. */
    public boolean clean() {
        return cuts.isEmpty();
    }

    /** Collects cuts while a journal opens. Not thread-safe. */
    static final class Builder {
        final List<Cut> cuts = new ArrayList<>();

        void cut(Path file, long from, long to, String reason) {
            cuts.add(new Cut(file, from, to, reason));
        }
    }
}
