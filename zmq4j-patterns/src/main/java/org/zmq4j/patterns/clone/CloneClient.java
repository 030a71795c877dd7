package org.zmq4j.patterns.clone;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.patterns.bstar.BinaryStarNode;
import org.zmq4j.patterns.internal.Inbox;
import org.zmq4j.patterns.internal.Multipart;
import org.zmq4j.patterns.internal.ServiceLoop;

/**
 * A Clone client (rfc 12 CHP; the zguide's model six {@code clone}): a local copy of a Clone
 * server's map, or of one subtree of it, kept up to date in the server's order, failing over
 * between the servers of a Binary Star pair. Wire-compatible with the zguide's Clone servers and
 * with {@link CloneServer}.
 * <pre>{@code
 * try (CloneClient clone = CloneClient.builder().server("tcp://localhost:5556").server("tcp://localhost:5566")
 *         .subtree("/client/").connect(ctx)) {
 *     clone.onChange(c -> System.out.println(c.key() + " = " + (c.deleted() ? "(deleted)" : new String(c.value()))));
 *     clone.awaitSynced(Duration.ofSeconds(5));
 *     long seq = clone.set("/client/answer", "42".getBytes(), Duration.ofSeconds(30)).get(); // confirmed
 *     byte[] v = clone.get("/client/answer");
 * }
 * }</pre>
 * The copy holds what the server published: {@link #set} sends the update to every server's
 * collector and its future completes with the sequence number the server gave it, once the update
 * comes back (keys outside the subtree never come back: their futures end in a timeout). A client
 * of the whole map notices a gap in the sequence and takes a new snapshot; after a failover it
 * always does.
 *
 * <p>Thread-safety: every public method may be called from any thread; the sockets belong to the
 * client's own thread ({@code zmq4j-clone-client}), which also runs the change listeners.
 */
public final class CloneClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.clone");

    private final Context ctx;
    private final List<String> servers;
    private final String subtree;
    private final long confirmMillis;
    private final ConcurrentSkipListMap<String, Kvmsg> map = new ConcurrentSkipListMap<>();
    private final CloneClientCore core;
    private final Inbox<Kvmsg> outbox;
    private final ConcurrentHashMap<Kvmsg.UuidKey, Unconfirmed> unconfirmed = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<CloneChange>> listeners = new CopyOnWriteArrayList<>();
    private final ServiceLoop loop = new ServiceLoop("zmq4j-clone-client");
    private final CountDownLatch firstSync = new CountDownLatch(1);
    private final Socket[] subscribers;
    private final Socket publisher;
    private final ArrayDeque<Kvmsg> held = new ArrayDeque<>();
    private Socket snapshot;
    private Poller poller;
    private Socket following;
    private int subscriptionsSeen;
    private volatile long sequence;
    private volatile int current;
    private volatile long resyncs;

    private record Unconfirmed(CompletableFuture<Long> future, long deadline) {
    }

    private CloneClient(Context ctx, Builder b) {
        this.ctx = ctx;
        this.servers = List.copyOf(b.servers);
        this.subtree = b.subtree;
        this.confirmMillis = b.confirmTimeout.toMillis();
        this.core = new CloneClientCore(servers.size(), subtree, b.serverTtl.toMillis(), map, new Agent());
        List<Socket> opened = new ArrayList<>();
        try {
            subscribers = new Socket[servers.size()];
            for (int i = 0; i < servers.size(); i++) {
                Socket sub = ctx.socket(SocketType.SUB);
                opened.add(sub);
                sub.setOption(Option.LINGER, 0);
                sub.setOption(Option.RCVHWM, 100_000);
                sub.setOption(Option.SUBSCRIBE, subtree.getBytes(StandardCharsets.UTF_8));
                if (!subtree.isEmpty()) {
                    sub.setOption(Option.SUBSCRIBE, Chp.HUGZ.getBytes(StandardCharsets.UTF_8));
                }
                sub.connect(endpoint(servers.get(i), Chp.PUBLISHER_OFFSET));
                subscribers[i] = sub;
            }
            publisher = ctx.socket(SocketType.XPUB);
            opened.add(publisher);
            publisher.setOption(Option.LINGER, 0);
            publisher.setOption(Option.XPUB_VERBOSE, true);
            for (String s : servers) {
                publisher.connect(endpoint(s, Chp.COLLECTOR_OFFSET));
            }
            outbox = new Inbox<>(ctx, "clone-client");
        } catch (RuntimeException e) {
            opened.forEach(Socket::close);
            throw e;
        }
    }

    /** How to connect: servers, subtree, timeouts. */
    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint {@code offset} ports above a server's snapshot endpoint {@code tcp://host:P}. */
    static String endpoint(String snapshotEndpoint, int offset) {
        int colon = snapshotEndpoint.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(snapshotEndpoint.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("a Clone server is tcp://HOST:PORT (its snapshot port), not " + snapshotEndpoint);
        }
        return snapshotEndpoint.substring(0, colon + 1) + (port + offset);
    }

    /** Calls {@code listener} with every change of the map, in order, on the client's thread. */
    public void onChange(Consumer<CloneChange> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Waits up to {@code timeout} for the first snapshot; whether it came. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        return firstSync.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Sets {@code key} to {@code value} on the servers.
     *
     * @return completes with the update's sequence number once the server published it, or with a
     *         {@link TimeoutException} after the confirmation timeout
     */
    public CompletableFuture<Long> set(String key, byte[] value) {
        return set(key, value, Duration.ZERO);
    }

    /** Sets an ephemeral {@code key}: the server deletes it after {@code ttl} (whole seconds, rounded up). */
    public CompletableFuture<Long> set(String key, byte[] value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (value.length == 0) {
            throw new IllegalArgumentException("an empty value deletes: use delete(" + key + ")");
        }
        return send(key, value, (ttl.toMillis() + 999) / 1000);
    }

    /** Deletes {@code key} on the servers; completes as {@link #set} does. */
    public CompletableFuture<Long> delete(String key) {
        return send(Objects.requireNonNull(key, "key"), new byte[0], 0);
    }

    private CompletableFuture<Long> send(String key, byte[] value, long ttlSeconds) {
        if (Chp.reserved(key)) {
            throw new IllegalArgumentException("'" + key + "' is not a key: it is empty or reserved by CHP");
        }
        Kvmsg set = Kvmsg.set(key, value, ttlSeconds);
        CompletableFuture<Long> f = new CompletableFuture<>();
        unconfirmed.put(set.uuidKey(), new Unconfirmed(f, BinaryStarNode.now() + confirmMillis));
        outbox.offer(set);
        return f;
    }

    /** The value of {@code key} in this copy, or null. */
    public byte[] get(String key) {
        Kvmsg m = map.get(key);
        return m == null ? null : m.value();
    }

    /** A copy of the map (sorted by key). */
    public Map<String, byte[]> entries() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, v.value()));
        return Collections.unmodifiableMap(out);
    }

    /** The sequence number of the last update applied. */
    public long sequence() {
        return sequence;
    }

    /** The snapshot endpoint of the server followed now. */
    public String server() {
        return servers.get(current);
    }

    /** Snapshots taken again after a gap or a failover. */
    public long resyncs() {
        return resyncs;
    }

    private CloneClient start() {
        loop.start(() -> loop.run(this::agent, this::closeSockets));
        return this;
    }

    private void agent() {
        try (Poller p = new Poller()) {
            poller = p;
            outbox.register(p);
            p.register(publisher, Poller.POLLIN);
            for (int i = 0; i < subscribers.length; i++) {
                p.register(subscribers[i], Poller.POLLIN);
            }
            core.start(BinaryStarNode.now());
            long nextSweep = BinaryStarNode.now();
            while (!Thread.currentThread().isInterrupted()) {
                long now = BinaryStarNode.now();
                p.poll(Math.max(0, Math.min(core.expiry(), nextSweep) - now));
                now = BinaryStarNode.now();
                outbox.drain(held::add);
                readSubscriptions();
                flushHeld();
                if (core.state() == CloneClientCore.State.SYNCING && snapshot != null) {
                    List<byte[]> m;
                    for (int i = 0; i < 10_000 && snapshot != null && (m = Multipart.recvNow(snapshot)) != null; i++) {
                        Kvmsg kv = parse(m);
                        if (kv != null) {
                            core.onSnapshot(kv, now);
                        }
                    }
                }
                readUpdates(now);
                core.onTick(now);
                if (now - nextSweep >= 0) {
                    nextSweep = now + 100;
                    expireUnconfirmed(now);
                }
                sequence = core.sequence();
            }
        }
    }

    /** Sets wait until the first snapshot and a collector's subscription: a PUB drops what no one subscribed to yet. */
    private void flushHeld() {
        if (firstSync.getCount() != 0 || subscriptionsSeen == 0) {
            return;
        }
        Kvmsg m;
        while ((m = held.poll()) != null) {
            Multipart.send(publisher, null, m.frames());
        }
    }

    private void readSubscriptions() {
        byte[] f;
        while ((f = publisher.recv(Socket.DONTWAIT)) != null) {
            if (f.length > 0 && f[0] == 1) {
                subscriptionsSeen++;
            }
        }
    }

    private void readUpdates(long now) {
        for (int i = 0; i < subscribers.length; i++) {
            if (subscribers[i] == following) {
                if (core.state() != CloneClientCore.State.ACTIVE) {
                    continue;
                }
                List<byte[]> m;
                for (int n = 0; n < 10_000 && core.state() == CloneClientCore.State.ACTIVE
                        && (m = Multipart.recvNow(subscribers[i])) != null; n++) {
                    Kvmsg kv = parse(m);
                    if (kv != null) {
                        core.onUpdate(kv, now);
                    }
                }
            } else {
                while (Multipart.recvNow(subscribers[i]) != null) {
                    // not the server followed: its updates are not ours to apply
                }
            }
        }
    }

    private void expireUnconfirmed(long now) {
        for (Iterator<Map.Entry<Kvmsg.UuidKey, Unconfirmed>> it = unconfirmed.entrySet().iterator(); it.hasNext();) {
            Unconfirmed u = it.next().getValue();
            if (now - u.deadline >= 0) {
                it.remove();
                u.future.completeExceptionally(new TimeoutException("the update did not come back from " + server()
                        + " in " + confirmMillis + " ms (outside the subtree '" + subtree + "', or lost)"));
            }
        }
    }

    private Kvmsg parse(List<byte[]> frames) {
        try {
            return Kvmsg.parse(frames);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "Clone client: dropping a malformed message from " + server() + ": " + e.getMessage());
            return null;
        }
    }

    /** The core's requests, carried out on the client's thread. */
    private final class Agent implements CloneClientCore.Actions {
        @Override
        public void askSnapshot(int server) {
            closeSnapshot();
            if (following != null) {
                poller.register(following, Poller.POLLIN); // drained as any other now
            }
            current = server;
            following = subscribers[server];
            // the followed server's updates wait in their queue while the snapshot comes: not polled
            poller.unregister(following);
            snapshot = ctx.socket(SocketType.DEALER);
            snapshot.setOption(Option.LINGER, 0);
            snapshot.connect(servers.get(server));
            snapshot.send(Chp.ICANHAZ.getBytes(StandardCharsets.UTF_8), Socket.SNDMORE | Socket.DONTWAIT);
            snapshot.send(subtree.getBytes(StandardCharsets.UTF_8), Socket.DONTWAIT);
            poller.register(snapshot, Poller.POLLIN);
        }

        @Override
        public void changed(CloneChange change, Kvmsg update) {
            sequence = core.sequence(); // before anyone is told
            if (update != null && update.hasUuid()) {
                Unconfirmed u = unconfirmed.remove(update.uuidKey());
                if (u != null) {
                    u.future.complete(change.sequence());
                }
            }
            for (Consumer<CloneChange> l : listeners) {
                try {
                    l.accept(change);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Clone client: a change listener failed", e);
                }
            }
        }

        @Override
        public void synced(int server, long seq, int keys) {
            sequence = seq;
            closeSnapshot();
            poller.register(following, Poller.POLLIN);
            if (firstSync.getCount() != 0) {
                firstSync.countDown();
            } else {
                resyncs++;
            }
            LOG.log(Level.INFO, "Clone client: " + keys + " keys of '" + subtree + "' from " + servers.get(server)
                    + " at sequence " + seq);
        }

        @Override
        public void silent(int from, int to) {
            LOG.log(Level.INFO, "Clone client: no word from " + servers.get(from) + "; asking " + servers.get(to));
        }

        @Override
        public void gap(int server, long at, long seen) {
            LOG.log(Level.INFO, "Clone client: missed updates from " + servers.get(server) + " (at " + at + ", saw " + seen
                    + "); taking a new snapshot");
        }
    }

    private void closeSnapshot() {
        if (snapshot != null) {
            if (poller != null) {
                poller.unregister(snapshot);
            }
            snapshot.close();
            snapshot = null;
        }
    }

    private void closeSockets() {
        poller = null;
        closeSnapshot();
        for (Socket s : subscribers) {
            s.close();
        }
        publisher.close();
        outbox.closeReceiver();
        for (Unconfirmed u : unconfirmed.values()) {
            u.future.completeExceptionally(new IllegalStateException("the Clone client was closed"));
        }
    }

    /** Stops the client's thread and closes its sockets (waits up to 5 s). Idempotent. */
    @Override
    public void close() {
        loop.stop();
        outbox.closeSender();
    }

    /** How a {@link CloneClient} connects. Not thread-safe; one per client. */
    public static final class Builder {
        private final List<String> servers = new ArrayList<>();
        private String subtree = "";
        private Duration serverTtl = Duration.ofSeconds(5);
        private Duration confirmTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** A server, by its snapshot endpoint {@code tcp://HOST:P} (updates on P+1, collector on P+2); up to two for a pair. */
        public Builder server(String snapshotEndpoint) {
            endpoint(snapshotEndpoint, 0); // checks the form
            servers.add(snapshotEndpoint);
            return this;
        }

        /** A server, as the zguide's {@code clone.connect(address, port)}: {@code tcp://localhost}, 5556. */
        public Builder server(String address, int port) {
            return server(address + ":" + port);
        }

        /** The subtree followed: "" (the whole map, the default) or a prefix such as {@code /client/}. */
        public Builder subtree(String s) {
            subtree = Objects.requireNonNull(s, "subtree");
            return this;
        }

        /** How long a server may stay silent (no update, no HUGZ) before the next is asked (5 s, the zguide's). */
        public Builder serverTtl(Duration d) {
            serverTtl = d;
            return this;
        }

        /** How long {@link CloneClient#set} waits for its update to come back (10 s). */
        public Builder confirmTimeout(Duration d) {
            confirmTimeout = d;
            return this;
        }

        /** Connects to the servers and starts following the first. */
        public CloneClient connect(Context ctx) {
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("a Clone client needs a server");
            }
            if (serverTtl.toMillis() <= 0 || confirmTimeout.toMillis() <= 0) {
                throw new IllegalArgumentException("timeouts must be positive: " + serverTtl + ", " + confirmTimeout);
            }
            return new CloneClient(Objects.requireNonNull(ctx, "ctx"), this).start();
        }
    }
}
