package org.zmq4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.zmq4j.interop.Interop.b;
import static org.zmq4j.interop.Interop.deliver;
import static org.zmq4j.interop.Interop.expect;
import static org.zmq4j.interop.Interop.expectMsg;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.interop.Payloads.Payload;

/**
 * DEALER to ROUTER: the DEALER's ROUTING_ID is the first frame at the ROUTER on either
 * implementation, and the ROUTER routes replies by it. zmq4j on either side, each side binding.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DealerRouterInteropTest {
    static Stream<Case> cases() {
        return Case.between(SocketType.DEALER, SocketType.ROUTER);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void routingIdIsFirstFrameAndRoutesRepliesForEveryPayload(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            End dealer = link.end(SocketType.DEALER);
            End router = link.end(SocketType.ROUTER);
            byte[] id = b("dealer-A");
            dealer.option("ROUTING_ID", id);
            link.connect();
            for (Payload p : Payloads.standard()) {
                deliver(dealer, router, p.msg(), p.msg().prepend(id), c + ", " + p + " to ROUTER");
                deliver(router, dealer, p.msg().prepend(id), p.msg(), c + ", " + p + " back to DEALER");
            }
        }
    }

    /** A 255-byte routing id (the longest allowed) and one with binary bytes work too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void longestAndBinaryRoutingIds(Case c) {
        for (byte[] id : new byte[][] {Payloads.bytes(255, 7), {1, (byte) 0xff, 0, 0x7f}}) {
            id[0] = id[0] == 0 ? 1 : id[0]; // ids starting with 0 are reserved for generated ids
            try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
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
    @MethodSource("cases")
    void routesByRoutingIdBetweenTwoDealers(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context();
             End router = Interop.open(ctx, peer, c.implOf(SocketType.ROUTER), SocketType.ROUTER);
             End dealerA = Interop.open(ctx, peer, c.implOf(SocketType.DEALER), SocketType.DEALER);
             End dealerB = Interop.open(ctx, peer, c.implOf(SocketType.DEALER), SocketType.DEALER)) {
            dealerA.option("ROUTING_ID", b("A"));
            dealerB.option("ROUTING_ID", b("B"));
            boolean routerBinds = c.typeA() == SocketType.ROUTER ? c.aBinds() : !c.aBinds();
            if (routerBinds) {
                String endpoint = router.bindAnyPort();
                dealerA.connect(endpoint);
                dealerB.connect(endpoint);
            } else {
                router.connect(dealerA.bindAnyPort());
                router.connect(dealerB.bindAnyPort());
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
    @MethodSource("cases")
    void routerMandatoryRejectsUnknownIdAndDeliversKnownOne(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            End dealer = link.end(SocketType.DEALER);
            End router = link.end(SocketType.ROUTER);
            dealer.option("ROUTING_ID", b("known"));
            router.option("ROUTER_MANDATORY", true);
            link.connect();
            router.sendWhenReachable(Msg.of("known", "first"), Interop.SETTLE);
            expect(dealer, Msg.of("first"), c + ", ROUTER_MANDATORY send to the connected DEALER");
            assertEquals("EHOSTUNREACH", router.trySend(Msg.of("unknown", "lost"), 1000),
                    c + ": ROUTER_MANDATORY send to an unknown routing id");
            deliver(router, dealer, Msg.of("known", "second"), Msg.of("second"), c + ", after the failed send");
        }
    }
}
