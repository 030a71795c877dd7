package org.zmq4j.durable.titanic;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.zmq4j.Context;
import org.zmq4j.ZmqException;
import org.zmq4j.durable.journal.FileJournal;
import org.zmq4j.patterns.NoReplyException;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoClient;
import org.zmq4j.patterns.mdp.MajordomoWorker;
import org.zmq4j.patterns.mdp.MdpVersion;
import org.zmq4j.patterns.mdp.Reply;

/**
 * Titanic (rfc 9): durable request-reply on a Majordomo broker. Three MDP workers serve
 * {@code titanic.request} (stores the request durably, then answers its UUID), {@code titanic.reply}
 * (the stored reply, {@code 300} while there is none, {@code 400} for an unknown UUID) and
 * {@code titanic.close}; a dispatcher sends the stored requests, oldest first, to their services as
 * an MDP client (asking {@code mmi.service} first, leaving services without workers for the retry
 * interval) and stores each reply. Everything lives in one journal; after a kill -9 the server
 * starts again where it was: requests it answered a UUID for are kept, those without a stored reply
 * are dispatched again (so a service may see a request twice: Titanic is at-least-once towards
 * workers, and exactly-once in what its clients fetch).
 *
 * <p>Thread-safety: {@link #close()} and the queries from any thread; the server runs on four
 * threads of its own ({@code zmq4j-titanic-*}), which share the store through its lock.
 *
 * <p>Metrics: until {@link #close()} its numbers are among its Context's
 * {@link Context#metrics() components}, kind {@code titanic}, named after its store directory:
 * {@code requests_total}, {@code replies_total}, {@code closed_requests_total},
 * {@code pending_requests}, {@code open_requests}, and the journal's fdatasyncs.
 */
public final class TitanicServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.durable.titanic");
    private static final byte[] OK = Tsp.OK.getBytes(StandardCharsets.US_ASCII);

    private final TitanicConfig config;
    private final FileJournal journal;
    private final TitanicStore store;
    private final List<MajordomoWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final MajordomoClient dispatcherClient;
    private final Context ctx;
    private final TitanicMetrics metrics;
    private volatile boolean closed;
    private volatile long dispatched;

    private TitanicServer(Context ctx, TitanicConfig config, FileJournal journal) throws IOException {
        this.config = config;
        this.journal = journal;
        this.store = new TitanicStore(journal);
        this.dispatcherClient = new MajordomoClient(ctx, ClientConfig.of(config.brokers().get(0))
                .withBrokers(config.brokers()).withTimeout(config.dispatchTimeout()).withRetries(0));
        serve(ctx, Tsp.REQUEST, this::onRequest);
        serve(ctx, Tsp.REPLY, this::onReply);
        serve(ctx, Tsp.CLOSE, this::onClose);
        Thread d = new Thread(this::dispatch, "zmq4j-titanic-dispatcher");
        d.setDaemon(true);
        threads.add(d);
        this.ctx = ctx;
        this.metrics = new TitanicMetrics(config.storeDir().toString(), store, journal);
    }

    /**
     * Opens the store (recovering it) and starts serving on the broker.
     *
     * @throws IOException when the store cannot be opened (in use by another process, unreadable)
     */
    public static TitanicServer start(Context ctx, TitanicConfig config) throws IOException {
        FileJournal journal = FileJournal.open(config.storeDir(), config.journal());
        TitanicServer s;
        try {
            s = new TitanicServer(ctx, config, journal);
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
        int[] c = s.store.counts();
        LOG.log(Level.INFO, "titanic on {0}: store {1} holds {2} open requests, {3} waiting for a reply",
                config.brokers(), config.storeDir(), c[0], c[1]);
        s.threads.forEach(Thread::start);
        ctx.addMetricsSource(s.metrics); // kind titanic, until close()
        return s;
    }

    private void serve(Context ctx, String service, Function<List<byte[]>, List<byte[]>> handler) {
        MajordomoWorker w = new MajordomoWorker(ctx, config.brokers(), service, MdpVersion.MDP01, config.heartbeat(), 3);
        workers.add(w);
        Thread t = new Thread(() -> w.serve(handler), "zmq4j-titanic-" + service);
        t.setDaemon(true);
        threads.add(t);
    }

    private static List<byte[]> status(String code) {
        return List.of(code.getBytes(StandardCharsets.US_ASCII));
    }

    private List<byte[]> onRequest(List<byte[]> body) {
        if (body.size() < 2 || body.get(0).length == 0 || body.get(0).length > 255) {
            LOG.log(Level.WARNING, "titanic.request with {0} frames: needs a service name and a body", body.size());
            return status(Tsp.ERROR);
        }
        String service = new String(body.get(0), StandardCharsets.UTF_8);
        try {
            String uuid = store.request(service, body.subList(1, body.size()), Tsp.newUuid());
            LOG.log(Level.DEBUG, "stored request {0} for ''{1}''", uuid, service);
            return List.of(OK, uuid.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.log(Level.ERROR, "titanic cannot store a request for '" + service + "'", e);
            return status(Tsp.ERROR);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "titanic refused a request for ''{0}'': {1}", service, e.getMessage());
            return status(Tsp.ERROR);
        }
    }

    private static String uuidOf(List<byte[]> body) {
        return body.size() == 1 ? Tsp.uuid(new String(body.get(0), StandardCharsets.US_ASCII)) : null;
    }

    private List<byte[]> onReply(List<byte[]> body) {
        String uuid = uuidOf(body);
        if (uuid == null) {
            return status(Tsp.UNKNOWN);
        }
        try {
            List<byte[]> reply = store.replyOf(uuid);
            if (reply != null) {
                List<byte[]> out = new ArrayList<>(reply.size() + 1);
                out.add(OK);
                out.addAll(reply);
                return out;
            }
            return status(store.known(uuid) ? Tsp.PENDING : Tsp.UNKNOWN);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "titanic cannot read the reply of " + uuid, e);
            return status(Tsp.ERROR);
        }
    }

    private List<byte[]> onClose(List<byte[]> body) {
        String uuid = uuidOf(body);
        if (uuid == null) {
            return status(Tsp.UNKNOWN);
        }
        try {
            store.close(uuid);
            return status(Tsp.OK);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "titanic cannot close " + uuid, e);
            return status(Tsp.ERROR);
        }
    }

    private void dispatch() {
        Set<String> resting = new HashSet<>();
        long restUntil = System.nanoTime();
        long retryMillis = config.retryInterval().toMillis();
        try {
            while (!closed) {
                if (System.nanoTime() - restUntil >= 0) {
                    resting.clear();
                    restUntil = System.nanoTime() + config.retryInterval().toNanos();
                }
                TitanicStore.Pending p = store.nextPending(resting, retryMillis);
                if (p == null) {
                    continue;
                }
                try {
                    Reply mmi = dispatcherClient.call("mmi.service", List.of(p.service().getBytes(StandardCharsets.UTF_8)));
                    if (mmi.frames().isEmpty() || !Tsp.status(mmi.frames().get(0)).equals("200")) {
                        resting.add(p.service());
                        continue;
                    }
                    Reply r = dispatcherClient.call(p.service(), p.body());
                    if (store.reply(p.uuid(), r.frames())) {
                        dispatched++;
                        LOG.log(Level.DEBUG, "stored the reply of {0} from ''{1}''", p.uuid(), p.service());
                    }
                } catch (NoReplyException e) {
                    LOG.log(Level.INFO, "titanic: no reply from ''{0}'' for {1} in {2} ms; trying again later",
                            p.service(), p.uuid(), config.dispatchTimeout().toMillis());
                    resting.add(p.service());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ZmqException e) {
            if (!closed) {
                LOG.log(Level.ERROR, "titanic's dispatcher stopped", e);
            }
        } catch (IOException e) {
            LOG.log(Level.ERROR, "titanic's dispatcher stopped: the store failed", e);
        }
    }

    /** Open requests (not closed yet). */
    public int openRequests() {
        return store.openRequests();
    }

    /** Open requests without a reply yet. */
    public int pendingRequests() {
        return store.pendingRequests();
    }

    /** Replies stored since this server started. */
    public long dispatched() {
        return dispatched;
    }

    /** Stops the workers and the dispatcher and closes the store. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        ctx.removeMetricsSource(metrics);
        workers.forEach(MajordomoWorker::close);
        dispatcherClient.close();
        store.wakeDispatcher();
        for (Thread t : threads) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        journal.close();
    }
}
