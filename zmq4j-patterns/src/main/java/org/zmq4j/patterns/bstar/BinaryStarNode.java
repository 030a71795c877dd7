package org.zmq4j.patterns.bstar;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/**
 * One node of a Binary Star pair, for a poll loop of yours: a PUB (bound) that tells the peer this
 * node's state every heartbeat, a SUB (connected to the peer's PUB) that hears the peer's, and the
 * state machine. Wire-compatible with the zguide's {@code bstar}: the state is one frame holding its
 * number in ASCII decimal ({@link BinaryStarState#code()}); the peer is gone after two heartbeats
 * without it.
 * <pre>{@code
 * BinaryStarNode node = new BinaryStarNode(ctx, BinaryStarState.PRIMARY,
 *         "tcp://*:5003", "tcp://backup:5004", Duration.ofSeconds(1));
 * node.register(poller);
 * while (...) {
 *     poller.poll(Math.max(0, node.nextTick() - now()));
 *     node.process(now());                      // the peer's state in, ours out
 *     for (each request on your frontend) {
 *         if (node.vote(now())) { serve it } else { drop it: the client fails over }
 *     }
 * }
 * }</pre>
 * A node that finds itself active with an active peer, or passive with a passive one, fails: it
 * stops serving ({@link #failed()}) and logs the reason, as the zguide's servers exit.
 *
 * <p>Thread-safety: one thread (the loop's) for everything but {@link #state()},
 * {@link #failure()} and {@link #onChange}, which any thread may call.
 */
public final class BinaryStarNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.bstar");

    private final StateMachine machine;
    private final long heartbeatMillis;
    private final Socket statePub;
    private final Socket stateSub;
    private final String statePubEndpoint;
    private final CopyOnWriteArrayList<Consumer<BinaryStarState>> listeners = new CopyOnWriteArrayList<>();
    private long nextPublish;
    private volatile BinaryStarState state;
    private volatile String failure;

    /**
     * Binds the state publisher and connects to the peer's.
     *
     * @param ctx        the context
     * @param role       {@link BinaryStarState#PRIMARY} or {@link BinaryStarState#BACKUP}
     * @param localState where this node publishes its state (bound)
     * @param peerState  where the peer publishes its state (connected)
     * @param heartbeat  how often the state is published (the zguide's 1 s); the peer is gone after
     *                   two without it
     */
    public BinaryStarNode(Context ctx, BinaryStarState role, String localState, String peerState, Duration heartbeat) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(localState, "localState");
        Objects.requireNonNull(peerState, "peerState");
        heartbeatMillis = heartbeat.toMillis();
        if (heartbeatMillis <= 0) {
            throw new IllegalArgumentException("the heartbeat must be positive, not " + heartbeat);
        }
        long now = now();
        machine = new StateMachine(role, heartbeatMillis, now);
        state = role;
        statePub = ctx.socket(SocketType.PUB);
        stateSub = ctx.socket(SocketType.SUB);
        try {
            statePub.setOption(Option.LINGER, 0);
            statePub.bind(localState);
            statePubEndpoint = statePub.lastEndpoint();
            stateSub.setOption(Option.LINGER, 0);
            stateSub.setOption(Option.SUBSCRIBE, new byte[0]);
            stateSub.connect(peerState);
        } catch (RuntimeException e) {
            statePub.close();
            stateSub.close();
            throw e;
        }
        nextPublish = now;
        LOG.log(Level.INFO, "Binary Star " + role + ": state on " + statePubEndpoint + ", peer's from " + peerState);
    }

    /** Where this node publishes its state, as bound. */
    public String statePubEndpoint() {
        return statePubEndpoint;
    }

    /** Calls {@code listener} with each new state, on the loop's thread. */
    public void onChange(Consumer<BinaryStarState> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Makes {@code poller} return when the peer's state arrives. */
    public void register(Poller poller) {
        poller.register(stateSub, Poller.POLLIN);
    }

    /** The time of the next state to publish. */
    public long nextTick() {
        return nextPublish;
    }

    /** Reads the peer's states that arrived and publishes this node's when due. */
    public void process(long now) {
        byte[] frame;
        while (failure == null && (frame = stateSub.recv(Socket.DONTWAIT)) != null) {
            boolean more = stateSub.hasMore();
            while (stateSub.hasMore()) {
                stateSub.recv();
            }
            BinaryStarState peer = more ? null : parse(frame);
            if (peer == null) {
                LOG.log(Level.WARNING, "dropping a state message from the peer that is not one frame 1 to 4");
                continue;
            }
            outcome(machine.onPeer(peer, now));
        }
        if (now - nextPublish >= 0) {
            nextPublish = now + heartbeatMillis;
            if (failure == null) {
                try {
                    statePub.send(Integer.toString(machine.state().code()).getBytes(StandardCharsets.US_ASCII), Socket.DONTWAIT);
                } catch (ZmqException e) {
                    if (e.errno() != ZmqException.Errno.EAGAIN) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * A client request arrived: whether to serve it. A passive node becomes active here when the
     * peer is gone (the client vote).
     */
    public boolean vote(long now) {
        if (failure != null) {
            return false;
        }
        return outcome(machine.onClientRequest(now)) == StateMachine.Outcome.OK;
    }

    /** Whether this node serves clients now. */
    public boolean isActive() {
        return failure == null && state == BinaryStarState.ACTIVE;
    }

    /** The node's state now. */
    public BinaryStarState state() {
        return state;
    }

    /** Why the node failed (dual active or dual passive), or null while it works. */
    public String failure() {
        return failure;
    }

    /** Whether the node failed and stopped serving. */
    public boolean failed() {
        return failure != null;
    }

    private StateMachine.Outcome outcome(StateMachine.Outcome o) {
        switch (o) {
            case DUAL_ACTIVE -> fail("dual active: this node and its peer are both active (split brain); stopping");
            case DUAL_PASSIVE -> fail("dual passive: this node and its peer are both passive; stopping");
            default -> {
                BinaryStarState now = machine.state();
                if (now != state) {
                    state = now;
                    for (Consumer<BinaryStarState> l : listeners) {
                        l.accept(now);
                    }
                }
            }
        }
        return o;
    }

    private void fail(String why) {
        failure = why;
        LOG.log(Level.ERROR, "Binary Star " + state + ": " + why);
    }

    private static BinaryStarState parse(byte[] frame) {
        if (frame.length != 1 || frame[0] < '1' || frame[0] > '4') {
            return null;
        }
        return BinaryStarState.of(frame[0] - '0');
    }

    /** The clock the node's times are in: {@code System.nanoTime()} in milliseconds. */
    public static long now() {
        return System.nanoTime() / 1_000_000L;
    }

    /** Closes the state sockets (on the loop's thread, or after it ended). */
    @Override
    public void close() {
        statePub.close();
        stateSub.close();
    }
}
