package org.zmq4j.patterns.mdp;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.bstar.BinaryStarNode;
import org.zmq4j.patterns.internal.Multipart;
import org.zmq4j.patterns.internal.ServiceLoop;

/**
 * A Majordomo broker (rfc 7 MDP/0.1 and rfc 18 MDP/0.2 on one ROUTER, rfc 8 MMI): clients send
 * requests for named services, workers register for a service and get the requests, least recently
 * used worker first; heartbeats both ways find dead workers. Bind one or more endpoints, then
 * {@link #start()} it on a thread of its own (or {@link #run()} it on yours).
 * <pre>{@code
 * try (Context ctx = new Context(); MajordomoBroker broker = new MajordomoBroker(ctx)) {
 *     broker.bind("tcp://*:5555");
 *     broker.start();
 *     ...
 * }
 * }</pre>
 * Thread-safety: {@link #bind} before starting, from the thread that made the broker;
 * {@link #close()} from any thread. The broker's socket belongs to its loop thread; the loop never
 * blocks on a peer (a reply to a peer that cannot take it is dropped, as a ROUTER does), so a slow
 * or stuck client cannot stall it.
 * <p>
 * Metrics: from its creation until {@link #close()} the broker's numbers are among its Context's
 * {@link Context#metrics() components}, kind {@code majordomo_broker}, named after its first bound
 * endpoint: gauges {@code services}, {@code workers}, {@code idle_workers}, {@code queued_requests}
 * and per service (label {@code service}) {@code service_workers}, {@code service_idle_workers},
 * {@code service_queued_requests} (as of the loop's last look, at most 100 ms old while it changes);
 * counters {@code requests_total}, {@code replies_total}, {@code worker_expirations_total},
 * {@code requests_expired_total} and more.
 */
public final class MajordomoBroker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.mdp.broker");
    /** How often, at most, the loop publishes its services and workers for {@link Context#metrics()}. */
    private static final long SNAPSHOT_MILLIS = 100;

    private final Context ctx;
    private final BrokerConfig config;
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final Socket router;
    private final List<String> endpoints = new ArrayList<>();
    private final ServiceLoop loop = new ServiceLoop("zmq4j-mdp-broker");
    private volatile BrokerCore core;
    private BinaryStarNode pair;

    /** A broker with the default configuration. */
    public MajordomoBroker(Context ctx) {
        this(ctx, BrokerConfig.defaults());
    }

    /**
     * @param ctx    the context its socket lives in
     * @param config heartbeats, queue bounds
     */
    public MajordomoBroker(Context ctx, BrokerConfig config) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.config = Objects.requireNonNull(config, "config");
        this.router = ctx.socket(SocketType.ROUTER);
        router.setOption(Option.LINGER, 0);
        ctx.addMetricsSource(metrics); // kind majordomo_broker, until close()
        // the default HWM (1,000 per peer) stays: a client that never reads its replies, or one that
        // floods, costs at most that much memory; beyond it the ROUTER drops (send) or TCP pushes back
    }

    /**
     * Makes this broker one node of a Binary Star pair (an HA broker): it serves only while
     * {@code node} is active. A message reaching it while passive, from a client or a worker, is a
     * vote that makes it active once its peer is gone, or is dropped while the peer lives: the
     * client's retry goes to the other broker, and a worker given both brokers moves to the other
     * when this one stays silent. The broker's loop drives the node and closes it. Call before
     * {@link #start()}.
     *
     * <pre>{@code
     * BinaryStarNode node = new BinaryStarNode(ctx, BinaryStarState.PRIMARY, "tcp://*:5556", "tcp://backup:5556",
     *         Duration.ofSeconds(1));
     * MajordomoBroker broker = new MajordomoBroker(ctx);
     * broker.bind("tcp://*:5555");
     * broker.pairWith(node);
     * broker.start();
     * }</pre>
     */
    public void pairWith(BinaryStarNode node) {
        this.pair = Objects.requireNonNull(node, "node");
    }

    /**
     * Binds an endpoint (several may be bound).
     *
     * @param endpoint e.g. {@code tcp://*:5555}
     * @return the endpoint as bound (port resolved)
     * @throws ZmqException as {@link Socket#bind}
     */
    public String bind(String endpoint) {
        router.bind(endpoint);
        String resolved = router.lastEndpoint();
        if (endpoints.isEmpty()) {
            metrics.name(resolved);
        }
        endpoints.add(resolved);
        LOG.log(Level.INFO, "Majordomo broker listening on " + resolved);
        return resolved;
    }

    /** The endpoints bound so far, resolved. */
    public List<String> endpoints() {
        return List.copyOf(endpoints);
    }

    /** Runs the broker on a new thread, {@code zmq4j-mdp-broker}; it owns the socket from now on. */
    public void start() {
        loop.start(this::run);
    }

    /**
     * Runs the broker on the calling thread until {@link #close()}, an interrupt, or the context
     * closes.
     */
    public void run() {
        loop.run(this::serve, () -> {
            router.close();
            if (pair != null) {
                pair.close();
            }
            LOG.log(Level.INFO, "Majordomo broker stopped");
        });
    }

    private void serve() {
        BrokerCore c = new BrokerCore(config, now(), metrics);
        core = c;
        BinaryStarNode node = pair;
        boolean changed = true; // since the last snapshot for metrics()
        long snapshotAt = now() - SNAPSHOT_MILLIS;
        try (Poller poller = new Poller()) {
            poller.register(router, Poller.POLLIN);
            if (node != null) {
                node.register(poller);
            }
            while (!Thread.currentThread().isInterrupted()) {
                long t = now();
                if (changed && t - snapshotAt >= SNAPSHOT_MILLIS) {
                    metrics.publish(c.snapshot());
                    snapshotAt = t;
                    changed = false;
                }
                long next = node == null ? c.nextTick() : Math.min(c.nextTick(), node.nextTick());
                if (changed) {
                    next = Math.min(next, snapshotAt + SNAPSHOT_MILLIS); // the last changes show within 100 ms
                }
                if (poller.poll(Math.max(0, next - t)) > 0) {
                    changed = true;
                    List<byte[]> message;
                    for (int i = 0; i < 1000 && (message = Multipart.recvNow(router)) != null; i++) {
                        if (message.size() < 2 || !admitted(node)) {
                            continue;
                        }
                        send(c.onMessage(message.get(0), message.subList(1, message.size()), now()));
                    }
                }
                if (node != null) {
                    node.process(now());
                    if (node.failed()) {
                        return; // dual active or passive: this broker stops, as the zguide's servers exit
                    }
                    if (!node.isActive()) {
                        continue; // passive: no heartbeats to workers, nobody expires
                    }
                }
                long tick = c.nextTick();
                send(c.onTick(now()));
                changed |= c.nextTick() != tick; // a heartbeat round: workers and requests may have expired
            }
        }
    }

    /**
     * Without a pair, everything; in a pair, what the vote admits: a client's or a worker's message
     * reaching this broker while passive means that peer lost the active one, so both count as
     * votes (a worker that moved here after the primary died makes the backup active as a client
     * would, instead of cycling between the two).
     */
    private static boolean admitted(BinaryStarNode node) {
        return node == null || node.vote(now());
    }

    private void send(List<BrokerCore.Out> out) {
        for (BrokerCore.Out o : out) {
            Multipart.send(router, o.to(), o.frames());
        }
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    /** Workers registered now (from the loop's last state; for monitoring). */
    public int workers() {
        BrokerCore c = core;
        return c == null ? 0 : c.workerCount();
    }

    /**
     * Stops the loop and closes the socket; waits up to 5 s for the loop to end; its numbers leave
     * {@link Context#metrics()}. Idempotent.
     */
    @Override
    public void close() {
        ctx.removeMetricsSource(metrics);
        if (!loop.stop()) {
            router.close();
            if (pair != null) {
                pair.close();
            }
        }
    }
}
