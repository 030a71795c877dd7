package org.zmq4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.interop.Interop.b;
import static org.zmq4j.interop.Interop.deliver;
import static org.zmq4j.interop.Interop.expect;
import static org.zmq4j.interop.Interop.expectMsg;

import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.interop.Payloads.Payload;

/**
 * REQ to ROUTER: the ROUTER sees [routing id, empty delimiter, body...] and routes the reply
 * back by the routing id; zmq4j on either side, each side binding.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReqRouterInteropTest {
    static Stream<Case> cases() {
        return Case.between(SocketType.REQ, SocketType.ROUTER);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void routerSeesRoutingIdAndDelimiterForEveryPayload(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            End req = link.end(SocketType.REQ);
            End router = link.end(SocketType.ROUTER);
            byte[] id = b("requester-1");
            req.option("ROUTING_ID", id);
            link.connect();
            for (Payload p : Payloads.standard()) {
                deliver(req, router, p.msg(), p.msg().prepend(id, new byte[0]), c + ", request " + p);
                Msg reply = p.msg().prepend(b("reply"));
                deliver(router, req, reply.prepend(id, new byte[0]), reply, c + ", reply to " + p);
            }
        }
    }

    /** Without ROUTING_ID the ROUTER makes one up; replying with it reaches the REQ. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generatedRoutingIdRoutesTheReply(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c).connect()) {
            End req = link.end(SocketType.REQ);
            End router = link.end(SocketType.ROUTER);
            for (int i = 0; i < 3; i++) {
                req.send(Msg.of("hello " + i));
                Msg got = expectMsg(router, c + ", request " + i);
                assertEquals(3, got.size(), c + ": expected [generated id, empty, body], got " + got);
                assertTrue(got.frame(0).length > 0, c + ": generated routing id is empty: " + got);
                assertEquals(0, got.frame(1).length, c + ": delimiter frame not empty: " + got);
                assertEquals("hello " + i, got.text(2), c + ": body");
                deliver(router, req, Msg.of(got.frame(0), new byte[0], b("reply " + i)), Msg.of("reply " + i),
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
    @MethodSource("cases")
    void correlatedRequestIdIsVisibleAtRouterAndChecked(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
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
            router.send(Msg.of(id, wrongRequestId, new byte[0], b("stale answer")));
            router.send(Msg.of(id, got.frame(1), new byte[0], b("answer")));
            expect(req, Msg.of("answer"), c + ", reply with a foreign request id must be dropped");
        }
    }
}
