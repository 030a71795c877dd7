package org.zmq4j.interop;

import static org.zmq4j.interop.Interop.b;
import static org.zmq4j.interop.Interop.deliver;

import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.interop.Payloads.Payload;

/**
 * DEALER to REP: the DEALER writes the envelope itself (an empty delimiter, or address frames
 * and a delimiter); the REP strips it for the application and puts it back on the reply.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DealerRepInteropTest {
    static Stream<Case> cases() {
        return Case.between(SocketType.DEALER, SocketType.REP);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void delimiterEnvelopeCarriesEveryPayload(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c).connect()) {
            End dealer = link.end(SocketType.DEALER);
            End rep = link.end(SocketType.REP);
            for (Payload p : Payloads.standard()) {
                deliver(dealer, rep, p.msg().prepend(new byte[0]), p.msg(), c + ", request " + p);
                Msg reply = p.msg().prepend(b("reply"));
                deliver(rep, dealer, reply, reply.prepend(new byte[0]), c + ", reply to " + p);
            }
        }
    }

    /** Every frame up to the first empty one is envelope: the REP returns all of it unchanged. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void multiHopEnvelopeComesBackWhole(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c).connect()) {
            End dealer = link.end(SocketType.DEALER);
            End rep = link.end(SocketType.REP);
            byte[] empty = new byte[0];
            deliver(dealer, rep, Msg.of(b("hop-1"), b("hop-2"), Payloads.bytes(300, 42), empty, b("body"), empty),
                    Msg.of(b("body"), empty), c + ", three-address envelope");
            deliver(rep, dealer, Msg.of("answer"),
                    Msg.of(b("hop-1"), b("hop-2"), Payloads.bytes(300, 42), empty, b("answer")),
                    c + ", reply keeps the three-address envelope");
            deliver(dealer, rep, Msg.of(empty, empty, b("x")), Msg.of(empty, b("x")), c + ", body starting with an empty frame");
            deliver(rep, dealer, Msg.of(empty), Msg.of(empty, empty), c + ", empty reply");
        }
    }
}
