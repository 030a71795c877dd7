package org.zmq4j.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.testsuite.Suite.b;
import static org.zmq4j.testsuite.Suite.deliver;
import static org.zmq4j.testsuite.Suite.expect;
import static org.zmq4j.testsuite.Suite.expectMsg;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.SocketType;
import org.zmq4j.testsuite.Payloads.Payload;

/**
 * REQ, REP, DEALER and ROUTER beyond the payload flows of {@link FlowTest}: many round trips,
 * REQ_RELAXED and REQ_CORRELATE, multi-hop envelopes through a REP, explicit, generated, long and
 * binary routing ids, routing between two DEALERs and ROUTER_MANDATORY. Every transport and
 * implementation pair, each side binding ({@link Case#between}).
 */
@ExtendWith(NamedFailures.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RequestReplyTest {
    private static final byte[] EMPTY = new byte[0];

    static Stream<Case> reqRep() {
        return Case.between(SocketType.REQ, SocketType.REP);
    }

    static Stream<Case> dealerRep() {
        return Case.between(SocketType.DEALER, SocketType.REP);
    }

    static Stream<Case> reqRouter() {
        return Case.between(SocketType.REQ, SocketType.ROUTER);
    }

    static Stream<Case> dealerRouter() {
        return Case.between(SocketType.DEALER, SocketType.ROUTER);
    }

    // ---- REQ to REP

    @ParameterizedTest(name = "{0}")
    @MethodSource("reqRep")
    void twoHundredRoundTrips(Case c) {
        try (Link link = Link.open(c).connect()) {
            End req = link.end(SocketType.REQ);
            End rep = link.end(SocketType.REP);
            for (int i = 0; i < 200; i++) {
                deliver(req, rep, Msg.of("request " + i), c + ", round trip " + i);
                deliver(rep, req, Msg.of("reply " + i), c + ", round trip " + i);
            }
        }
    }

    /**
     * REQ_RELAXED + REQ_CORRELATE: the REQ sends a second request before the first reply; the REP
     * answers both (copying the request-id envelope back); the REQ must drop the stale reply and
     * deliver only the reply to its latest request.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("reqRep")
    void relaxedCorrelatedRequesterDropsStaleReply(Case c) {
        try (Link link = Link.open(c)) {
            End req = link.end(SocketType.REQ);
            End rep = link.end(SocketType.REP);
            req.option("REQ_RELAXED", true);
            req.option("REQ_CORRELATE", true);
            link.connect();
            deliver(req, rep, Msg.of("q1"), c + ", first request");
            req.send(Msg.of("q2"));
            rep.send(Msg.of("r1"));
            expect(rep, Msg.of("q2"), c + ", second request sent before the first reply");
            rep.send(Msg.of("r2"));
            expect(req, Msg.of("r2"), c + ", the stale reply 'r1' must be dropped, 'r2' delivered");
            deliver(req, rep, Msg.of("q3"), c + ", third request");
            deliver(rep, req, Msg.of("r3"), c + ", third reply");
        }
    }

    // ---- DEALER to REP: the DEALER writes the envelope itself

    /** Every frame up to the first empty one is envelope: the REP returns all of it unchanged. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dealerRep")
    void multiHopEnvelopeComesBackWhole(Case c) {
        try (Link link = Link.open(c).connect()) {
            End dealer = link.end(SocketType.DEALER);
            End rep = link.end(SocketType.REP);
            deliver(dealer, rep, Msg.of(b("hop-1"), b("hop-2"), Payloads.bytes(300, 42), EMPTY, b("body"), EMPTY),
                    Msg.of(b("body"), EMPTY), c + ", three-address envelope");
            deliver(rep, dealer, Msg.of("answer"),
                    Msg.of(b("hop-1"), b("hop-2"), Payloads.bytes(300, 42), EMPTY, b("answer")),
                    c + ", reply keeps the three-address envelope");
            deliver(dealer, rep, Msg.of(EMPTY, EMPTY, b("x")), Msg.of(EMPTY, b("x")), c + ", body starting with an empty frame");
            deliver(rep, dealer, Msg.of(EMPTY), Msg.of(EMPTY, EMPTY), c + ", empty reply");
        }
    }

    // ---- REQ to ROUTER: the ROUTER sees [routing id, empty delimiter, body...]

    @ParameterizedTest(name = "{0}")
    @MethodSource("reqRouter")
    void routerSeesRoutingIdAndDelimiterForEveryPayload(Case c) {
        try (Link link = Link.open(c)) {
            End req = link.end(SocketType.REQ);
            End router = link.end(SocketType.ROUTER);
            byte[] id = b("requester-1");
            req.option("ROUTING_ID", id);
            link.connect();
            for (Payload p : Payloads.standard()) {
                deliver(req, router, p.msg(), p.msg().prepend(id, EMPTY), c + ", request " + p);
                Msg reply = p.msg().prepend(b("reply"));
                deliver(router, req, reply.prepend(id, EMPTY), reply, c + ", reply to " + p);
            }
        }
    }

    /** Without ROUTING_ID the ROUTER makes one up; replying with it reaches the REQ. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("reqRouter")
    void generatedRoutingIdRoutesTheReply(Case c) {
        try (Link link = Link.open(c).connect()) {
            End req = link.end(SocketType.REQ);
            End router = link.end(SocketType.ROUTER);
            for (int i = 0; i < 3; i++) {
                req.send(Msg.of("hello " + i));
                Msg got = expectMsg(router, c + ", request " + i);
                assertEquals(3, got.size(), c + ": expected [generated id, empty, body], got " + got);
                assertTrue(got.frame(0).length > 0, c + ": generated routing id is empty: " + got);
                assertEquals(0, got.frame(1).length, c + ": delimiter frame not empty: " + got);
                assertEquals("hello " + i, got.text(2), c + ": body");
                deliver(router, req, Msg.of(got.frame(0), EMPTY, b("reply " + i)), Msg.of("reply " + i),
                        c + ", reply " + i + " via generated id " + Msg.describe(got.frame(0)));
            }
        }
    }

    /**
     * REQ_CORRELATE puts a request id in front of the delimiter: the ROUTER sees
     * [routing id, request id, empty, body]; a reply with another request id is dropped by the
     * REQ, the one echoing the envelope is delivered.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("reqRouter")
    void correlatedRequestIdIsVisibleAtRouterAndChecked(Case c) {
        try (Link link = Link.open(c)) {
            End req = link.end(SocketType.REQ);
            End router = link.end(SocketType.ROUTER);
            byte[] id = b("correlated");
            req.option("ROUTING_ID", id);
            req.option("REQ_CORRELATE", true);
            link.connect();
            req.send(Msg.of("question"));
            Msg got = expectMsg(router, c + ", correlated request");
            assertEquals(4, got.size(), c + ": expected [routing id, request id, empty, body], got " + got);
            assertEquals(Msg.of(id), Msg.of(got.frame(0)), c + ": routing id");
            assertTrue(got.frame(1).length > 0, c + ": request id frame is empty: " + got);
            assertEquals(0, got.frame(2).length, c + ": delimiter not empty: " + got);
            assertEquals("question", got.text(3), c + ": body");

            byte[] wrongRequestId = got.frame(1).clone();
            wrongRequestId[0] ^= 0x5a;
            assertNotEquals(Msg.of(wrongRequestId), Msg.of(got.frame(1)));
            router.send(Msg.of(id, wrongRequestId, EMPTY, b("stale answer")));
            router.send(Msg.of(id, got.frame(1), EMPTY, b("answer")));
            expect(req, Msg.of("answer"), c + ", reply with a foreign request id must be dropped");
        }
    }

    // ---- DEALER to ROUTER: the DEALER's ROUTING_ID is the first frame at the ROUTER

    /** A 255-byte routing id (the longest allowed) and one with binary bytes work too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dealerRouter")
    void longestAndBinaryRoutingIds(Case c) {
        for (byte[] id : new byte[][] {Payloads.bytes(255, 7), {1, (byte) 0xff, 0, 0x7f}}) {
            id[0] = id[0] == 0 ? 1 : id[0]; // ids starting with 0 are reserved for generated ids
            try (Link link = Link.open(c)) {
                End dealer = link.end(SocketType.DEALER);
                End router = link.end(SocketType.ROUTER);
                dealer.option("ROUTING_ID", id);
                link.connect();
                String what = c + ", routing id " + Msg.describe(id);
                deliver(dealer, router, Msg.of("hi"), Msg.of(id, b("hi")), what);
                deliver(router, dealer, Msg.of(id, b("hello")), Msg.of("hello"), what);
            }
        }
    }

    /** Two DEALERs (ids A and B) on one ROUTER: each reply reaches only the DEALER it names. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dealerRouter")
    void routesByRoutingIdBetweenTwoDealers(Case c) {
        try (Harness h = new Harness(c.transport())) {
            End router = h.open(c.implOf(SocketType.ROUTER), SocketType.ROUTER);
            End dealerA = h.open(c.implOf(SocketType.DEALER), SocketType.DEALER);
            End dealerB = h.open(c.implOf(SocketType.DEALER), SocketType.DEALER);
            dealerA.option("ROUTING_ID", b("A"));
            dealerB.option("ROUTING_ID", b("B"));
            if (c.binds(SocketType.ROUTER)) {
                String endpoint = h.bind(router);
                dealerA.connect(endpoint);
                dealerB.connect(endpoint);
            } else {
                router.connect(h.bind(dealerA));
                router.connect(h.bind(dealerB));
            }
            dealerA.send(Msg.of("hello from A"));
            dealerB.send(Msg.of("hello from B"));
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < 2; i++) {
                Msg m = expectMsg(router, c + ", hello " + i);
                assertEquals(2, m.size(), c + ": " + m);
                seen.add(m.text(0) + ":" + m.text(1));
            }
            assertEquals(Set.of("A:hello from A", "B:hello from B"), seen, c + ": ROUTER saw");
            router.send(Msg.of("B", "to B"));
            router.send(Msg.of("A", "to A"));
            router.send(Msg.of("B", "to B again"));
            expect(dealerA, Msg.of("to A"), c + ", reply routed to A");
            expect(dealerB, Msg.of("to B"), c + ", reply routed to B");
            expect(dealerB, Msg.of("to B again"), c + ", second reply routed to B");
        }
    }

    /** ROUTER_MANDATORY: an unknown routing id is EHOSTUNREACH; a connected one is delivered. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dealerRouter")
    void routerMandatoryRejectsUnknownIdAndDeliversKnownOne(Case c) {
        try (Link link = Link.open(c)) {
            End dealer = link.end(SocketType.DEALER);
            End router = link.end(SocketType.ROUTER);
            dealer.option("ROUTING_ID", b("known"));
            router.option("ROUTER_MANDATORY", true);
            link.connect();
            router.sendWhenReachable(Msg.of("known", "first"), Suite.SETTLE);
            expect(dealer, Msg.of("first"), c + ", ROUTER_MANDATORY send to the connected DEALER");
            assertEquals("EHOSTUNREACH", router.trySend(Msg.of("unknown", "lost"), 1000),
                    c + ": ROUTER_MANDATORY send to an unknown routing id");
            deliver(router, dealer, Msg.of("known", "second"), Msg.of("second"), c + ", after the failed send");
        }
    }
}
