package org.zmq4j.interop;

import static org.zmq4j.interop.Interop.b;
import static org.zmq4j.interop.Interop.deliver;
import static org.zmq4j.interop.Interop.expect;

import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.interop.Payloads.Payload;

/**
 * ROUTER to ROUTER with explicit ROUTING_IDs on both: each learns the other's id in the handshake.
 * The connector (ROUTER_MANDATORY) sends first, retrying EHOSTUNREACH until the handshake is done.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RouterRouterInteropTest {
    static Stream<Case> cases() {
        return Case.between(SocketType.ROUTER, SocketType.ROUTER);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void explicitRoutingIdsBothWaysForEveryPayload(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            End binder = link.binder();
            End connector = link.connector();
            byte[] binderId = b("binder-id");
            byte[] connectorId = b("connector-id");
            binder.option("ROUTING_ID", binderId);
            connector.option("ROUTING_ID", connectorId);
            connector.option("ROUTER_MANDATORY", true);
            binder.option("ROUTER_MANDATORY", true);
            link.connect();

            connector.sendWhenReachable(Msg.of(binderId, b("hello")), Interop.SETTLE);
            expect(binder, Msg.of(connectorId, b("hello")), c + ", first message, connector to binder");
            for (Payload p : Payloads.standard()) {
                deliver(connector, binder, p.msg().prepend(binderId), p.msg().prepend(connectorId),
                        c + ", " + p + " connector to binder");
                deliver(binder, connector, p.msg().prepend(connectorId), p.msg().prepend(binderId),
                        c + ", " + p + " binder to connector");
            }
        }
    }
}
