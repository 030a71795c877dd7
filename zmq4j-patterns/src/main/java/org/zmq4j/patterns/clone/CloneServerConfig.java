package org.zmq4j.patterns.clone;

import java.time.Duration;
import java.util.Objects;

import org.zmq4j.patterns.bstar.BinaryStarState;

/**
 * How a {@link CloneServer} runs: its ports (snapshot ROUTER on P, updates PUB on P+1, collector
 * SUB on P+2, as rfc 12 and the zguide's model six lay them out), and, for a Binary Star pair, its
 * role, its peer's snapshot port and the pair's state endpoints. Immutable; thread-safe. Build with
 * {@link #standalone(int)} or {@link #pair(BinaryStarState, int, int, String, String)}, then the
 * {@code with...} methods.
 */
public final class CloneServerConfig {
    private final int port;
    private final String bindHost;
    private final BinaryStarState role;
    private final int peerPort;
    private final String peerHost;
    private final String bstarLocal;
    private final String bstarRemote;
    private final Duration heartbeat;
    private final Duration hugz;
    private final int maxPending;
    private final int maxKeys;
    private final long maxMessageBytes;

    private CloneServerConfig(int port, String bindHost, BinaryStarState role, int peerPort, String peerHost,
            String bstarLocal, String bstarRemote, Duration heartbeat, Duration hugz, int maxPending, int maxKeys,
            long maxMessageBytes) {
        checkPort(port, "port");
        if (role != null) {
            if (role != BinaryStarState.PRIMARY && role != BinaryStarState.BACKUP) {
                throw new IllegalArgumentException("a Clone server's role is PRIMARY or BACKUP, not " + role);
            }
            checkPort(peerPort, "peer port");
            Objects.requireNonNull(bstarLocal, "bstarLocal");
            Objects.requireNonNull(bstarRemote, "bstarRemote");
            if (Math.abs(peerPort - port) < 3 && Objects.equals(peerHost, "localhost")) {
                throw new IllegalArgumentException("the peer's ports " + peerPort + ".." + (peerPort + 2)
                        + " overlap this server's " + port + ".." + (port + 2));
            }
        }
        if (heartbeat.isNegative() || heartbeat.isZero() || hugz.isNegative() || hugz.isZero()) {
            throw new IllegalArgumentException("the heartbeat and HUGZ intervals must be positive, not " + heartbeat + ", " + hugz);
        }
        if (maxPending < 1 || maxKeys < 1 || maxMessageBytes < 64) {
            throw new IllegalArgumentException("limits too small: pending " + maxPending + ", keys " + maxKeys
                    + ", message bytes " + maxMessageBytes);
        }
        this.port = port;
        this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
        this.role = role;
        this.peerPort = peerPort;
        this.peerHost = Objects.requireNonNull(peerHost, "peerHost");
        this.bstarLocal = bstarLocal;
        this.bstarRemote = bstarRemote;
        this.heartbeat = heartbeat;
        this.hugz = hugz;
        this.maxPending = maxPending;
        this.maxKeys = maxKeys;
        this.maxMessageBytes = maxMessageBytes;
    }

    private static void checkPort(int p, String what) {
        if (p < 1 || p > 65533) {
            throw new IllegalArgumentException("the " + what + " must be 1..65533 (it and the next two are used), not " + p);
        }
    }

    /** A single server, always active, on {@code port}, {@code port}+1 and {@code port}+2. */
    public static CloneServerConfig standalone(int port) {
        return new CloneServerConfig(port, "*", null, 0, "localhost", null, null, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 100_000, 10_000_000, 1 << 20);
    }

    /**
     * One server of a Binary Star pair (the zguide's {@code clonesrv6}).
     *
     * @param role        {@link BinaryStarState#PRIMARY} or {@link BinaryStarState#BACKUP}
     * @param port        this server's snapshot port P (P+1, P+2 too)
     * @param peerPort    the peer's snapshot port (its publisher, at +1, is followed while passive)
     * @param bstarLocal  where this server publishes its Binary Star state (bound), e.g. tcp://*:5003
     * @param bstarRemote the peer's state publisher (connected), e.g. tcp://localhost:5004
     */
    public static CloneServerConfig pair(BinaryStarState role, int port, int peerPort, String bstarLocal, String bstarRemote) {
        return new CloneServerConfig(port, "*", Objects.requireNonNull(role, "role"), peerPort, "localhost", bstarLocal,
                bstarRemote, Duration.ofSeconds(1), Duration.ofSeconds(1), 100_000, 10_000_000, 1 << 20);
    }

    /** @return this configuration binding its ports on {@code host} (default {@code *}, every interface) */
    public CloneServerConfig withBindHost(String host) {
        return new CloneServerConfig(port, host, role, peerPort, peerHost, bstarLocal, bstarRemote, heartbeat, hugz,
                maxPending, maxKeys, maxMessageBytes);
    }

    /** @return this configuration reaching the peer at {@code host} (default {@code localhost}) */
    public CloneServerConfig withPeerHost(String host) {
        return new CloneServerConfig(port, bindHost, role, peerPort, host, bstarLocal, bstarRemote, heartbeat, hugz,
                maxPending, maxKeys, maxMessageBytes);
    }

    /** @return this configuration with another Binary Star heartbeat (default 1 s; the peer is gone after two) */
    public CloneServerConfig withHeartbeat(Duration d) {
        return new CloneServerConfig(port, bindHost, role, peerPort, peerHost, bstarLocal, bstarRemote, d, hugz,
                maxPending, maxKeys, maxMessageBytes);
    }

    /** @return this configuration with another HUGZ interval (default 1 s) */
    public CloneServerConfig withHugz(Duration d) {
        return new CloneServerConfig(port, bindHost, role, peerPort, peerHost, bstarLocal, bstarRemote, heartbeat, d,
                maxPending, maxKeys, maxMessageBytes);
    }

    /**
     * @return this configuration with other bounds: client updates a passive server holds (default
     *         100,000), keys in the map (10,000,000), bytes in one message (1 MiB; larger ones
     *         drop their connection, as MAXMSGSIZE does)
     */
    public CloneServerConfig withLimits(int pending, int keys, long messageBytes) {
        return new CloneServerConfig(port, bindHost, role, peerPort, peerHost, bstarLocal, bstarRemote, heartbeat, hugz,
                pending, keys, messageBytes);
    }

    /** The snapshot port P. */
    public int port() {
        return port;
    }

    /** The role, or null for a standalone server. */
    public BinaryStarState role() {
        return role;
    }

    /** The peer's snapshot port (0 when standalone). */
    public int peerPort() {
        return peerPort;
    }

    String bindHost() {
        return bindHost;
    }

    String peerHost() {
        return peerHost;
    }

    String bstarLocal() {
        return bstarLocal;
    }

    String bstarRemote() {
        return bstarRemote;
    }

    Duration heartbeat() {
        return heartbeat;
    }

    long hugzMillis() {
        return hugz.toMillis();
    }

    int maxPending() {
        return maxPending;
    }

    int maxKeys() {
        return maxKeys;
    }

    long maxMessageBytes() {
        return maxMessageBytes;
    }

    String endpoint(int offset) {
        return "tcp://" + bindHost + ":" + (port + offset);
    }

    String peerEndpoint(int offset) {
        return "tcp://" + peerHost + ":" + (peerPort + offset);
    }

    @Override
    public String toString() {
        return (role == null ? "standalone" : role.name().toLowerCase(java.util.Locale.ROOT)) + " on " + bindHost + ":" + port
                + (role == null ? "" : ", peer " + peerHost + ":" + peerPort + ", bstar " + bstarLocal + " / " + bstarRemote);
    }
}
