package org.zmq4j.patterns.mdp;

import java.time.Duration;

/**
 * How a {@link MajordomoBroker} runs. Immutable; start from {@link #defaults()} and change what you
 * need with the {@code with...} methods.
 *
 * @param heartbeat           how often workers get a HEARTBEAT (MDP: 2.5 s)
 * @param liveness            heartbeats a worker may miss before it is forgotten (3)
 * @param maxQueuedPerService requests a service may have waiting for a worker; beyond, the
 *                            client is answered "503" at once (10,000)
 * @param maxServices         services known at once (a flood of made-up names is answered "503")
 * @param requestTtl          how long a request may wait for a worker before it is dropped (the
 *                            client's own retry asks again): 30 s
 * @param busyTimeout         how long a worker may work on one request without a word before it
 *                            is taken for dead (a worker that runs its handler cannot heartbeat;
 *                            one killed mid-request is forgotten after this): 15 minutes
 */
public record BrokerConfig(Duration heartbeat, int liveness, int maxQueuedPerService, int maxServices, Duration requestTtl,
        Duration busyTimeout) {
    /** The defaults: the MDP RFCs' and the zguide's values. */
    public static BrokerConfig defaults() {
        return new BrokerConfig(Duration.ofMillis(2500), 3, 10_000, 10_000, Duration.ofSeconds(30), Duration.ofMinutes(15));
    }

    /** Checks the values. */
    public BrokerConfig {
        if (heartbeat.isNegative() || heartbeat.isZero() || liveness < 1 || maxQueuedPerService < 1 || maxServices < 1
                || requestTtl.isNegative() || requestTtl.isZero() || busyTimeout.isNegative() || busyTimeout.isZero()) {
            throw new IllegalArgumentException("invalid broker configuration: " + heartbeat + ", liveness " + liveness
                    + ", queue " + maxQueuedPerService + ", services " + maxServices + ", ttl " + requestTtl
                    + ", busy timeout " + busyTimeout);
        }
    }

    /** @return this configuration with another heartbeat interval */
    public BrokerConfig withHeartbeat(Duration d) {
        return new BrokerConfig(d, liveness, maxQueuedPerService, maxServices, requestTtl, busyTimeout);
    }

    /** @return this configuration with another liveness */
    public BrokerConfig withLiveness(int n) {
        return new BrokerConfig(heartbeat, n, maxQueuedPerService, maxServices, requestTtl, busyTimeout);
    }

    /** @return this configuration with another bound on each service's queue */
    public BrokerConfig withMaxQueuedPerService(int n) {
        return new BrokerConfig(heartbeat, liveness, n, maxServices, requestTtl, busyTimeout);
    }

    /** @return this configuration with another request time-to-live */
    public BrokerConfig withRequestTtl(Duration d) {
        return new BrokerConfig(heartbeat, liveness, maxQueuedPerService, maxServices, d, busyTimeout);
    }

    /** @return this configuration with another busy timeout */
    public BrokerConfig withBusyTimeout(Duration d) {
        return new BrokerConfig(heartbeat, liveness, maxQueuedPerService, maxServices, requestTtl, d);
    }

    long heartbeatMillis() {
        return heartbeat.toMillis();
    }

    long expiryMillis() {
        return heartbeat.toMillis() * liveness;
    }

    long busyTimeoutMillis() {
        return busyTimeout.toMillis();
    }

    long requestTtlMillis() {
        return requestTtl.toMillis();
    }
}
