package org.zmq4j.durable.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.zmq4j.durable.journal.JournalConfig;

/**
 * A {@link DurableReceiver}'s settings: the {@code endpoint} it binds, the {@code stateDir} where it
 * keeps each sender's progress (a journal, with its {@link JournalConfig}; default fsync policy
 * {@code always}), the most senders it serves ({@code maxSenders}, default 10,000), and the ZMTP
 * {@code heartbeat} that notices dead connections (default 1 s).
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public record DurableReceiverConfig(String endpoint, Path stateDir, JournalConfig journal, int maxSenders,
        long maxMessageBytes, Duration heartbeat) {

    public DurableReceiverConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(journal, "journal");
        if (maxSenders < 1) {
            throw new IllegalArgumentException("maxSenders must be >= 1: " + maxSenders);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be >= 1: " + maxMessageBytes);
        }
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive: " + heartbeat);
        }
    }

    public static Builder builder(String endpoint, Path stateDir) {
        return new Builder(endpoint, stateDir);
    }

    /** Builds a {@link DurableReceiverConfig}. Not thread-safe. */
    public static final class Builder {
        private final String endpoint;
        private final Path stateDir;
        private JournalConfig journal = JournalConfig.defaults();
        private int maxSenders = 10_000;
        private long maxMessageBytes = JournalConfig.DEFAULT_MAX_RECORD_BYTES;
        private Duration heartbeat = Duration.ofSeconds(1);

        private Builder(String endpoint, Path stateDir) {
            this.endpoint = endpoint;
            this.stateDir = stateDir;
        }

        public Builder journal(JournalConfig journal) {
            this.journal = journal;
            return this;
        }

        public Builder maxSenders(int maxSenders) {
            this.maxSenders = maxSenders;
            return this;
        }

        public Builder maxMessageBytes(long maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        public DurableReceiverConfig build() {
            return new DurableReceiverConfig(endpoint, stateDir, journal, maxSenders, maxMessageBytes, heartbeat);
        }
    }
}
