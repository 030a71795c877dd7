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
 */
public final class MajordomoBroker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.mdp.broker");

    private final BrokerConfig config;
    private final Socket router;
    private final List<String> endpoints = new ArrayList<>();
    private final ServiceLoop loop = new ServiceLoop("zmq4j-mdp-broker");
    private volatile BrokerCore core;

    /** A broker with the default configuration. */
    public MajordomoBroker(Context ctx) {
        this(ctx, BrokerConfig.defaults());
    }

    /**
     * @param ctx    the context its socket lives in
     * @param config heartbeats, queue bounds
     */
    public MajordomoBroker(Context ctx, BrokerConfig config) {
        Objects.requireNonNull(ctx, "ctx");
        this.config = Objects.requireNonNull(config, "config");
        this.router = ctx.socket(SocketType.ROUTER);
        router.setOption(Option.LINGER, 0);
        // the default HWM (1,000 per peer) stays: a client that never reads its replies, or one that
        // floods, costs at most that much memory; beyond it the ROUTER drops (send) or TCP pushes back
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
            LOG.log(Level.INFO, "Majordomo broker stopped");
        });
    }

    private void serve() {
        BrokerCore c = new BrokerCore(config, now());
        core = c;
        try (Poller poller = new Poller()) {
            poller.register(router, Poller.POLLIN);
            while (!Thread.currentThread().isInterrupted()) {
                long wait = Math.max(0, c.nextTick() - now());
                if (poller.poll(wait) > 0) {
                    List<byte[]> message;
                    for (int i = 0; i < 1000 && (message = Multipart.recvNow(router)) != null; i++) {
                        if (message.size() < 2) {
                            continue;
                        }
                        send(c.onMessage(message.get(0), message.subList(1, message.size()), now()));
                    }
                }
                send(c.onTick(now()));
            }
        }
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
     * Stops the loop and closes the socket; waits up to 5 s for the loop to end. Idempotent.
     */
    @Override
    public void close() {
        if (!loop.stop()) {
            router.close();
        }
    }
}
