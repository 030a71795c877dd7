package org.zmq4j.patterns.mdp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link MajordomoClient} calls: the brokers it fails over across (tried in turn, one per
 * attempt), its protocol version, how long it waits for each reply and how many times it retries.
 * Immutable.
 *
 * @param brokers the brokers' endpoints, at least one; attempt {@code n} goes to broker {@code n % size}
 * @param version MDP/0.1 or MDP/0.2
 * @param timeout how long an attempt waits for the reply (for MDP/0.2: for the next partial or final one)
 * @param retries attempts after the first (the zguide's Lazy Pirate uses 2: three attempts)
 */
public record ClientConfig(List<String> brokers, MdpVersion version, Duration timeout, int retries) {
    /** The zguide's client values: 2.5 s per attempt, 2 retries. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(2500);
    /** Attempts after the first by default. */
    public static final int DEFAULT_RETRIES = 2;

    /** Checks and copies. */
    public ClientConfig {
        brokers = List.copyOf(brokers);
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(timeout, "timeout");
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("a Majordomo client needs at least one broker endpoint");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more, not " + retries);
        }
    }

    /** MDP/0.1 to one broker with the default timeout and retries. */
    public static ClientConfig of(String broker) {
        return new ClientConfig(List.of(broker), MdpVersion.MDP01, DEFAULT_TIMEOUT, DEFAULT_RETRIES);
    }

    /** This configuration with another version. */
    public ClientConfig withVersion(MdpVersion v) {
        return new ClientConfig(brokers, v, timeout, retries);
    }

    /** This configuration with another timeout. */
    public ClientConfig withTimeout(Duration t) {
        return new ClientConfig(brokers, version, t, retries);
    }

    /** This configuration with another number of retries. */
    public ClientConfig withRetries(int r) {
        return new ClientConfig(brokers, version, timeout, r);
    }

    /** This configuration with other brokers. */
    public ClientConfig withBrokers(List<String> b) {
        return new ClientConfig(b, version, timeout, retries);
    }
}
