package org.zmq4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.zmq4j.interop.Interop.awaitFlowing;
import static org.zmq4j.interop.Interop.b;
import static org.zmq4j.interop.Interop.deliver;
import static org.zmq4j.interop.Interop.expectSkippingProbes;
import static org.zmq4j.interop.Interop.subscribe;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.interop.End.Impl;

/**
 * A libzmq peer is killed (SIGKILL: no goodbye) and a new one started, three lives in a row; the
 * socket under test (the "survivor", zmq4j) stays up and traffic must flow with each new peer.
 * When the survivor connects, the new peer binds the same port and the survivor must reconnect
 * (and, for SUB, resend its subscriptions); when the survivor binds, the new peer connects and
 * the survivor must drop the dead connection and serve the new one (for ROUTER: same routing id).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PeerRestartInteropTest {
    private static final int LIVES = 3;

    static Stream<Impl> subjects() {
        return Case.subjects();
    }

    @ParameterizedTest(name = "{0} DEALER connects, libzmq ROUTER killed and restarted on the same port")
    @MethodSource("subjects")
    void connectingDealerReconnectsToRestartedRouter(Impl impl) {
        byte[] id = b("dealer-R");
        try (LibzmqPeer survivorPeer = LibzmqPeer.start(); Context ctx = new Context();
             End dealer = Interop.open(ctx, survivorPeer, impl, SocketType.DEALER)) {
            dealer.option("ROUTING_ID", id);
            dealer.option("RECONNECT_IVL", 100);
            String endpoint = null;
            for (int life = 0; life < LIVES; life++) {
                String what = impl + " DEALER, libzmq ROUTER life " + life;
                try (LibzmqPeer peer = LibzmqPeer.start()) {
                    End router = new LibzmqEnd(peer, SocketType.ROUTER);
                    endpoint = bindSame(router, endpoint, what);
                    if (life == 0) {
                        dealer.connect(endpoint);
                    }
                    sendUntilReceived(dealer, router, "life" + life, what, id);
                    deliver(router, dealer, Msg.of(id, b("welcome " + life)), Msg.of("welcome " + life), what);
                    peer.kill();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} SUB connects, libzmq PUB killed and restarted on the same port")
    @MethodSource("subjects")
    void connectingSubResubscribesToRestartedPub(Impl impl) {
        try (LibzmqPeer survivorPeer = LibzmqPeer.start(); Context ctx = new Context();
             End sub = Interop.open(ctx, survivorPeer, impl, SocketType.SUB)) {
            sub.option("RECONNECT_IVL", 100);
            subscribe(sub, "news");
            String endpoint = null;
            for (int life = 0; life < LIVES; life++) {
                String what = impl + " SUB, libzmq PUB life " + life;
                try (LibzmqPeer peer = LibzmqPeer.start()) {
                    End pub = new LibzmqEnd(peer, SocketType.PUB);
                    endpoint = bindSame(pub, endpoint, what);
                    if (life == 0) {
                        sub.connect(endpoint);
                    }
                    awaitFlowing(pub, sub, "news", what + " (subscription must be resent on reconnect)");
                    pub.send(Msg.of("sport"));
                    pub.send(Msg.of("news of life " + life));
                    expectSkippingProbes(sub, Msg.of("news of life " + life), what);
                    peer.kill();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} PUSH connects, libzmq PULL killed and restarted on the same port")
    @MethodSource("subjects")
    void connectingPushReconnectsToRestartedPull(Impl impl) {
        try (LibzmqPeer survivorPeer = LibzmqPeer.start(); Context ctx = new Context();
             End push = Interop.open(ctx, survivorPeer, impl, SocketType.PUSH)) {
            push.option("RECONNECT_IVL", 100);
            String endpoint = null;
            for (int life = 0; life < LIVES; life++) {
                String what = impl + " PUSH, libzmq PULL life " + life;
                try (LibzmqPeer peer = LibzmqPeer.start()) {
                    End pull = new LibzmqEnd(peer, SocketType.PULL);
                    endpoint = bindSame(pull, endpoint, what);
                    if (life == 0) {
                        push.connect(endpoint);
                    }
                    sendUntilReceived(push, pull, "life" + life, what);
                    Msg big = Msg.of(b("life " + life), Payloads.bytes(Payloads.MIB, life));
                    push.send(big);
                    expectSkippingProbes(pull, big, what + ", 1 MiB");
                    peer.kill();
                }
            }
        }
    }

    /**
     * After each kill the ROUTER must notice the dead connection by itself (ROUTER_MANDATORY sends
     * to its routing id become EHOSTUNREACH) and serve the next DEALER. Each life uses a new
     * routing id: libzmq 4.3.4 itself ignores a reconnecting peer whose routing id is still held
     * by a dying pipe (unless ROUTER_HANDOVER), and its API gives no signal of when that pipe is
     * finally gone, so a same-id restart would make the libzmq control case racy.
     */
    @ParameterizedTest(name = "{0} ROUTER binds, libzmq DEALER killed and restarted")
    @MethodSource("subjects")
    void bindingRouterDropsDeadDealerAndServesTheNextOne(Impl impl) {
        try (LibzmqPeer survivorPeer = LibzmqPeer.start(); Context ctx = new Context();
             End router = Interop.open(ctx, survivorPeer, impl, SocketType.ROUTER)) {
            router.option("ROUTER_MANDATORY", true);
            String endpoint = router.bindAnyPort();
            for (int life = 0; life < LIVES; life++) {
                String what = impl + " ROUTER, libzmq DEALER life " + life;
                byte[] id = b("dealer-" + life);
                try (LibzmqPeer peer = LibzmqPeer.start()) {
                    End dealer = new LibzmqEnd(peer, SocketType.DEALER);
                    dealer.option("ROUTING_ID", id);
                    dealer.connect(endpoint);
                    sendUntilReceived(dealer, router, "life" + life, what, id);
                    deliver(router, dealer, Msg.of(id, b("welcome " + life)), Msg.of("welcome " + life), what);
                    peer.kill();
                }
                awaitUnreachable(router, id, what + ", after SIGKILL of the DEALER");
            }
        }
    }

    @ParameterizedTest(name = "{0} PULL binds, libzmq PUSH killed and restarted")
    @MethodSource("subjects")
    void bindingPullReceivesFromRestartedPush(Impl impl) {
        try (LibzmqPeer survivorPeer = LibzmqPeer.start(); Context ctx = new Context();
             End pull = Interop.open(ctx, survivorPeer, impl, SocketType.PULL)) {
            String endpoint = pull.bindAnyPort();
            for (int life = 0; life < LIVES; life++) {
                String what = impl + " PULL, libzmq PUSH life " + life;
                try (LibzmqPeer peer = LibzmqPeer.start()) {
                    End push = new LibzmqEnd(peer, SocketType.PUSH);
                    push.connect(endpoint);
                    sendUntilReceived(push, pull, "life" + life, what);
                    Msg big = Msg.of(b("life " + life), Payloads.bytes(Payloads.MIB, life));
                    push.send(big);
                    expectSkippingProbes(pull, big, what + ", 1 MiB");
                    peer.kill();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} PUB binds, libzmq SUB killed and restarted")
    @MethodSource("subjects")
    void bindingPubServesRestartedSub(Impl impl) {
        try (LibzmqPeer survivorPeer = LibzmqPeer.start(); Context ctx = new Context();
             End pub = Interop.open(ctx, survivorPeer, impl, SocketType.PUB)) {
            String endpoint = pub.bindAnyPort();
            for (int life = 0; life < LIVES; life++) {
                String what = impl + " PUB, libzmq SUB life " + life;
                try (LibzmqPeer peer = LibzmqPeer.start()) {
                    End sub = new LibzmqEnd(peer, SocketType.SUB);
                    subscribe(sub, "t");
                    sub.connect(endpoint);
                    awaitFlowing(pub, sub, "t", what);
                    pub.send(Msg.of("u"));
                    pub.send(Msg.of("t of life " + life));
                    expectSkippingProbes(sub, Msg.of("t of life " + life), what);
                    peer.kill();
                }
            }
        }
    }

    /**
     * Sends to {@code id} on a ROUTER_MANDATORY ROUTER until that fails with EHOSTUNREACH (the
     * connection is known dead), receiving in between (so a libzmq control also processes the
     * pipe's termination). Messages arriving meanwhile must be leftover probes.
     */
    private static void awaitUnreachable(End router, byte[] id, String what) {
        long deadline = System.nanoTime() + Interop.SETTLE.toNanos();
        String last = null;
        while (System.nanoTime() - deadline < 0) {
            last = router.trySend(Msg.of(id, b("anyone there?")), Interop.PROBE_WAIT_MS);
            if ("EHOSTUNREACH".equals(last)) {
                return;
            }
            Msg m;
            while ((m = router.recv(Interop.PROBE_WAIT_MS)) != null) {
                if (!Interop.isProbe(m.drop(1))) {
                    throw new AssertionError(what + ": " + router + " received unexpected " + m);
                }
            }
        }
        throw new AssertionError(what + ": " + router + " still accepts messages for the dead peer "
                + Msg.describe(id) + " after " + Interop.SETTLE + " (last send result: "
                + (last == null ? "queued" : last) + "); the dead connection was never dropped");
    }

    /** Binds {@code end} to the endpoint of the previous life, or to a free port the first time. */
    private static String bindSame(End end, String endpoint, String what) {
        if (endpoint == null) {
            return end.bindAnyPort();
        }
        assertEquals(endpoint, end.bind(endpoint), what + ": rebinding the same port");
        return endpoint;
    }

    /**
     * Sends "{@code topic}#k" (k = 0, 1, ...) until one arrives, as {@code head} + [topic#k]; each
     * attempt waits {@link Interop#PROBE_WAIT_MS}; bounded by {@link Interop#SETTLE}. Probes of
     * earlier lives still queued in the survivor may arrive first and are skipped; sends that
     * would block (no connection yet, HWM) are retried.
     */
    private static void sendUntilReceived(End from, End to, String topic, String what, byte[]... head) {
        long deadline = System.nanoTime() + Interop.SETTLE.toNanos();
        int k = 0;
        while (System.nanoTime() - deadline < 0) {
            from.trySend(Msg.of(topic + "#" + k++), Interop.PROBE_WAIT_MS);
            Msg m;
            while ((m = to.recv(Interop.PROBE_WAIT_MS)) != null) {
                Msg body = m.drop(head.length);
                boolean current = Interop.isProbe(body) && body.text(0).startsWith(topic + "#");
                boolean headOk = m.size() == head.length + 1
                        && Msg.of(head).equals(new Msg(m.frames().subList(0, head.length)));
                if (current && headOk) {
                    return;
                }
                if (current || m.size() != head.length + 1 || !Interop.isProbe(body)) {
                    throw new AssertionError(what + ": " + to + " received unexpected " + m + " (expected "
                            + Arrays.toString(Arrays.stream(head).map(Msg::describe).toArray()) + " + '" + topic + "#k')");
                }
                // a probe of an earlier life, still queued when that peer died: skip
            }
        }
        throw new AssertionError(what + ": none of " + k + " messages sent by " + from + " reached " + to
                + " within " + Interop.SETTLE + " (no reconnection?)");
    }
}
