package org.zmq4j.interop;

import static org.zmq4j.interop.Interop.deliver;

import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.interop.Payloads.Payload;

/** DEALER to DEALER: no envelope; messages pass unchanged both ways. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DealerDealerInteropTest {
    static Stream<Case> cases() {
        return Case.between(SocketType.DEALER, SocketType.DEALER);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyPayloadBothWays(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            link.connector().option("ROUTING_ID", Interop.b("ignored-by-dealer"));
            link.connect();
            for (Payload p : Payloads.standard()) {
                deliver(link.connector(), link.binder(), p.msg(), c + ", " + p + " connector to binder");
                deliver(link.binder(), link.connector(), p.msg(), c + ", " + p + " binder to connector");
            }
        }
    }
}
