package org.zmq4j.patterns.mdp;

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
 * A Majordomo worker (rfc 7 / rfc 18): registers for one service with a broker, takes its requests
 * and answers them, heartbeating meanwhile. When the broker goes silent for {@code liveness}
 * heartbeats it opens a new socket and registers again (after a back-off that doubles up to 32
 * times the heartbeat); when the connection drops, or the broker sends DISCONNECT, it does so at
 * once.
 * <pre>{@code
 * try (MajordomoWorker worker = new MajordomoWorker(ctx, "tcp://localhost:5555", "echo")) {
 *     worker.serve(request -> request);            // until interrupted or closed
 * }
 * }</pre>
 * Thread-safety: one thread uses a worker (its socket is a classic one). {@link #close()} from
 * another thread is allowed: it interrupts the worker's thread, which closes the worker as it
 * leaves {@link #receive()} (returning null) or {@link #reply}.
 */
public final class MajordomoWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.mdp.worker");

    /** A request taken from the broker, to answer with {@link #reply} (and, MDP/0.2, {@link #partial}). */
    public static final class Request {
        private final byte[] client;
        private final List<byte[]> body;
        private boolean answered;

        Request(byte[] client, List<byte[]> body) {
            this.client = client;
            this.body = body;
        }

        /** The request's frames. */
        public List<byte[]> body() {
            return body;
        }
    }

    private final String service;
    private final MdpVersion version;
    private final PeerLink link;
    private final OwnerGuard guard;

    /** An MDP/0.1 worker with MDP's heartbeat (2.5 s, liveness 3). */
    public MajordomoWorker(Context ctx, String broker, String service) {
        this(ctx, broker, service, MdpVersion.MDP01, Duration.ofMillis(2500), 3);
    }

    /**
     * Connects and registers (READY).
     *
     * @param ctx       the context
     * @param broker    the broker's endpoint
     * @param service   the service to serve (not in the reserved {@code mmi.} namespace)
     * @param version   MDP/0.1 or MDP/0.2
     * @param heartbeat the heartbeat interval, as the broker's
     * @param liveness  heartbeats the broker may miss before the worker reconnects
     */
    public MajordomoWorker(Context ctx, String broker, String service, MdpVersion version, Duration heartbeat, int liveness) {
        this(ctx, List.of(Objects.requireNonNull(broker, "broker")), service, version, heartbeat, liveness);
    }

    /**
     * Connects to the first of {@code brokers} and registers (READY); when that broker stays silent
     * for {@code liveness} heartbeats, the worker moves to the next (an HA broker pair: the active
     * one answers, the passive one does not).
     *
     * @param brokers the brokers' endpoints, in the order to try them
     */
    public MajordomoWorker(Context ctx, List<String> brokers, String service, MdpVersion version, Duration heartbeat,
            int liveness) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(brokers, "brokers");
        this.service = Objects.requireNonNull(service, "service");
        this.version = Objects.requireNonNull(version, "version");
        if (service.startsWith("mmi.")) {
            throw new IllegalArgumentException("service '" + service + "' is in the broker's reserved mmi. namespace");
        }
        this.link = new PeerLink(ctx, brokers, command(Mdp.W_READY, List.of(Mdp.ascii(service))),
                command(Mdp.heartbeat(version), List.of()), heartbeat, liveness, LOG,
                "worker for '" + service + "' (" + version + ")");
        this.guard = new OwnerGuard(() -> link.close(command(Mdp.disconnect(version), List.of())));
    }

    private List<byte[]> command(byte command, List<byte[]> rest) {
        return Mdp.toWorker(version, version == MdpVersion.MDP01, command, rest);
    }

    /** The service this worker serves. */
    public String service() {
        return service;
    }

    /**
     * Waits for the next request, heartbeating and reconnecting as needed.
     *
     * @return the request, or null when the worker was closed or the thread interrupted
     */
    public Request receive() {
        if (!guard.enter()) {
            return null;
        }
        try {
            while (!guard.closed()) {
                Request r = handle(link.receive());
                if (r != null) {
                    return r;
                }
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

    /** One message from the broker; a request to hand to the application, or null. */
    private Request handle(List<byte[]> frames) {
        int i = frames.size() > 0 && frames.get(0).length == 0 ? 1 : 0;
        if (frames.size() < i + 2 || !Mdp.is(frames.get(i), version.worker())) {
            LOG.log(Level.WARNING, "dropping a message that is not " + version + " from the broker");
            return null;
        }
        byte[] command = frames.get(i + 1);
        if (Mdp.isCode(command, Mdp.W_REQUEST) && frames.size() >= i + 4 && frames.get(i + 3).length == 0) {
            return new Request(frames.get(i + 2), new ArrayList<>(frames.subList(i + 4, frames.size())));
        }
        if (Mdp.isCode(command, Mdp.disconnect(version))) {
            LOG.log(Level.INFO, "broker " + link.endpoint() + " sent DISCONNECT; registering again");
            link.open();
        }
        return null; // HEARTBEAT, or anything else: a sign of life only
    }

    /**
     * Answers a request: its final (MDP/0.1: its only) reply.
     *
     * @param request the request
     * @param body    the reply's frames
     */
    public void reply(Request request, List<byte[]> body) {
        answer(request, version == MdpVersion.MDP01 ? Mdp.W01_REPLY : Mdp.W02_FINAL, body);
        request.answered = true;
    }

    /**
     * MDP/0.2: a partial reply; the final one comes with {@link #reply}.
     *
     * @param request the request
     * @param body    the partial reply's frames
     * @throws IllegalStateException for an MDP/0.1 worker, or once the request was answered
     */
    public void partial(Request request, List<byte[]> body) {
        if (version != MdpVersion.MDP02) {
            throw new IllegalStateException("partial replies are MDP/0.2's; this worker speaks " + version);
        }
        answer(request, Mdp.W02_PARTIAL, body);
    }

    private void answer(Request request, byte command, List<byte[]> body) {
        if (request.answered) {
            throw new IllegalStateException("the request was answered already");
        }
        if (!guard.enter()) {
            throw new IllegalStateException("the worker was closed");
        }
        try {
            if (link.lost()) {
                // the broker that gave the request is gone (its client will retry); a reply queued on
                // this socket would reach its successor as a command from an unknown worker
                LOG.log(Level.INFO, "dropping a reply: the broker that sent the request is gone");
                return;
            }
            List<byte[]> rest = new ArrayList<>(body.size() + 2);
            rest.add(request.client);
            rest.add(Mdp.EMPTY);
            rest.addAll(body);
            link.send(command(command, rest));
        } finally {
            guard.exit();
        }
    }

    /**
     * Serves requests with {@code handler} (request frames to reply frames) until the worker is
     * closed or the thread interrupted.
     *
     * @param handler computes each reply
     */
    public void serve(Function<List<byte[]>, List<byte[]>> handler) {
        Request r;
        while ((r = receive()) != null) {
            reply(r, handler.apply(r.body()));
        }
    }

    /**
     * Tells the broker (DISCONNECT) and closes the socket. From another thread, it interrupts the
     * worker's thread, which does the closing as it leaves. Idempotent.
     */
    @Override
    public void close() {
        guard.close();
    }
}
