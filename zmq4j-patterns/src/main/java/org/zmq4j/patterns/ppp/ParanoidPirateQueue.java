package org.zmq4j.patterns.ppp;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.patterns.internal.Multipart;
import org.zmq4j.patterns.internal.ServiceLoop;

/**
 * The Paranoid Pirate queue (rfc 6, the zguide's {@code ppqueue}): clients (REQ, or DEALER with an
 * empty delimiter; the Lazy Pirate client) on a frontend ROUTER, Paranoid Pirate workers on a
 * backend ROUTER. Each request goes to the least recently used worker that is waiting; the queue
 * heartbeats waiting workers every interval (1 s by default) and drops those silent for
 * {@code liveness} intervals (3). Requests are read only while a worker waits, so without workers
 * they wait in the clients' queues and TCP, and Lazy Pirate clients time out and retry.
 * <pre>{@code
 * try (ParanoidPirateQueue queue = new ParanoidPirateQueue(ctx)) {
 *     queue.bindFrontend("tcp://*:5555");
 *     queue.bindBackend("tcp://*:5556");
 *     queue.start();
 *     ...
 * }
 * }</pre>
 * Thread-safety: bind before starting, from the thread that made the queue; {@link #close()} from
 * any thread. The sockets belong to the loop thread once it runs.
 * <p>
 * Metrics: until {@link #close()} the queue's numbers are among its Context's
 * {@link Context#metrics() components}, kind {@code ppp_queue}, named after its frontend endpoint:
 * {@code workers} (waiting), {@code requests_total}, {@code replies_total},
 * {@code worker_expirations_total}, {@code malformed_messages_total}.
 */
public final class ParanoidPirateQueue implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.ppp.queue");
    private static final int BATCH = 1000;

    private final Context ctx;
    private final QueueMetrics metrics = new QueueMetrics();
    private final Socket frontend;
    private final Socket backend;
    private final long heartbeatMillis;
    private final int liveness;
    private final ServiceLoop loop = new ServiceLoop("zmq4j-ppqueue");
    private volatile int waitingWorkers;
    private boolean named;

    /** A queue with the zguide's heartbeat: 1 s, liveness 3. */
    public ParanoidPirateQueue(Context ctx) {
        this(ctx, Duration.ofSeconds(1), 3);
    }

    /**
     * @param ctx       the context
     * @param heartbeat the heartbeat interval, as the workers'
     * @param liveness  intervals a waiting worker may stay silent before it is dropped
     */
    public ParanoidPirateQueue(Context ctx, Duration heartbeat, int liveness) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.heartbeatMillis = heartbeat.toMillis();
        this.liveness = liveness;
        if (heartbeatMillis <= 0 || liveness < 1) {
            throw new IllegalArgumentException("the heartbeat must be positive and the liveness at least 1, not "
                    + heartbeat + " and " + liveness);
        }
        frontend = ctx.socket(SocketType.ROUTER);
        backend = ctx.socket(SocketType.ROUTER);
        frontend.setOption(Option.LINGER, 0);
        backend.setOption(Option.LINGER, 0);
        ctx.addMetricsSource(metrics); // kind ppp_queue, until close()
    }

    /**
     * Binds the clients' side.
     *
     * @return the endpoint as bound
     */
    public String bindFrontend(String endpoint) {
        frontend.bind(endpoint);
        String resolved = frontend.lastEndpoint();
        if (!named) {
            named = true;
            metrics.name(resolved);
        }
        LOG.log(Level.INFO, "Paranoid Pirate queue: clients on " + resolved);
        return resolved;
    }

    /**
     * Binds the workers' side.
     *
     * @return the endpoint as bound
     */
    public String bindBackend(String endpoint) {
        backend.bind(endpoint);
        LOG.log(Level.INFO, "Paranoid Pirate queue: workers on " + backend.lastEndpoint());
        return backend.lastEndpoint();
    }

    /** Runs the queue on a new thread, {@code zmq4j-ppqueue}. */
    public void start() {
        loop.start(this::run);
    }

    /** Runs the queue on the calling thread until {@link #close()}, an interrupt, or the context closes. */
    public void run() {
        loop.run(this::serve, () -> {
            frontend.close();
            backend.close();
            LOG.log(Level.INFO, "Paranoid Pirate queue stopped");
        });
    }

    private void serve() {
        QueueCore core = new QueueCore(heartbeatMillis, liveness, now(), metrics);
        try (Poller both = new Poller(); Poller workersOnly = new Poller()) {
            both.register(backend, Poller.POLLIN);
            both.register(frontend, Poller.POLLIN);
            workersOnly.register(backend, Poller.POLLIN);
            while (!Thread.currentThread().isInterrupted()) {
                Poller poller = core.hasWorker() ? both : workersOnly;
                poller.poll(Math.max(0, core.nextTick() - now()));
                List<byte[]> m;
                for (int i = 0; i < BATCH && (m = Multipart.recvNow(backend)) != null; i++) {
                    send(core.onBackend(m, now()));
                }
                for (int i = 0; i < BATCH && core.hasWorker() && (m = Multipart.recvNow(frontend)) != null; i++) {
                    send(core.onFrontend(m));
                }
                send(core.onTick(now()));
                waitingWorkers = core.waitingWorkers();
                metrics.workers(waitingWorkers);
            }
        }
    }

    private void send(List<QueueCore.Out> out) {
        for (QueueCore.Out o : out) {
            Socket s = o.toFrontend() ? frontend : backend;
            List<byte[]> f = o.frames();
            Multipart.send(s, f.get(0), f.subList(1, f.size()));
        }
    }

    /** Workers waiting for a request now (as of the loop's last round; for monitoring). */
    public int waitingWorkers() {
        return waitingWorkers;
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    /** Stops the loop and closes the sockets; waits up to 5 s for the loop; its numbers leave the Context's metrics. Idempotent. */
    @Override
    public void close() {
        ctx.removeMetricsSource(metrics);
        if (!loop.stop()) {
            frontend.close();
            backend.close();
        }
    }
}
