package org.zmq4j.patterns.freelance;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link FreelanceClient} talks to its servers. Immutable; the {@code with...} methods return
 * a changed copy.
 *
 * @param servers        the servers' public endpoints (each server's identity), in order of
 *                       preference: a request goes to the first live one
 * @param pingInterval   how often each server is pinged (the zguide's 2 s)
 * @param serverTtl      a server silent this long is taken for dead (the zguide's 6 s: 3 pings;
 *                       rfc 10 says 2 to 3 intervals)
 * @param attemptTimeout how long one server may take to answer before the request also goes to the
 *                       next live server (ours; the first reply wins)
 * @param timeout        how long a request may take in all before it fails with
 *                       {@link org.zmq4j.patterns.NoReplyException} (the zguide's 3 s)
 */
public record FreelanceConfig(List<String> servers, Duration pingInterval, Duration serverTtl,
                              Duration attemptTimeout, Duration timeout) {
    /** Ping every 2 s, as the zguide's {@code flcliapi}. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(2);
    /** Dead after 6 s of silence, as the zguide's {@code flcliapi}. */
    public static final Duration DEFAULT_SERVER_TTL = Duration.ofSeconds(6);
    /** One server may take 1 s before the request goes to the next too. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    /** 3 s in all per request, as the zguide's {@code flcliapi}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    /** Checks the values: at least one server, positive durations, a TTL longer than the ping interval. */
    public FreelanceConfig {
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a Freelance client needs at least one server endpoint");
        }
        positive(pingInterval, "pingInterval");
        positive(serverTtl, "serverTtl");
        positive(attemptTimeout, "attemptTimeout");
        positive(timeout, "timeout");
        if (serverTtl.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("serverTtl (" + serverTtl.toMillis() + " ms) must be longer than pingInterval ("
                    + pingInterval.toMillis() + " ms), or every server would die between two pings");
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }

    /** The defaults for these servers. */
    public static FreelanceConfig of(String... servers) {
        return new FreelanceConfig(List.of(servers), DEFAULT_PING_INTERVAL, DEFAULT_SERVER_TTL, DEFAULT_ATTEMPT_TIMEOUT,
                DEFAULT_TIMEOUT);
    }

    /** Pings every {@code interval}; a server is dead after {@code ttl} of silence. */
    public FreelanceConfig withPing(Duration interval, Duration ttl) {
        return new FreelanceConfig(servers, interval, ttl, attemptTimeout, timeout);
    }

    /** One server may take {@code attempt}; a request {@code total} in all. */
    public FreelanceConfig withTimeouts(Duration attempt, Duration total) {
        return new FreelanceConfig(servers, pingInterval, serverTtl, attempt, total);
    }
}
