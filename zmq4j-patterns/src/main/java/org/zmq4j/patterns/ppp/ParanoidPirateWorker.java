package org.zmq4j.patterns.ppp;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.zmq4j.Context;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.internal.OwnerGuard;
import org.zmq4j.patterns.internal.PeerLink;

/**
 * A Paranoid Pirate worker (rfc 6, the zguide's {@code ppworker}): says READY to its queue, takes
 * requests and replies to each, heartbeats meanwhile (1 s by default). When the queue is silent for
 * {@code liveness} heartbeats (3) it opens a new socket and says READY again, after a back-off
 * that doubles up to 32 times the heartbeat; when the connection drops, it does so at once.
 * <pre>{@code
 * try (ParanoidPirateWorker worker = new ParanoidPirateWorker(ctx, "tcp://localhost:5556")) {
 *     worker.serve(request -> request);   // echo, until interrupted or closed
 * }
 * }</pre>
 * Thread-safety: one thread uses a worker. {@link #close()} from another thread interrupts it; it
 * closes the worker as it leaves {@link #receive()} (returning null) or {@link #reply}.
 */
public final class ParanoidPirateWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.ppp.worker");

    /** A request: its body, and the envelope its reply goes back with. */
    public static final class Request {
        private final List<byte[]> envelope;
        private final List<byte[]> body;
        private boolean answered;

        Request(List<byte[]> envelope, List<byte[]> body) {
            this.envelope = envelope;
            this.body = body;
        }

        /** The request's frames (after the envelope). */
        public List<byte[]> body() {
            return body;
        }
    }

    private final PeerLink link;
    private final OwnerGuard guard;

    /** A worker with the zguide's heartbeat: 1 s, liveness 3. */
    public ParanoidPirateWorker(Context ctx, String queue) {
        this(ctx, queue, Duration.ofSeconds(1), 3);
    }

    /**
     * Connects and says READY.
     *
     * @param ctx       the context
     * @param queue     the queue's backend endpoint
     * @param heartbeat the heartbeat interval, as the queue's
     * @param liveness  heartbeats the queue may miss before the worker starts over
     */
    public ParanoidPirateWorker(Context ctx, String queue, Duration heartbeat, int liveness) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(queue, "queue");
        link = new PeerLink(ctx, List.of(queue), Ppp.command(Ppp.READY), Ppp.command(Ppp.HEARTBEAT), heartbeat, liveness, LOG,
                "Paranoid Pirate worker");
        guard = new OwnerGuard(() -> link.close(null)); // rfc 6 has no goodbye: the queue's expiry notices
    }

    /**
     * Waits for the next request, heartbeating and starting over as needed.
     *
     * @return the request, or null when the worker was closed or the thread interrupted
     */
    public Request receive() {
        if (!guard.enter()) {
            return null;
        }
        try {
            while (!guard.closed()) {
                List<byte[]> m = link.receive();
                if (Ppp.is(m, Ppp.HEARTBEAT)) {
                    continue;
                }
                int body = Ppp.bodyStart(m);
                if (body > 0) {
                    return new Request(List.copyOf(m.subList(0, body)), new ArrayList<>(m.subList(body, m.size())));
                }
                LOG.log(Level.WARNING, "dropping a message from the queue that is neither HEARTBEAT nor a request");
            }
            return null;
        } catch (ZmqException e) {
            if (e.errno() == ZmqException.Errno.EINTR || e.errno() == ZmqException.Errno.ETERM) {
                return null;
            }
            throw e;
        } finally {
            guard.exit();
        }
    }

    /**
     * Answers a request.
     *
     * @param request the request
     * @param body    the reply's frames (at least one, rfc 6)
     */
    public void reply(Request request, List<byte[]> body) {
        if (request.answered) {
            throw new IllegalStateException("the request was answered already");
        }
        if (body.isEmpty()) {
            throw new IllegalArgumentException("a reply has one or more frames (rfc 6)");
        }
        if (!guard.enter()) {
            throw new IllegalStateException("the worker was closed");
        }
        try {
            request.answered = true;
            if (link.lost()) {
                LOG.log(Level.INFO, "dropping a reply: the queue that sent the request is gone");
                return;
            }
            List<byte[]> m = new ArrayList<>(request.envelope.size() + body.size());
            m.addAll(request.envelope);
            m.addAll(body);
            link.send(m);
        } finally {
            guard.exit();
        }
    }

    /**
     * Serves requests with {@code handler} until the worker is closed or the thread interrupted.
     *
     * @param handler computes each reply's frames from the request's
     */
    public void serve(Function<List<byte[]>, List<byte[]>> handler) {
        Request r;
        while ((r = receive()) != null) {
            reply(r, handler.apply(r.body()));
        }
    }

    /** Closes the socket; from another thread, interrupts the worker's thread, which closes it. Idempotent. */
    @Override
    public void close() {
        guard.close();
    }
}
