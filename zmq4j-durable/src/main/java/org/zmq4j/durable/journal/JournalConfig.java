package org.zmq4j.durable.journal;

import java.util.Objects;

/**
 * How a {@link FileJournal} stores: the {@link FsyncPolicy} (default {@link FsyncPolicy#always()}),
 * the segment size (default 64 MiB; a segment is completed when the next record would not fit) and
 * the largest record (default 16 MiB; longer lengths found on recovery mean a corrupt record).
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public record JournalConfig(FsyncPolicy policy, long segmentBytes, int maxRecordBytes) {
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;

    public JournalConfig {
        Objects.requireNonNull(policy, "policy");
        if (maxRecordBytes < 0) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 0: " + maxRecordBytes);
        }
        if (segmentBytes < SegmentFile.HEADER_BYTES + RecordCodec.HEADER_BYTES || segmentBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("segmentBytes must be between " + (SegmentFile.HEADER_BYTES + RecordCodec.HEADER_BYTES)
                    + " and " + Integer.MAX_VALUE + ": " + segmentBytes);
        }
    }

    /** The defaults. */
    public static JournalConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link JournalConfig}. Not thread-safe. */
    public static final class Builder {
        private FsyncPolicy policy = FsyncPolicy.always();
        private long segmentBytes = DEFAULT_SEGMENT_BYTES;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;

        private Builder() {
        }

        public Builder policy(FsyncPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder segmentBytes(long segmentBytes) {
            this.segmentBytes = segmentBytes;
            return this;
        }

        public Builder maxRecordBytes(int maxRecordBytes) {
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        public JournalConfig build() {
            return new JournalConfig(policy, segmentBytes, maxRecordBytes);
        }
    }
}
