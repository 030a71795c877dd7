package org.zmq4j.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.zmq4j.testsuite.Suite.awaitFlowing;
import static org.zmq4j.testsuite.Suite.b;
import static org.zmq4j.testsuite.Suite.deliver;
import static org.zmq4j.testsuite.Suite.expectSkippingProbes;
import static org.zmq4j.testsuite.Suite.subscribe;

import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.SocketType;
import org.zmq4j.testsuite.End.Impl;

/**
 * A libzmq peer is killed (SIGKILL: no goodbye) and a new one started, three lives in a row; the
 * socket under test (the "survivor", zmq4j) stays up and traffic must flow with each new peer.
 * Over tcp and ipc. When the survivor connects, the new peer binds the same endpoint (port or
 * path) and the survivor must reconnect (and, for SUB, resend its subscriptions); when the
 * survivor binds, the new peer connects and the survivor must drop the dead connection and serve
 * the new one (for ROUTER: the dead peer's routing id becomes unreachable).
 */
@ExtendWith(NamedFailures.class)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PeerRestartTest {
    private static final int LIVES = 3;

    static List<Arguments> subjects() {
        List<Arguments> out = new ArrayList<>();
        Case.libzmqTransports().forEach(t -> Case.subjects().forEach(impl -> out.add(Arguments.of(t, impl))));
        return out;
    }

    @ParameterizedTest(name = "{0}: {1} DEALER connects, libzmq ROUTER killed and restarted on the same endpoint")
    @MethodSource("subjects")
    void connectingDealerReconnectsToRestartedRouter(Transport t, Impl impl) {
        byte[] id = b("dealer-R");
        try (Harness h = new Harness(t)) {
            End dealer = h.open(impl, SocketType.DEALER);
            dealer.option("ROUTING_ID", id);
            dealer.option("RECONNECT_IVL", 100);
            threeLives(h, dealer, null, SocketType.ROUTER, (router, life, what) -> {
                sendUntilReceived(dealer, router, "life" + life, what, id);
                deliver(router, dealer, Msg.of(id, b("welcome " + life)), Msg.of("welcome " + life), what);
            });
        }
    }

    @ParameterizedTest(name = "{0}: {1} SUB connects, libzmq PUB killed and restarted on the same endpoint")
    @MethodSource("subjects")
    void connectingSubResubscribesToRestartedPub(Transport t, Impl impl) {
        try (Harness h = new Harness(t)) {
            End sub = h.open(impl, SocketType.SUB);
            sub.option("RECONNECT_IVL", 100);
            subscribe(sub, "news");
            threeLives(h, sub, null, SocketType.PUB, (pub, life, what) -> {
                awaitFlowing(pub, sub, "news", what + " (subscription must be resent on reconnect)");
                publishAndExpect(pub, sub, "sport", "news of life " + life, what);
            });
        }
    }

    @ParameterizedTest(name = "{0}: {1} PUSH connects, libzmq PULL killed and restarted on the same endpoint")
    @MethodSource("subjects")
    void connectingPushReconnectsToRestartedPull(Transport t, Impl impl) {
        try (Harness h = new Harness(t)) {
            End push = h.open(impl, SocketType.PUSH);
            push.option("RECONNECT_IVL", 100);
            threeLives(h, push, null, SocketType.PULL, (pull, life, what) -> pushLife(push, pull, life, what));
        }
    }

    /**
     * After each kill the ROUTER must notice the dead connection by itself (ROUTER_MANDATORY sends
     * to its routing id become EHOSTUNREACH) and serve the next DEALER. Each life uses a new
     * routing id: libzmq 4.3.4 itself ignores a reconnecting peer whose routing id is still held
     * by a dying pipe (unless ROUTER_HANDOVER), and its API gives no signal of when that pipe is
     * finally gone, so a same-id restart would make the libzmq control case racy.
     */
    @ParameterizedTest(name = "{0}: {1} ROUTER binds, libzmq DEALER killed and restarted")
    @MethodSource("subjects")
    void bindingRouterDropsDeadDealerAndServesTheNextOne(Transport t, Impl impl) {
        try (Harness h = new Harness(t)) {
            End router = h.open(impl, SocketType.ROUTER);
            router.option("ROUTER_MANDATORY", true);
            threeLives(h, router, h.bind(router), SocketType.DEALER, new Life() {
                @Override
                public void setUp(End dealer, int life) {
                    dealer.option("ROUTING_ID", id(life));
                }

                @Override
                public void exchange(End dealer, int life, String what) {
                    sendUntilReceived(dealer, router, "life" + life, what, id(life));
                    deliver(router, dealer, Msg.of(id(life), b("welcome " + life)), Msg.of("welcome " + life), what);
                }

                @Override
                public void afterKill(int life, String what) {
                    awaitUnreachable(router, id(life), what + ", after SIGKILL of the DEALER");
                }

                private byte[] id(int life) {
                    return b("dealer-" + life);
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}: {1} PULL binds, libzmq PUSH killed and restarted")
    @MethodSource("subjects")
    void bindingPullReceivesFromRestartedPush(Transport t, Impl impl) {
        try (Harness h = new Harness(t)) {
            End pull = h.open(impl, SocketType.PULL);
            threeLives(h, pull, h.bind(pull), SocketType.PUSH, (push, life, what) -> pushLife(push, pull, life, what));
        }
    }

    @ParameterizedTest(name = "{0}: {1} PUB binds, libzmq SUB killed and restarted")
    @MethodSource("subjects")
    void bindingPubServesRestartedSub(Transport t, Impl impl) {
        try (Harness h = new Harness(t)) {
            End pub = h.open(impl, SocketType.PUB);
            threeLives(h, pub, h.bind(pub), SocketType.SUB, new Life() {
                @Override
                public void setUp(End sub, int life) {
                    subscribe(sub, "t");
                }

                @Override
                public void exchange(End sub, int life, String what) {
                    awaitFlowing(pub, sub, "t", what);
                    publishAndExpect(pub, sub, "u", "t of life " + life, what);
                }
            });
        }
    }

    /** What happens in one life of the restarted libzmq peer. */
    private interface Life {
        /** Configures the new peer's socket before it binds or connects. */
        default void setUp(End peer, int life) {
        }

        /** The traffic between the survivor and the new peer; the peer is killed afterwards. */
        void exchange(End peer, int life, String what);

        /** Checks the survivor after the peer was killed. */
        default void afterKill(int life, String what) {
        }
    }

    /**
     * Runs {@link #LIVES} lives of a libzmq peer with a socket of {@code peerType}, each killed
     * (SIGKILL) at its end. A survivor bound to {@code boundAt} gets a new peer connecting each
     * time; a survivor that is not bound ({@code boundAt} null) connects once, in the first life,
     * and each new peer binds the endpoint of the one before (a fresh one the first time).
     */
    private static void threeLives(Harness h, End survivor, String boundAt, SocketType peerType, Life lives) {
        String endpoint = boundAt;
        boolean survivorBinds = boundAt != null;
        for (int life = 0; life < LIVES; life++) {
            String what = h.transport + ": " + survivor + ", libzmq " + peerType + " life " + life;
            try (LibzmqPeer peer = LibzmqPeer.start()) {
                End other = new LibzmqEnd(peer, peerType);
                lives.setUp(other, life);
                if (survivorBinds) {
                    other.connect(endpoint);
                } else {
                    endpoint = bindSame(h, other, endpoint, what);
                    if (life == 0) {
                        survivor.connect(endpoint);
                    }
                }
                lives.exchange(other, life, what);
                peer.kill();
            }
            lives.afterKill(life, what);
        }
    }

    /** PUSH to PULL in one life: probes until one arrives, then a 1 MiB message. */
    private static void pushLife(End push, End pull, int life, String what) {
        sendUntilReceived(push, pull, "life" + life, what);
        Msg big = Msg.of(b("life " + life), Payloads.bytes(Payloads.MIB, life));
        push.send(big);
        expectSkippingProbes(pull, big, what + ", 1 MiB");
    }

    /** Publishes {@code filtered} then {@code wanted}; the subscriber must get {@code wanted} next. */
    private static void publishAndExpect(End pub, End sub, String filtered, String wanted, String what) {
        pub.send(Msg.of(filtered));
        pub.send(Msg.of(wanted));
        expectSkippingProbes(sub, Msg.of(wanted), what);
    }

    /**
     * Sends to {@code id} on a ROUTER_MANDATORY ROUTER until that fails with EHOSTUNREACH (the
     * connection is known dead), receiving in between (so a libzmq control also processes the
     * pipe's termination). Messages arriving meanwhile must be leftover probes.
     */
    private static void awaitUnreachable(End router, byte[] id, String what) {
        long deadline = System.nanoTime() + Suite.SETTLE.toNanos();
        String last = null;
        while (System.nanoTime() - deadline < 0) {
            last = router.trySend(Msg.of(id, b("anyone there?")), Suite.PROBE_WAIT_MS);
            if ("EHOSTUNREACH".equals(last)) {
                return;
            }
            Msg m;
            while ((m = router.recv(Suite.PROBE_WAIT_MS)) != null) {
                if (!Suite.isProbe(m.drop(1))) {
                    throw new AssertionError(what + ": " + router + " received unexpected " + m);
                }
            }
        }
        throw new AssertionError(what + ": " + router + " still accepts messages for the dead peer "
                + Msg.describe(id) + " after " + Suite.SETTLE + " (last send result: "
                + (last == null ? "queued" : last) + "); the dead connection was never dropped");
    }

    /** Binds {@code end} to the endpoint of the previous life, or to a free port the first time. */
    private static String bindSame(Harness h, End end, String endpoint, String what) {
        if (endpoint == null) {
            return h.bind(end);
        }
        assertEquals(endpoint, end.bind(endpoint), what + ": rebinding the same endpoint");
        return endpoint;
    }

    /**
     * Sends "{@code topic}#k" (k = 0, 1, ...) until one arrives, as {@code head} + [topic#k]; each
     * attempt waits {@link Suite#PROBE_WAIT_MS}; bounded by {@link Suite#SETTLE}. Probes of
     * earlier lives still queued in the survivor may arrive first and are skipped; sends that
     * would block (no connection yet, HWM) are retried.
     */
    private static void sendUntilReceived(End from, End to, String topic, String what, byte[]... head) {
        long deadline = System.nanoTime() + Suite.SETTLE.toNanos();
        int k = 0;
        while (System.nanoTime() - deadline < 0) {
            from.trySend(Msg.of(topic + "#" + k++), Suite.PROBE_WAIT_MS);
            Msg m;
            while ((m = to.recv(Suite.PROBE_WAIT_MS)) != null) {
                Msg body = m.drop(head.length);
                boolean current = Suite.isProbe(body) && body.text(0).startsWith(topic + "#");
                boolean headOk = m.size() == head.length + 1
                        && Msg.of(head).equals(new Msg(m.frames().subList(0, head.length)));
                if (current && headOk) {
                    return;
                }
                if (current || m.size() != head.length + 1 || !Suite.isProbe(body)) {
                    throw new AssertionError(what + ": " + to + " received unexpected " + m + " (expected "
                            + Arrays.toString(Arrays.stream(head).map(Msg::describe).toArray()) + " + '" + topic + "#k')");
                }
                // a probe of an earlier life, still queued when that peer died: skip
            }
        }
        throw new AssertionError(what + ": none of " + k + " messages sent by " + from + " reached " + to
                + " within " + Suite.SETTLE + " (no reconnection?)");
    }
}
