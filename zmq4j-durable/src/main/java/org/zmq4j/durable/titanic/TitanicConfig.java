package org.zmq4j.durable.titanic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.zmq4j.durable.journal.JournalConfig;

/**
 * A {@link TitanicServer}'s settings: the Majordomo broker(s) (an HA pair's two endpoints, or one),
 * the store directory and its {@link JournalConfig} (fsync policy; default {@code always}), the MDP
 * heartbeat of its three service workers (default 2.5 s, MDP's), how long a dispatched request may
 * take before it is tried again later ({@code dispatchTimeout}, default 5 s), and how long a service
 * without workers is left alone before the next try ({@code retryInterval}, default 1 s).
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public record TitanicConfig(List<String> brokers, Path storeDir, JournalConfig journal, Duration heartbeat,
        Duration dispatchTimeout, Duration retryInterval) {

    public TitanicConfig {
        brokers = List.copyOf(brokers);
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("Titanic needs a broker endpoint");
        }
        Objects.requireNonNull(storeDir, "storeDir");
        Objects.requireNonNull(journal, "journal");
        for (Duration d : List.of(heartbeat, dispatchTimeout, retryInterval)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("heartbeat, dispatchTimeout and retryInterval must be positive: " + d);
            }
        }
    }

    public static Builder builder(String broker, Path storeDir) {
        return new Builder(List.of(broker), storeDir);
    }

    public static Builder builder(List<String> brokers, Path storeDir) {
        return new Builder(brokers, storeDir);
    }

    /** Builds a {@link TitanicConfig}. Not thread-safe. */
    public static final class Builder {
        private final List<String> brokers;
        private final Path storeDir;
        private JournalConfig journal = JournalConfig.defaults();
        private Duration heartbeat = Duration.ofMillis(2500);
        private Duration dispatchTimeout = Duration.ofSeconds(5);
        private Duration retryInterval = Duration.ofSeconds(1);

        private Builder(List<String> brokers, Path storeDir) {
            this.brokers = brokers;
            this.storeDir = storeDir;
        }

        public Builder journal(JournalConfig journal) {
            this.journal = journal;
            return this;
        }

        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        public Builder dispatchTimeout(Duration dispatchTimeout) {
            this.dispatchTimeout = dispatchTimeout;
            return this;
        }

        public Builder retryInterval(Duration retryInterval) {
            this.retryInterval = retryInterval;
            return this;
        }

        public TitanicConfig build() {
            return new TitanicConfig(brokers, storeDir, journal, heartbeat, dispatchTimeout, retryInterval);
        }
    }
}
