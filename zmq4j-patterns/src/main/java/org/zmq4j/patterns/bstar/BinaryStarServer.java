package org.zmq4j.patterns.bstar;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.patterns.internal.Multipart;
import org.zmq4j.patterns.internal.ServiceLoop;

/**
 * A request-reply server as one node of a Binary Star pair (the zguide's {@code bstarsrv2}): a
 * ROUTER frontend for REQ (or DEALER) clients, served by {@code handler} only while this node is
 * active; requests that reach the passive node are dropped, unless the peer is gone, in which case
 * the request is the client vote that makes this node active. Clients fail over between the pair's
 * two frontends, as {@link org.zmq4j.patterns.lazypirate.LazyPirateClient} does with both in its
 * server list.
 * <pre>{@code
 * // primary: clients on 5001, state out on 5003, the backup's state from 5004
 * BinaryStarServer primary = new BinaryStarServer(ctx, BinaryStarState.PRIMARY, "tcp://*:5001",
 *         "tcp://*:5003", "tcp://backup:5004", Duration.ofSeconds(1));
 * primary.start(request -> request);   // echo
 * }</pre>
 * Thread-safety: construct on any thread; the sockets belong to the serving thread from
 * {@link #start} or {@link #run} on; {@link #state()}, {@link #node()} listeners and
 * {@link #close()} from any thread.
 */
public final class BinaryStarServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.bstar");

    private final Socket frontend;
    private final BinaryStarNode node;
    private final String frontendEndpoint;
    private final ServiceLoop loop = new ServiceLoop("zmq4j-bstar-server");

    /**
     * Binds the frontend and the state publisher, connects to the peer's state.
     *
     * @param role       {@link BinaryStarState#PRIMARY} or {@link BinaryStarState#BACKUP}
     * @param frontend   where clients connect (bound)
     * @param localState where this node publishes its state (bound)
     * @param peerState  where the peer publishes its state (connected)
     * @param heartbeat  the state heartbeat (the zguide's 1 s)
     */
    public BinaryStarServer(Context ctx, BinaryStarState role, String frontend, String localState, String peerState,
            Duration heartbeat) {
        Objects.requireNonNull(frontend, "frontend");
        this.node = new BinaryStarNode(ctx, role, localState, peerState, heartbeat);
        this.frontend = ctx.socket(SocketType.ROUTER);
        try {
            this.frontend.setOption(Option.LINGER, 0);
            this.frontend.bind(frontend);
            this.frontendEndpoint = this.frontend.lastEndpoint();
        } catch (RuntimeException e) {
            this.frontend.close();
            node.close();
            throw e;
        }
        LOG.log(Level.INFO, "Binary Star " + role + ": clients on " + frontendEndpoint);
    }

    /** The clients' endpoint, as bound. */
    public String frontendEndpoint() {
        return frontendEndpoint;
    }

    /** The pair's logic: state, failure, listeners. */
    public BinaryStarNode node() {
        return node;
    }

    /** This node's state now. */
    public BinaryStarState state() {
        return node.state();
    }

    /**
     * Serves on a new thread, {@code zmq4j-bstar-server}.
     *
     * @param handler the reply's frames for a request's frames (the envelope is kept aside)
     */
    public void start(Function<List<byte[]>, List<byte[]>> handler) {
        Objects.requireNonNull(handler, "handler");
        loop.start(() -> run(handler));
    }

    /**
     * Serves on the calling thread until {@link #close()}, an interrupt, the context closing, or the
     * node failing (dual active or dual passive).
     */
    public void run(Function<List<byte[]>, List<byte[]>> handler) {
        Objects.requireNonNull(handler, "handler");
        loop.run(() -> serve(handler), () -> {
            frontend.close();
            node.close();
            LOG.log(Level.INFO, "Binary Star server on " + frontendEndpoint + " stopped");
        });
    }

    private void serve(Function<List<byte[]>, List<byte[]>> handler) {
        try (Poller poller = new Poller()) {
            poller.register(frontend, Poller.POLLIN);
            node.register(poller);
            while (!Thread.currentThread().isInterrupted() && !node.failed()) {
                poller.poll(Math.max(0, node.nextTick() - BinaryStarNode.now()));
                node.process(BinaryStarNode.now());
                List<byte[]> m;
                for (int i = 0; i < 1000 && (m = Multipart.recvNow(frontend)) != null; i++) {
                    if (node.vote(BinaryStarNode.now())) {
                        answer(m, handler);
                    }
                }
            }
        }
    }

    private void answer(List<byte[]> message, Function<List<byte[]>, List<byte[]>> handler) {
        int body = 1;
        for (int i = 1; i < message.size(); i++) {
            if (message.get(i).length == 0) {
                body = i + 1; // the envelope ends at the first empty frame (REQ's delimiter)
                break;
            }
        }
        List<byte[]> reply = handler.apply(List.copyOf(message.subList(body, message.size())));
        if (reply == null) {
            return;
        }
        List<byte[]> out = new ArrayList<>(message.subList(1, body));
        out.addAll(reply);
        Multipart.send(frontend, message.get(0), out);
    }

    /** Stops serving and closes the sockets; waits up to 5 s for the serving thread. Idempotent. */
    @Override
    public void close() {
        if (!loop.stop()) {
            frontend.close();
            node.close();
        }
    }
}
