package org.zmq4j.durable.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.zmq4j.durable.journal.JournalConfig;

/**
 * A {@link DurableSender}'s settings: its stable {@code id} (1 to 255 bytes of UTF-8; the receiver
 * keeps its progress under it), the journal directory and its {@link JournalConfig} (the fsync policy;
 * default {@code always}), the receiver's {@code endpoint}, the {@code window} (unacknowledged messages
 * before {@code send} waits, default 1000, like SNDHWM), the {@code sendTimeout} (how long {@code send}
 * waits for room, like SNDTIMEO: negative waits forever, the default), the {@code ackTimeout} after which
 * a silent receiver is asked where it is (default 1 s) and the ZMTP {@code heartbeat} that notices a
 * dead connection (default 1 s, timeout three times it).
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public record DurableSenderConfig(String id, Path journalDir, JournalConfig journal, String endpoint, int window,
        Duration sendTimeout, Duration ackTimeout, Duration heartbeat) {

    public DurableSenderConfig {
        Ddp.checkId(id);
        Objects.requireNonNull(journalDir, "journalDir");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1: " + window);
        }
        if (ackTimeout.isNegative() || ackTimeout.isZero() || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("ackTimeout and heartbeat must be positive: " + ackTimeout + ", " + heartbeat);
        }
    }

    /** A builder for the sender {@code id} journaling in {@code journalDir} and sending to {@code endpoint}. */
    public static Builder builder(String id, Path journalDir, String endpoint) {
        return new Builder(id, journalDir, endpoint);
    }

    /** Builds a {@link DurableSenderConfig}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private final Path journalDir;
        private final String endpoint;
        private JournalConfig journal = JournalConfig.defaults();
        private int window = 1000;
        private Duration sendTimeout = Duration.ofMillis(-1);
        private Duration ackTimeout = Duration.ofSeconds(1);
        private Duration heartbeat = Duration.ofSeconds(1);

        private Builder(String id, Path journalDir, String endpoint) {
            this.id = id;
            this.journalDir = journalDir;
            this.endpoint = endpoint;
        }

        public Builder journal(JournalConfig journal) {
            this.journal = journal;
            return this;
        }

        public Builder window(int window) {
            this.window = window;
            return this;
        }

        public Builder sendTimeout(Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
            return this;
        }

        public Builder ackTimeout(Duration ackTimeout) {
            this.ackTimeout = ackTimeout;
            return this;
        }

        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        public DurableSenderConfig build() {
            return new DurableSenderConfig(id, journalDir, journal, endpoint, window, sendTimeout, ackTimeout, heartbeat);
        }
    }
}
