package org.zmq4j.patterns.sequenced;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.internal.Multipart;
import org.zmq4j.patterns.internal.OwnerGuard;
import org.zmq4j.patterns.internal.ServiceLoop;

/**
 * A publisher whose messages a {@link SequencedSubscriber} receives in order and without gaps, or
 * with the gaps it could not repair named exactly. Each message goes out on a PUB socket as
 * {@code [topic][header][payload...]}: the {@link Header} carries this publisher's id, its epoch,
 * the message's sequence number and, for each prefix subscribers announced that the topic matches,
 * the number of the previous message of that prefix. A {@link Retention} keeps the recent past; a
 * ROUTER (the replay channel) greets subscribers, tells them each heartbeat how far each of their
 * prefixes got, and replays what they missed. PUB/SUB's prefix filtering is unchanged: a plain SUB
 * (libzmq's, or zmq4j's) can read the stream too: the header says its length, the payload follows it.
 * <pre>{@code
 * try (SequencedPublisher pub = SequencedPublisher.builder("prices")
 *         .retention(new MemoryRetention(1_000_000, 256L << 20))
 *         .bind(ctx, "tcp://*:5556", "tcp://*:5557")) {
 *     long seq = pub.publish("EURUSD", "1.0842".getBytes());
 * }
 * }</pre>
 * The epoch is random when the retention has none of its own: a restarted publisher starts a new
 * epoch at sequence 1, which subscribers see as such, not as a gap.
 *
 * <p>Metrics: until {@link #close()} its numbers are among its Context's
 * {@link Context#metrics() components}, kind {@code sequenced_publisher}, named after its id:
 * {@code messages_total}, {@code replay_requests_total}, {@code replayed_messages_total},
 * {@code subscribers}, {@code retained_messages}, {@code sequence}.
 *
 * <p>Thread-safety: {@link #publish} from one thread at a time (the data socket is the caller's,
 * as a zmq4j socket is); the replay channel runs on its own thread ({@code zmq4j-seq-replay});
 * the getters and {@link #close} from any thread.
 */
public final class SequencedPublisher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.sequenced");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final byte[] headerTemplate;
    private final long epoch;
    private final Retention retention;
    private final PrefixRegistry registry;
    private final Socket data;
    private final Socket replay;
    private final String dataEndpoint;
    private final String replayEndpoint;
    private final AtomicLong published = new AtomicLong();
    private final ServiceLoop loop = new ServiceLoop("zmq4j-seq-replay");
    private final OwnerGuard guard;
    private final ReplayService service;
    private final long heartbeatMillis;
    private final Context ctx;
    private final PublisherMetrics metrics;
    private PrefixRegistry.Tracked[] known = new PrefixRegistry.Tracked[0];
    private byte[][] linkPrefixes = new byte[0][];
    private long[] linkPrevious = new long[0];
    private long sequence;
    private boolean retentionClosed;

    private SequencedPublisher(Context ctx, Builder b, String dataAt, String replayAt) {
        this.id = b.id;
        this.retention = b.retention;
        this.epoch = retention.epoch() != 0 ? retention.epoch() : newEpoch();
        this.headerTemplate = Header.template(b.id.getBytes(StandardCharsets.UTF_8), epoch);
        this.sequence = Math.max(0, retention.last());
        this.published.set(sequence);
        this.registry = new PrefixRegistry(b.maxPrefixes);
        this.heartbeatMillis = b.heartbeat.toMillis();
        Socket d = ctx.socket(SocketType.PUB);
        Socket r = ctx.socket(SocketType.ROUTER);
        try {
            d.setOption(Option.SNDHWM, b.sndhwm);
            d.bind(dataAt);
            r.setOption(Option.LINGER, 0);
            r.setOption(Option.ROUTER_MANDATORY, true);
            r.setOption(Option.MAXMSGSIZE, 64L * 1024);
            r.bind(replayAt);
        } catch (RuntimeException e) {
            d.close();
            r.close();
            throw e;
        }
        data = d;
        replay = r;
        dataEndpoint = d.lastEndpoint();
        replayEndpoint = r.lastEndpoint();
        guard = new OwnerGuard(data::close);
        service = new ReplayService(id, epoch, retention, registry, published::get, b.maxBatch, 10 * heartbeatMillis,
                b.maxSubscribers, this::sendReplay);
        this.ctx = ctx;
        this.metrics = new PublisherMetrics(id, published, service, retention);
        ctx.addMetricsSource(metrics); // kind sequenced_publisher, until close()
    }

    private static long newEpoch() {
        long e;
        do {
            e = RANDOM.nextLong() & Long.MAX_VALUE;
        } while (e == 0);
        return e;
    }

    /** How to build a publisher named {@code id} (1 to 255 bytes of UTF-8, unique among the publishers a subscriber follows). */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** The publisher's id. */
    public String id() {
        return id;
    }

    /** The epoch. */
    public long epoch() {
        return epoch;
    }

    /** The last sequence number published. */
    public long sequence() {
        return published.get();
    }

    /** The data (PUB) endpoint, as bound. */
    public String dataEndpoint() {
        return dataEndpoint;
    }

    /** The replay (ROUTER) endpoint, as bound. */
    public String replayEndpoint() {
        return replayEndpoint;
    }

    /** Subscribers on the replay channel now. */
    public int subscribers() {
        return service.subscribers();
    }

    /** Messages sent by replay since start. */
    public long replayed() {
        return service.replayed();
    }

    /** Publishes a message with a string topic. */
    public long publish(String topic, byte[]... payload) {
        return publish(topic.getBytes(StandardCharsets.UTF_8), payload);
    }

    /**
     * Publishes a message: stamps it, retains it, sends it.
     *
     * @param topic   the topic (the first frame, which subscribers filter on)
     * @param payload one frame or more
     * @return its sequence number
     */
    public long publish(byte[] topic, byte[]... payload) {
        Objects.requireNonNull(topic, "topic");
        if (payload.length == 0) {
            throw new IllegalArgumentException("a sequenced message has a payload frame at least");
        }
        if (!guard.enter()) {
            throw new ZmqException(ZmqException.Errno.ETERM, "the sequenced publisher " + id + " is closed");
        }
        try {
            PrefixRegistry.Tracked[] now = registry.current();
            if (now != known) {
                takeOn(now);
            }
            long g = ++sequence;
            int n = 0;
            for (PrefixRegistry.Tracked t : known) {
                if (t.matches(topic)) {
                    linkPrefixes[n] = t.prefix;
                    linkPrevious[n++] = t.last.get();
                    t.last.lazySet(g);
                }
            }
            byte[][] rest = payload.clone();
            rest[0] = Header.encode(headerTemplate, g, linkPrefixes, linkPrevious, n, payload[0]);
            retention.append(g, topic, Arrays.asList(rest));
            published.lazySet(g);
            data.send(topic, Socket.SNDMORE);
            for (int i = 0; i < rest.length; i++) {
                data.send(rest[i], i < rest.length - 1 ? Socket.SNDMORE : 0);
            }
            return g;
        } finally {
            guard.exit();
        }
    }

    /** New prefixes: their last match is looked up in the retention (or 0: none since the epoch began). */
    private void takeOn(PrefixRegistry.Tracked[] now) {
        for (PrefixRegistry.Tracked t : now) {
            if (t.last.get() < 0) {
                t.last.set(PrefixRegistry.lastMatch(retention, t.prefix, sequence));
            }
        }
        known = now;
        linkPrefixes = new byte[now.length][];
        linkPrevious = new long[now.length];
    }

    private boolean sendReplay(byte[] routingId, List<byte[]> frames) {
        try {
            return Multipart.send(replay, routingId, frames);
        } catch (ZmqException e) {
            if (e.errno() == ZmqException.Errno.EHOSTUNREACH) {
                return false; // the subscriber is gone
            }
            throw e;
        }
    }

    private SequencedPublisher start() {
        loop.start(() -> loop.run(this::serve, replay::close));
        LOG.log(Level.INFO, "sequenced publisher " + id + " (epoch " + Long.toHexString(epoch) + ", from " + sequence
                + "): data on " + dataEndpoint + ", replay on " + replayEndpoint);
        return this;
    }

    private void serve() {
        try (Poller poller = new Poller()) {
            poller.register(replay, Poller.POLLIN);
            long next = now();
            while (!Thread.currentThread().isInterrupted()) {
                poller.poll(Math.max(0, next - now()));
                long t = now();
                List<byte[]> m;
                for (int i = 0; i < 1000 && (m = Multipart.recvNow(replay)) != null; i++) {
                    if (m.size() < 2) {
                        continue;
                    }
                    synchronized (this) {
                        service.onMessage(m.get(0), m.subList(1, m.size()), t);
                    }
                }
                if (t - next >= 0) {
                    next = t + heartbeatMillis;
                    synchronized (this) {
                        service.tick(t);
                    }
                }
            }
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000L;
    }

    /**
     * Stops the replay thread and closes both sockets (the data socket once no publish is running)
     * and the retention, which the publisher owns. Idempotent.
     */
    @Override
    public void close() {
        ctx.removeMetricsSource(metrics);
        loop.stop();
        guard.close();
        synchronized (this) {
            if (!retentionClosed) {
                retentionClosed = true;
                retention.close();
            }
        }
    }

    /** How to build a {@link SequencedPublisher}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private Retention retention = new MemoryRetention(100_000, 16L << 20);
        private Duration heartbeat = Duration.ofSeconds(1);
        private int maxPrefixes = 1024;
        private int maxSubscribers = 10_000;
        private int maxBatch = 1000;
        private int sndhwm = 1000;

        private Builder(String id) {
            byte[] b = Objects.requireNonNull(id, "id").getBytes(StandardCharsets.UTF_8);
            if (b.length < 1 || b.length > 255) {
                throw new IllegalArgumentException("a publisher id is 1 to 255 bytes of UTF-8, not '" + id + "'");
            }
            this.id = id;
        }

        /** What keeps the recent past (default: the last 100,000 messages or 16 MiB, in memory). */
        public Builder retention(Retention r) {
            retention = Objects.requireNonNull(r, "retention");
            return this;
        }

        /** How often subscribers get a STATUS (default 1 s); a subscriber silent for 10 is forgotten. */
        public Builder heartbeat(Duration d) {
            if (d.toMillis() <= 0) {
                throw new IllegalArgumentException("the heartbeat must be positive, not " + d);
            }
            heartbeat = d;
            return this;
        }

        /** The data socket's SNDHWM (default 1000): a subscriber further behind loses messages, and has them replayed. */
        public Builder sndhwm(int n) {
            sndhwm = n;
            return this;
        }

        /** Bounds: distinct prefixes tracked (1024), subscribers (10,000), messages per replay answer (1000). */
        public Builder limits(int prefixes, int subscribers, int batch) {
            if (prefixes < 1 || subscribers < 1 || batch < 1) {
                throw new IllegalArgumentException("limits must be positive: " + prefixes + ", " + subscribers + ", " + batch);
            }
            maxPrefixes = prefixes;
            maxSubscribers = subscribers;
            maxBatch = batch;
            return this;
        }

        /** Binds the data PUB and the replay ROUTER and starts the replay thread. */
        public SequencedPublisher bind(Context ctx, String dataEndpoint, String replayEndpoint) {
            return new SequencedPublisher(Objects.requireNonNull(ctx, "ctx"), this, dataEndpoint, replayEndpoint).start();
        }
    }
}
