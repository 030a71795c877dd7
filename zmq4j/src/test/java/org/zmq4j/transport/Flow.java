package org.zmq4j.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.zmq4j.transport.TransportTestSupport.assertFrames;
import static org.zmq4j.transport.TransportTestSupport.bytes;
import static org.zmq4j.transport.TransportTestSupport.describe;
import static org.zmq4j.transport.TransportTestSupport.frames;
import static org.zmq4j.transport.TransportTestSupport.prepend;
import static org.zmq4j.transport.TransportTestSupport.replyTo;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.zmq4j.SocketType;

/**
 * The classic socket pairs as message flows between an end {@code a} (the first type) and an end
 * {@code b} (the second type), written against {@link End} so that they run unchanged over inproc,
 * ipc and against libzmq. Each round: a sends a body, b receives it (the envelope is checked and
 * stripped), and, for pairs that answer, b replies and a receives the reply. Every flow carries
 * {@link TransportTestSupport#standardBodies()}: multipart, empty frames and 1 MiB frames.
 */
enum Flow {
    PAIR_PAIR(SocketType.PAIR, SocketType.PAIR),
    PUB_SUB(SocketType.PUB, SocketType.SUB),
    XPUB_XSUB(SocketType.XPUB, SocketType.XSUB),
    REQ_REP(SocketType.REQ, SocketType.REP),
    REQ_ROUTER(SocketType.REQ, SocketType.ROUTER),
    DEALER_REP(SocketType.DEALER, SocketType.REP),
    DEALER_ROUTER(SocketType.DEALER, SocketType.ROUTER),
    DEALER_DEALER(SocketType.DEALER, SocketType.DEALER),
    ROUTER_ROUTER(SocketType.ROUTER, SocketType.ROUTER),
    PUSH_PULL(SocketType.PUSH, SocketType.PULL);

    static final byte[] TOPIC = bytes("t");
    static final byte[] OTHER_TOPIC = bytes("m");
    static final byte[] PROBE = bytes("t__probe__");
    static final byte[] DEALER_ID = bytes("dealer-A");
    static final byte[] ROUTER_A_ID = bytes("router-A");
    static final byte[] ROUTER_B_ID = bytes("router-B");
    private static final byte[] EMPTY = new byte[0];

    final SocketType aType;
    final SocketType bType;

    Flow(SocketType aType, SocketType bType) {
        this.aType = aType;
        this.bType = bType;
    }

    /** Which end binds. */
    enum Binder { A_BINDS, B_BINDS }

    /** Bind then connect, or connect before the bind exists. */
    enum Order { BIND_FIRST, CONNECT_FIRST }

    /**
     * Runs the whole flow.
     *
     * @param a        an end of type {@link #aType}, fresh
     * @param b        an end of type {@link #bType}, fresh
     * @param binder   which end binds
     * @param order    whether the connect comes first
     * @param endpoint the endpoint to bind ("ipc://*" style wildcards are fine with BIND_FIRST)
     */
    void run(End a, End b, Binder binder, Order order, String endpoint) {
        try {
            runUnlabelled(a, b, binder, order, endpoint);
        } catch (AssertionError e) {
            AssertionError labelled = new AssertionError(this + " " + binder + " " + order + " (a = " + a.describe()
                    + ", b = " + b.describe() + ", " + endpoint + "): " + e.getMessage(), e);
            throw labelled;
        }
    }

    private void runUnlabelled(End a, End b, Binder binder, Order order, String endpoint) {
        assertEquals(aType, a.type());
        assertEquals(bType, b.type());
        configure(a, b);
        End bindEnd = binder == Binder.A_BINDS ? a : b;
        End connectEnd = binder == Binder.A_BINDS ? b : a;
        List<List<byte[]>> bodies = TransportTestSupport.standardBodies();
        boolean early = false;
        if (order == Order.BIND_FIRST) {
            String resolved = bindEnd.bind(endpoint);
            connectEnd.connect(resolved);
        } else {
            connectEnd.connect(endpoint);
            // Messages sent before the bind exists are queued (types that attach before the peer is
            // known: not ROUTER; not PUB/XPUB, which drop without subscribers).
            early = connectEnd == a && aSendsBeforeBind();
            if (early) {
                aSend(a, bodies.get(0));
            }
            bindEnd.bind(endpoint);
        }
        afterConnect(a, b);
        State st = new State();
        for (int round = 0; round < bodies.size(); round++) {
            List<byte[]> body = bodies.get(round);
            if (!(early && round == 0)) {
                aSend(a, body);
            }
            assertFrames(body, bRecv(b, st), this + " round " + round + ": " + b.describe() + " receiving from " + a.describe());
            if (replies()) {
                List<byte[]> reply = replyTo(body, round);
                bSend(b, reply, st);
                assertFrames(reply, aRecv(a), this + " round " + round + ": " + a.describe() + " receiving reply from "
                        + b.describe());
            }
        }
        finish(a, b);
    }

    private boolean aSendsBeforeBind() {
        return this != PUB_SUB && this != XPUB_XSUB && this != ROUTER_ROUTER;
    }

    private boolean replies() {
        return this != PUSH_PULL && this != PUB_SUB && this != XPUB_XSUB;
    }

    private void configure(End a, End b) {
        switch (this) {
            case PUB_SUB:
                b.subscribe(TOPIC);
                b.subscribe(OTHER_TOPIC);
                break;
            case DEALER_ROUTER:
                a.routingId(DEALER_ID);
                break;
            case ROUTER_ROUTER:
                a.routingId(ROUTER_A_ID);
                b.routingId(ROUTER_B_ID);
                a.routerMandatory();
                b.routerMandatory();
                break;
            case REQ_ROUTER:
                b.routerMandatory();
                break;
            default:
                break;
        }
    }

    private void afterConnect(End a, End b) {
        if (this == PUB_SUB) {
            awaitSubscribed(a, b);
        } else if (this == XPUB_XSUB) {
            // XSUB sends subscriptions as messages; XPUB hands each new one to the application
            // after applying it, so when XPUB has read it the subscription is in force.
            b.send(frames(sub(1, TOPIC)));
            // If the connection is not attached to the XSUB yet, the XSUB keeps the subscription and
            // sends it when it attaches the connection, which (as in libzmq) happens in the XSUB
            // owner's next call: keep calling into the XSUB while waiting.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TransportTestSupport.SETTLE_MS * 2);
            List<byte[]> first;
            while ((first = a.recv(20)) == null) {
                assertNull(b.recv(0), "XSUB: nothing was published yet");
                if (System.nanoTime() - deadline > 0) {
                    fail(a.describe() + " never received the subscription message \\x01t from " + b.describe());
                }
            }
            assertFrames(frames(sub(1, TOPIC)), first, "XPUB must see the subscription message \\x01t");
            b.send(frames(sub(1, OTHER_TOPIC)));
            assertFrames(frames(sub(1, OTHER_TOPIC)), mustRecv(a), "XPUB must see the subscription message \\x01m");
        }
    }

    /** PUB/SUB: subscriptions travel asynchronously; publish probes until one arrives. */
    private static void awaitSubscribed(End pub, End sub) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TransportTestSupport.SETTLE_MS * 2);
        while (true) {
            pub.send(frames(PROBE));
            List<byte[]> got = sub.recv(20);
            if (got != null) {
                assertFrames(frames(PROBE), got, "probe");
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail(sub.describe() + " never received from " + pub.describe() + ": subscription not forwarded");
            }
        }
    }

    private static byte[] sub(int flag, byte[] topic) {
        byte[] out = new byte[topic.length + 1];
        out[0] = (byte) flag;
        System.arraycopy(topic, 0, out, 1, topic.length);
        return out;
    }

    static List<byte[]> mustRecv(End end) {
        List<byte[]> got = end.recv(TransportTestSupport.TIMEOUT_MS);
        assertNotNull(got, end.describe() + " received nothing within " + TransportTestSupport.TIMEOUT_MS + " ms");
        return got;
    }

    /** Receives, skipping PUB/SUB probes still in flight. */
    private static List<byte[]> recvSkippingProbes(End end) {
        while (true) {
            List<byte[]> got = mustRecv(end);
            if (!(got.size() == 1 && Arrays.equals(got.get(0), PROBE))) {
                return got;
            }
        }
    }

    /** Per-run state: the routing id a ROUTER learnt from a REQ. */
    private static final class State {
        byte[] routerPeerId;
    }

    private void aSend(End a, List<byte[]> body) {
        switch (this) {
            case PUB_SUB:
            case XPUB_XSUB:
                a.send(prepend(body, TOPIC));
                break;
            case DEALER_REP:
                a.send(prepend(body, EMPTY));
                break;
            case ROUTER_ROUTER:
                a.send(prepend(body, ROUTER_B_ID));
                break;
            default:
                a.send(body);
                break;
        }
    }

    private List<byte[]> bRecv(End b, State st) {
        switch (this) {
            case PUB_SUB:
                return strip(recvSkippingProbes(b), TOPIC);
            case XPUB_XSUB:
                return strip(mustRecv(b), TOPIC);
            case REQ_ROUTER: {
                List<byte[]> m = mustRecv(b);
                assertTrue(m.size() >= 3, () -> "ROUTER from REQ: expected [id, empty, body...], got " + describe(m));
                assertTrue(m.get(0).length > 0, "ROUTER must prefix a non-empty routing id");
                assertArrayEquals(EMPTY, m.get(1), "REQ must send an empty delimiter frame");
                st.routerPeerId = m.get(0);
                return m.subList(2, m.size());
            }
            case DEALER_ROUTER:
                return strip(mustRecv(b), DEALER_ID);
            case ROUTER_ROUTER:
                return strip(mustRecv(b), ROUTER_A_ID);
            default:
                return mustRecv(b);
        }
    }

    private void bSend(End b, List<byte[]> reply, State st) {
        switch (this) {
            case REQ_ROUTER:
                b.send(prepend(reply, st.routerPeerId, EMPTY));
                break;
            case DEALER_ROUTER:
                b.send(prepend(reply, DEALER_ID));
                break;
            case ROUTER_ROUTER:
                b.send(prepend(reply, ROUTER_A_ID));
                break;
            default:
                b.send(reply);
                break;
        }
    }

    private List<byte[]> aRecv(End a) {
        switch (this) {
            case DEALER_REP:
                return strip(mustRecv(a), EMPTY);
            case ROUTER_ROUTER:
                return strip(mustRecv(a), ROUTER_B_ID);
            default:
                return mustRecv(a);
        }
    }

    private List<byte[]> strip(List<byte[]> m, byte[] head) {
        assertTrue(m.size() >= 1, () -> this + ": empty message");
        assertArrayEquals(head, m.get(0), () -> this + ": first frame of " + describe(m));
        return m.subList(1, m.size());
    }

    /** PUB/SUB and XPUB/XSUB: prefix matching and unsubscription. */
    private void finish(End a, End b) {
        if (this == PUB_SUB) {
            // prefix matching: "xyz" matches neither "t" nor "m"; "topical" matches "t"
            a.send(frames("xyz", "dropped"));
            a.send(frames("topical", "prefix match"));
            assertFrames(frames("topical", "prefix match"), recvSkippingProbes(b), "SUB prefix match");
            b.unsubscribe(TOPIC);
            // the unsubscription travels asynchronously: publish a "t" message then an "m" marker
            // until a marker arrives with no "t" message before it
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TransportTestSupport.SETTLE_MS * 2);
            for (int k = 0; ; k++) {
                a.send(frames("t", "after-unsubscribe"));
                a.send(frames("m", "marker-" + k));
                List<byte[]> got = recvSkippingProbes(b);
                if (Arrays.equals(got.get(0), TOPIC)) {
                    assertFrames(frames("t", "after-unsubscribe"), got, "before the unsubscription took effect");
                    assertFrames(frames("m", "marker-" + k), mustRecv(b), "marker");
                    if (System.nanoTime() - deadline > 0) {
                        fail("UNSUBSCRIBE never took effect at " + a.describe());
                    }
                    continue;
                }
                assertFrames(frames("m", "marker-" + k), got, "marker");
                break;
            }
            a.send(frames("t", "late"));
            a.send(frames("topical", "late"));
            a.send(frames("m", "final"));
            assertFrames(frames("m", "final"), recvSkippingProbes(b), "after UNSUBSCRIBE t only m matches");
            assertNull(b.recv(100), "nothing after the final message");
        } else if (this == XPUB_XSUB) {
            a.send(frames("xyz", "dropped"));
            a.send(frames("topical", "prefix match"));
            assertFrames(frames("topical", "prefix match"), mustRecv(b), "XSUB prefix match");
            b.send(frames(sub(0, TOPIC)));
            assertFrames(frames(sub(0, TOPIC)), mustRecv(a), "XPUB must see the unsubscription message \\x00t");
            a.send(frames("t", "gone"));
            a.send(frames("m", "still"));
            assertFrames(frames("m", "still"), mustRecv(b), "after \\x00t only m matches");
            assertNull(b.recv(100), "nothing after the final message");
        }
    }

    /** Every flow with both binders and both orders, as JUnit arguments (flow, binder, order). */
    static List<org.junit.jupiter.params.provider.Arguments> allCombinations(Function<Flow, Boolean> include,
                                                                               boolean bothOrders) {
        List<org.junit.jupiter.params.provider.Arguments> out = new java.util.ArrayList<>();
        for (Flow f : values()) {
            if (!include.apply(f)) {
                continue;
            }
            for (Binder binder : Binder.values()) {
                for (Order order : Order.values()) {
                    if (order == Order.CONNECT_FIRST && !bothOrders) {
                        continue;
                    }
                    out.add(org.junit.jupiter.params.provider.Arguments.of(f, binder, order));
                }
            }
        }
        return out;
    }
}
