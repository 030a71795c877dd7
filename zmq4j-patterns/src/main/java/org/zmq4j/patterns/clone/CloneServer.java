package org.zmq4j.patterns.clone;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.bstar.BinaryStarNode;
import org.zmq4j.patterns.bstar.BinaryStarState;
import org.zmq4j.patterns.internal.Multipart;
import org.zmq4j.patterns.internal.ServiceLoop;

/**
 * A Clone server (rfc 12 CHP; the zguide's model six, {@code clonesrv6}): a key-value map that
 * every client sees in one order. Clients ask for a snapshot of a subtree on the ROUTER at port P
 * (ICANHAZ?), follow the updates on the PUB at P+1 (KVPUB, and HUGZ every second), and send their
 * own updates to the SUB collector at P+2 (KVSET). Each update gets the next sequence number;
 * ephemeral keys ({@code ttl} property, in seconds) are deleted when their time is up, with a
 * KVPUB of an empty value.
 * <p>
 * Two servers form a Binary Star pair: the active one serves, the passive one follows the active's
 * publisher (after a snapshot of its map; again after any sequence gap) and holds the clients'
 * updates until the active publishes them. Clients that stop hearing HUGZ ask the other server for
 * a snapshot, and that request is the vote that makes it active once its peer is silent; the
 * client updates the old active never published are published then (see {@link CloneServerCore}).
 * <pre>{@code
 * CloneServer primary = CloneServer.start(ctx, CloneServerConfig.pair(BinaryStarState.PRIMARY,
 *         5556, 5566, "tcp://*:5003", "tcp://localhost:5004"));
 * }</pre>
 * Snapshots are sent as fast as each client's connection takes them (ROUTER_MANDATORY, never
 * dropped at the HWM), several at a time, without holding up the rest of the server.
 *
 * <p>Metrics: until {@link #close()} its numbers are among its Context's
 * {@link Context#metrics() components}, kind {@code clone_server}, named after its snapshot
 * endpoint: {@code kvmsg_sequence}, {@code keys}, {@code active}, {@code snapshots_total},
 * {@code updates_total}, {@code client_updates_total}, {@code malformed_messages_total}.
 *
 * <p>Thread-safety: the sockets belong to the server's thread ({@code zmq4j-clone-server}); every
 * public method may be called from any thread.
 */
public final class CloneServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.clone");
    private static final long SYNC_TIMEOUT_MILLIS = 5000;
    private static final int MAX_SNAPSHOTS_IN_FLIGHT = 256;

    private final CloneServerConfig config;
    private final CloneServerCore core;
    private final Context ctx;
    private final Socket snapshot;
    private final Socket publisher;
    private final Socket collector;
    private final Socket peerUpdates;
    private final BinaryStarNode node;
    private final ServiceLoop loop = new ServiceLoop("zmq4j-clone-server");
    private final ArrayDeque<Outgoing> snapshots = new ArrayDeque<>();
    private Socket peerSnapshot;
    private Poller poller;
    private long syncDeadline;
    private BinaryStarState seenState;
    private volatile long sequence;
    private volatile int keys;
    private volatile long published;
    private volatile long malformed;
    private volatile boolean active;
    private final CloneServerMetrics metrics;

    /** A snapshot on its way to one client. */
    private static final class Outgoing {
        final byte[] identity;
        final List<Kvmsg> messages;
        int next;

        Outgoing(byte[] identity, List<Kvmsg> messages) {
            this.identity = identity;
            this.messages = messages;
        }
    }

    private CloneServer(Context ctx, CloneServerConfig config) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.config = Objects.requireNonNull(config, "config");
        boolean pair = config.role() != null;
        this.core = new CloneServerCore(!pair, config.maxPending(), config.maxKeys());
        this.active = !pair;
        Socket snap = null;
        Socket pub = null;
        Socket coll = null;
        Socket peer = null;
        BinaryStarNode n = null;
        try {
            snap = ctx.socket(SocketType.ROUTER);
            snap.setOption(Option.LINGER, 0);
            snap.setOption(Option.ROUTER_MANDATORY, true);
            snap.setOption(Option.MAXMSGSIZE, config.maxMessageBytes());
            snap.bind(config.endpoint(0));
            pub = ctx.socket(SocketType.PUB);
            pub.setOption(Option.LINGER, 0);
            pub.bind(config.endpoint(Chp.PUBLISHER_OFFSET));
            coll = ctx.socket(SocketType.SUB);
            coll.setOption(Option.LINGER, 0);
            coll.setOption(Option.MAXMSGSIZE, config.maxMessageBytes());
            coll.setOption(Option.SUBSCRIBE, new byte[0]);
            coll.bind(config.endpoint(Chp.COLLECTOR_OFFSET));
            if (pair) {
                peer = ctx.socket(SocketType.SUB);
                peer.setOption(Option.LINGER, 0);
                peer.setOption(Option.SUBSCRIBE, new byte[0]);
                peer.connect(config.peerEndpoint(Chp.PUBLISHER_OFFSET));
                n = new BinaryStarNode(ctx, config.role(), config.bstarLocal(), config.bstarRemote(), config.heartbeat());
            }
        } catch (RuntimeException e) {
            for (Socket s : new Socket[] {snap, pub, coll, peer}) {
                if (s != null) {
                    s.close();
                }
            }
            throw e;
        }
        snapshot = snap;
        publisher = pub;
        collector = coll;
        peerUpdates = peer;
        node = n;
        seenState = pair ? config.role() : null;
        metrics = new CloneServerMetrics(config.endpoint(0), () -> sequence, () -> keys, () -> published, () -> malformed,
                () -> active ? 1 : 0);
    }

    /**
     * Binds the ports and serves on a new thread.
     *
     * @throws ZmqException EADDRINUSE (naming the endpoint) when a port is taken
     */
    public static CloneServer start(Context ctx, CloneServerConfig config) {
        CloneServer s = new CloneServer(ctx, config);
        LOG.log(Level.INFO, "Clone server " + config + ": snapshots on " + config.endpoint(0) + ", updates on "
                + config.endpoint(Chp.PUBLISHER_OFFSET) + ", collector on " + config.endpoint(Chp.COLLECTOR_OFFSET));
        s.loop.start(s::run);
        ctx.addMetricsSource(s.metrics); // kind clone_server, until close()
        return s;
    }

    /** The configuration. */
    public CloneServerConfig config() {
        return config;
    }

    /** The last sequence number published (active) or followed (passive). */
    public long sequence() {
        return sequence;
    }

    /** The keys in the map. */
    public int size() {
        return keys;
    }

    /** KVPUBs published since start (updates and expiries). */
    public long published() {
        return published;
    }

    /** Malformed messages dropped (snapshot requests, client updates, the peer's updates). */
    public long malformed() {
        return malformed;
    }

    /** Whether this server serves clients now (a standalone one always does). */
    public boolean isActive() {
        return active;
    }

    /** The Binary Star state, or null for a standalone server. */
    public BinaryStarState state() {
        return node == null ? null : node.state();
    }

    /** Why a pair's server stopped (dual active or dual passive), or null. */
    public String failure() {
        return node == null ? null : node.failure();
    }

    private void run() {
        loop.run(this::serve, this::closeSockets);
    }

    private void serve() {
        long now = BinaryStarNode.now();
        long nextHugz = now;
        try (Poller p = new Poller()) {
            poller = p;
            poller.register(snapshot, Poller.POLLIN);
            poller.register(collector, Poller.POLLIN);
            if (node != null) {
                poller.register(peerUpdates, Poller.POLLIN);
                node.register(poller);
            }
            while (!Thread.currentThread().isInterrupted() && (node == null || !node.failed())) {
                now = BinaryStarNode.now();
                long wake = Math.min(nextHugz, core.nextExpiry());
                if (node != null) {
                    wake = Math.min(wake, node.nextTick());
                }
                if (peerSnapshot != null) {
                    wake = Math.min(wake, syncDeadline);
                }
                long timeout = snapshots.isEmpty() ? Math.max(0, wake - now) : Math.min(5, Math.max(0, wake - now));
                poller.poll(timeout);
                now = BinaryStarNode.now();
                if (node != null) {
                    node.process(now);
                    followState(now);
                }
                readSnapshotRequests(now);
                readCollector(now);
                if (node != null) {
                    readPeer(now);
                }
                publishAll(core.expire(now));
                if (now - nextHugz >= 0) {
                    nextHugz = now + config.hugzMillis();
                    send(publisher, core.hugz()); // passive too, as the zguide's servers: a client may wait for a sign of life before asking
                }
                sendSnapshots();
                sequence = core.sequence();
                keys = core.size();
            }
        }
    }

    private void followState(long now) {
        BinaryStarState s = node.state();
        if (s == seenState) {
            return;
        }
        BinaryStarState before = seenState;
        seenState = s;
        if (s == BinaryStarState.ACTIVE) {
            closePeerSnapshot();
            if (before == BinaryStarState.PASSIVE && !core.synced()) {
                LOG.log(Level.WARNING, "Clone server " + config.port() + " takes over without a full copy of its peer's map");
            }
            int held = core.pendingCount();
            publishAll(core.becomeActive(now));
            active = true;
            LOG.log(Level.INFO, "Clone server " + config.port() + " is active at sequence " + core.sequence() + " ("
                    + held + " held client updates applied)");
        } else if (s == BinaryStarState.PASSIVE) {
            core.becomePassive();
            active = false;
            LOG.log(Level.INFO, "Clone server " + config.port() + " is passive: following " + config.peerEndpoint(0));
            resync(now);
        }
    }

    private void readSnapshotRequests(long now) {
        List<byte[]> m;
        for (int i = 0; i < 1000 && (m = Multipart.recvNow(snapshot)) != null; i++) {
            if (m.size() != 3 || !Chp.ICANHAZ.equals(new String(m.get(1), StandardCharsets.UTF_8))) {
                malformed++;
                LOG.log(Level.WARNING, "Clone server " + config.port() + ": dropping a snapshot request that is not"
                        + " [ICANHAZ?][subtree] (" + (m.size() - 1) + " frames)");
                continue;
            }
            if (node != null) {
                if (!node.vote(now)) {
                    continue; // passive with a live peer: the client fails over
                }
                followState(now);
            }
            if (!core.active()) {
                continue;
            }
            if (snapshots.size() >= MAX_SNAPSHOTS_IN_FLIGHT) {
                LOG.log(Level.WARNING, "Clone server " + config.port() + ": " + MAX_SNAPSHOTS_IN_FLIGHT
                        + " snapshots in flight; dropping a request (the client asks again)");
                continue;
            }
            String subtree = new String(m.get(2), StandardCharsets.UTF_8);
            snapshots.add(new Outgoing(m.get(0), core.snapshot(subtree, now)));
            metrics.snapshots.increment();
            LOG.log(Level.DEBUG, () -> "Clone server " + config.port() + ": snapshot of '" + subtree + "' at "
                    + core.sequence());
        }
    }

    private void sendSnapshots() {
        int rounds = snapshots.size();
        for (int r = 0; r < rounds; r++) {
            Outgoing o = snapshots.poll();
            try {
                while (o.next < o.messages.size() && Multipart.send(snapshot, o.identity, o.messages.get(o.next).frames())) {
                    o.next++;
                }
            } catch (ZmqException e) {
                if (e.errno() != ZmqException.Errno.EHOSTUNREACH) {
                    throw e;
                }
                continue; // the client is gone
            }
            if (o.next < o.messages.size()) {
                snapshots.add(o); // its pipe is full: later
            }
        }
    }

    private void readCollector(long now) {
        List<byte[]> m;
        for (int i = 0; i < 1000 && (m = Multipart.recvNow(collector)) != null; i++) {
            Kvmsg set = parse(m, "client update");
            if (set == null) {
                continue;
            }
            metrics.clientUpdates.increment();
            if (Chp.reserved(set.key())) {
                malformed++;
                LOG.log(Level.WARNING, "Clone server " + config.port() + ": dropping a client update of the reserved key '"
                        + set.key() + "'");
                continue;
            }
            Kvmsg pub = core.collect(set, now);
            if (pub != null) {
                publish(pub);
            }
        }
    }

    private void readPeer(long now) {
        List<byte[]> m;
        for (int i = 0; i < 1000 && (m = Multipart.recvNow(peerUpdates)) != null; i++) {
            if (core.active()) {
                continue; // our own publisher serves the clients now
            }
            Kvmsg pub = parse(m, "update from the peer");
            if (pub != null && core.fromPeer(pub, now) == CloneServerCore.PeerResult.GAP) {
                LOG.log(Level.INFO, "Clone server " + config.port() + ": missed updates from the peer (at "
                        + core.sequence() + ", the peer at " + pub.sequence() + "): asking for its map again");
                resync(now);
            }
        }
        if (peerSnapshot != null) {
            readPeerSnapshot(now);
        }
    }

    private void resync(long now) {
        closePeerSnapshot();
        core.beginSync();
        peerSnapshot = ctx.socket(SocketType.DEALER);
        peerSnapshot.setOption(Option.LINGER, 0);
        peerSnapshot.setOption(Option.MAXMSGSIZE, config.maxMessageBytes());
        peerSnapshot.connect(config.peerEndpoint(0));
        peerSnapshot.send(Chp.ICANHAZ.getBytes(StandardCharsets.UTF_8), Socket.SNDMORE | Socket.DONTWAIT);
        peerSnapshot.send(new byte[0], Socket.DONTWAIT);
        poller.register(peerSnapshot, Poller.POLLIN);
        syncDeadline = now + SYNC_TIMEOUT_MILLIS;
    }

    private void readPeerSnapshot(long now) {
        List<byte[]> m;
        for (int i = 0; i < 10_000 && (m = Multipart.recvNow(peerSnapshot)) != null; i++) {
            Kvmsg kv = parse(m, "snapshot entry from the peer");
            if (kv == null) {
                continue;
            }
            syncDeadline = now + SYNC_TIMEOUT_MILLIS;
            if (!Chp.KTHXBAI.equals(kv.key())) {
                core.syncEntry(kv, now);
                continue;
            }
            closePeerSnapshot();
            LOG.log(Level.INFO, "Clone server " + config.port() + ": copied the peer's map, " + core.size() + " keys at "
                    + kv.sequence());
            if (core.endSync(kv.sequence(), now) == CloneServerCore.PeerResult.GAP) {
                resync(now);
            }
            return;
        }
        if (peerSnapshot != null && now - syncDeadline >= 0) {
            LOG.log(Level.INFO, "Clone server " + config.port() + ": no snapshot from the peer in "
                    + SYNC_TIMEOUT_MILLIS + " ms; asking again");
            resync(now);
        }
    }

    private Kvmsg parse(List<byte[]> frames, String what) {
        try {
            return Kvmsg.parse(frames);
        } catch (IllegalArgumentException e) {
            malformed++;
            LOG.log(Level.WARNING, "Clone server " + config.port() + ": dropping a malformed " + what + ": " + e.getMessage());
            return null;
        }
    }

    private void publishAll(List<Kvmsg> updates) {
        for (Kvmsg m : updates) {
            publish(m);
        }
    }

    private void publish(Kvmsg update) {
        // the counters first: a client that sees this update (its set confirmed) may ask for them at once
        sequence = update.sequence();
        keys = core.size();
        published++;
        send(publisher, update);
    }

    private static void send(Socket s, Kvmsg m) {
        Multipart.send(s, null, m.frames());
    }

    private void closePeerSnapshot() {
        if (peerSnapshot != null) {
            if (poller != null) {
                poller.unregister(peerSnapshot);
            }
            peerSnapshot.close();
            peerSnapshot = null;
        }
    }

    private void closeSockets() {
        poller = null; // closed already
        closePeerSnapshot();
        snapshot.close();
        publisher.close();
        collector.close();
        if (peerUpdates != null) {
            peerUpdates.close();
            node.close();
        }
        LOG.log(Level.INFO, "Clone server " + config.port() + " stopped at sequence " + core.sequence());
    }

    /** Stops serving and closes the sockets; waits up to 5 s for the server's thread. Idempotent. */
    @Override
    public void close() {
        ctx.removeMetricsSource(metrics);
        loop.stop();
    }
}
