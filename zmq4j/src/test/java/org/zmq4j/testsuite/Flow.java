package org.zmq4j.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.zmq4j.testsuite.Suite.b;
import static org.zmq4j.testsuite.Suite.expectMsg;
import static org.zmq4j.testsuite.Suite.expectSkippingProbes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.zmq4j.SocketType;
import org.zmq4j.testsuite.Payloads.Payload;

/**
 * The classic socket pairs as message flows between an end {@code a} (the first type) and an end
 * {@code b} (the second type), written against {@link End} so that they run unchanged over every
 * transport and implementation ({@link FlowTest}). Each round: a sends a body, b receives it (the
 * envelope is checked and stripped), and, for pairs that answer, b replies (a tag frame, then the
 * body's frames reversed) and a receives the reply. Every flow carries {@link Payloads#standard()}:
 * multipart, empty frames, the short/long frame boundary and 1 MiB frames.
 * <p>
 * PUB/SUB also covers prefix subscriptions and UNSUBSCRIBE; XPUB/XSUB the subscription messages
 * {@code \x01topic} / {@code \x00topic} as XPUB reads them; DEALER/ROUTER the ROUTING_ID arriving
 * as the identity frame; ROUTER/ROUTER addresses both sides by ROUTING_ID; DEALER/DEALER ignores
 * the connecting DEALER's ROUTING_ID.
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

    static final byte[] TOPIC = b("t");
    static final byte[] OTHER_TOPIC = b("m");
    static final byte[] DEALER_ID = b("dealer-A");
    static final byte[] IGNORED_ID = b("ignored-by-dealer");
    static final byte[] ROUTER_A_ID = b("router-A");
    static final byte[] ROUTER_B_ID = b("router-B");
    private static final byte[] EMPTY = new byte[0];

    final SocketType aType;
    final SocketType bType;

    Flow(SocketType aType, SocketType bType) {
        this.aType = aType;
        this.bType = bType;
    }

    /** Bind then connect, or connect before the bind exists. */
    enum Order { BIND_FIRST, CONNECT_FIRST }

    /**
     * Runs the whole flow over a fresh link (a of {@link #aType}, b of {@link #bType}); a failure
     * names the endpoint (the test's display name says the rest).
     *
     * @param link  the two ends, not joined yet
     * @param order whether the connect comes first
     */
    void run(Link link, Order order) {
        try {
            runUnlabelled(link, order);
        } catch (AssertionError e) {
            throw new AssertionError("at " + link.endpoint() + ": " + e.getMessage(), e);
        }
    }

    private void runUnlabelled(Link link, Order order) {
        End a = link.a;
        End b = link.b;
        assertEquals(aType, a.type());
        assertEquals(bType, b.type());
        configure(a, b, link.connector());
        List<Payload> bodies = Payloads.standard();
        boolean early = false;
        if (order == Order.BIND_FIRST) {
            link.connect();
        } else {
            link.connectBeforeBind();
            // Messages sent before the bind exists are queued (types that attach before the peer is
            // known: not ROUTER; not PUB/XPUB, which drop without subscribers).
            early = link.connector() == a && aSendsBeforeBind();
            if (early) {
                aSend(a, bodies.get(0).msg());
            }
            link.bindLate();
        }
        afterConnect(a, b);
        State st = new State();
        for (int round = 0; round < bodies.size(); round++) {
            Msg body = bodies.get(round).msg();
            String what = this + " round " + round + " (" + bodies.get(round) + ")";
            if (!(early && round == 0)) {
                aSend(a, body);
            }
            assertEquals(body, bRecv(b, st, what), what + ": " + b + " receiving from " + a);
            if (replies()) {
                Msg reply = replyTo(body, round);
                bSend(b, reply, st);
                assertEquals(reply, aRecv(a, what), what + ": " + a + " receiving the reply from " + b);
            }
        }
        finish(a, b);
    }

    /** The reply to {@code body} in round {@code round}: a tag frame, then the body reversed. */
    private static Msg replyTo(Msg body, int round) {
        List<byte[]> reversed = new ArrayList<>(body.frames());
        Collections.reverse(reversed);
        return new Msg(reversed).prepend(b("reply-" + round));
    }

    private boolean aSendsBeforeBind() {
        return this != PUB_SUB && this != XPUB_XSUB && this != ROUTER_ROUTER;
    }

    private boolean replies() {
        return this != PUSH_PULL && this != PUB_SUB && this != XPUB_XSUB;
    }

    private void configure(End a, End b, End connector) {
        switch (this) {
            case PUB_SUB:
                b.option("SUBSCRIBE", TOPIC);
                b.option("SUBSCRIBE", OTHER_TOPIC);
                break;
            case DEALER_ROUTER:
                a.option("ROUTING_ID", DEALER_ID);
                break;
            case DEALER_DEALER:
                connector.option("ROUTING_ID", IGNORED_ID);
                break;
            case ROUTER_ROUTER:
                a.option("ROUTING_ID", ROUTER_A_ID);
                b.option("ROUTING_ID", ROUTER_B_ID);
                a.option("ROUTER_MANDATORY", true);
                b.option("ROUTER_MANDATORY", true);
                break;
            case REQ_ROUTER:
                b.option("ROUTER_MANDATORY", true);
                break;
            default:
                break;
        }
    }

    private void afterConnect(End a, End b) {
        if (this == PUB_SUB) {
            // subscriptions travel asynchronously: publish probes until one arrives
            Suite.awaitFlowing(a, b, "t", this + ": " + b + " subscribed to 't' at " + a);
        } else if (this == XPUB_XSUB) {
            // XSUB sends subscriptions as messages; XPUB hands each new one to the application
            // after applying it, so when XPUB has read it the subscription is in force.
            b.send(Msg.of(sub(1, TOPIC)));
            // If the connection is not attached to the XSUB yet, the XSUB keeps the subscription and
            // sends it when it attaches the connection, which (as in libzmq) happens in the XSUB
            // owner's next call: keep calling into the XSUB while waiting.
            long deadline = System.nanoTime() + Suite.SETTLE.toNanos();
            Msg first;
            while ((first = a.recv(20)) == null) {
                assertNull(b.recv(0), "XSUB: nothing was published yet");
                if (System.nanoTime() - deadline > 0) {
                    fail(a + " never received the subscription message \\x01t from " + b);
                }
            }
            assertEquals(Msg.of(sub(1, TOPIC)), first, "XPUB must see the subscription message \\x01t");
            b.send(Msg.of(sub(1, OTHER_TOPIC)));
            assertEquals(Msg.of(sub(1, OTHER_TOPIC)), expectMsg(a, "XPUB subscription \\x01m"),
                    "XPUB must see the subscription message \\x01m");
        }
    }

    private static byte[] sub(int flag, byte[] topic) {
        byte[] out = new byte[topic.length + 1];
        out[0] = (byte) flag;
        System.arraycopy(topic, 0, out, 1, topic.length);
        return out;
    }

    /** Per-run state: the routing id a ROUTER learnt from a REQ. */
    private static final class State {
        byte[] routerPeerId;
    }

    /** Sends; a ROUTER retries while its ROUTER_MANDATORY peer's handshake is not done yet. */
    private static void send(End from, Msg m) {
        if (from.type() == SocketType.ROUTER) {
            from.sendWhenReachable(m, Suite.SETTLE);
        } else {
            from.send(m);
        }
    }

    private void aSend(End a, Msg body) {
        switch (this) {
            case PUB_SUB:
            case XPUB_XSUB:
                send(a, body.prepend(TOPIC));
                break;
            case DEALER_REP:
                send(a, body.prepend(EMPTY));
                break;
            case ROUTER_ROUTER:
                send(a, body.prepend(ROUTER_B_ID));
                break;
            default:
                send(a, body);
                break;
        }
    }

    private Msg bRecv(End b, State st, String what) {
        switch (this) {
            case PUB_SUB:
                return strip(expectSkippingProbes(b, what), TOPIC);
            case XPUB_XSUB:
                return strip(expectMsg(b, what), TOPIC);
            case REQ_ROUTER: {
                Msg m = expectMsg(b, what);
                assertTrue(m.size() >= 3, () -> "ROUTER from REQ: expected [id, empty, body...], got " + m);
                assertTrue(m.frame(0).length > 0, "ROUTER must prefix a non-empty routing id");
                assertArrayEquals(EMPTY, m.frame(1), "REQ must send an empty delimiter frame");
                st.routerPeerId = m.frame(0);
                return m.drop(2);
            }
            case DEALER_ROUTER:
                return strip(expectMsg(b, what), DEALER_ID);
            case ROUTER_ROUTER:
                return strip(expectMsg(b, what), ROUTER_A_ID);
            default:
                return expectMsg(b, what);
        }
    }

    private void bSend(End b, Msg reply, State st) {
        switch (this) {
            case REQ_ROUTER:
                send(b, reply.prepend(st.routerPeerId, EMPTY));
                break;
            case DEALER_ROUTER:
                send(b, reply.prepend(DEALER_ID));
                break;
            case ROUTER_ROUTER:
                send(b, reply.prepend(ROUTER_A_ID));
                break;
            default:
                send(b, reply);
                break;
        }
    }

    private Msg aRecv(End a, String what) {
        switch (this) {
            case DEALER_REP:
                return strip(expectMsg(a, what), EMPTY);
            case ROUTER_ROUTER:
                return strip(expectMsg(a, what), ROUTER_B_ID);
            default:
                return expectMsg(a, what);
        }
    }

    private Msg strip(Msg m, byte[] head) {
        assertTrue(m.size() >= 1, () -> this + ": empty message");
        assertArrayEquals(head, m.frame(0), () -> this + ": first frame of " + m);
        return m.drop(1);
    }

    /** PUB/SUB and XPUB/XSUB: prefix matching and unsubscription. */
    private void finish(End a, End b) {
        if (this == PUB_SUB) {
            // prefix matching: "xyz" matches neither "t" nor "m"; "topical" matches "t"
            a.send(Msg.of("xyz", "dropped"));
            a.send(Msg.of("topical", "prefix match"));
            assertEquals(Msg.of("topical", "prefix match"), expectSkippingProbes(b, "SUB prefix match"),
                    "SUB prefix match");
            b.option("UNSUBSCRIBE", TOPIC);
            // the unsubscription travels asynchronously: publish a "t" message then an "m" marker
            // until a marker arrives with no "t" message before it
            long deadline = System.nanoTime() + Suite.SETTLE.toNanos();
            for (int k = 0; ; k++) {
                a.send(Msg.of("t", "after-unsubscribe"));
                a.send(Msg.of("m", "marker-" + k));
                Msg got = expectSkippingProbes(b, "after UNSUBSCRIBE t");
                if (Arrays.equals(got.frame(0), TOPIC)) {
                    assertEquals(Msg.of("t", "after-unsubscribe"), got, "before the unsubscription took effect");
                    assertEquals(Msg.of("m", "marker-" + k), expectMsg(b, "marker"), "marker");
                    if (System.nanoTime() - deadline > 0) {
                        fail("UNSUBSCRIBE never took effect at " + a);
                    }
                    continue;
                }
                assertEquals(Msg.of("m", "marker-" + k), got, "marker");
                break;
            }
            a.send(Msg.of("t", "late"));
            a.send(Msg.of("topical", "late"));
            a.send(Msg.of("m", "final"));
            assertEquals(Msg.of("m", "final"), expectSkippingProbes(b, "final message"),
                    "after UNSUBSCRIBE t only m matches");
            assertNull(b.recv(100), "nothing after the final message");
        } else if (this == XPUB_XSUB) {
            a.send(Msg.of("xyz", "dropped"));
            a.send(Msg.of("topical", "prefix match"));
            assertEquals(Msg.of("topical", "prefix match"), expectMsg(b, "XSUB prefix match"), "XSUB prefix match");
            b.send(Msg.of(sub(0, TOPIC)));
            assertEquals(Msg.of(sub(0, TOPIC)), expectMsg(a, "XPUB unsubscription"),
                    "XPUB must see the unsubscription message \\x00t");
            a.send(Msg.of("t", "gone"));
            a.send(Msg.of("m", "still"));
            assertEquals(Msg.of("m", "still"), expectMsg(b, "after \\x00t"), "after \\x00t only m matches");
            assertNull(b.recv(100), "nothing after the final message");
        }
    }
}
