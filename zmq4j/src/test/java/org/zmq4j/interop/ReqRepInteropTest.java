package org.zmq4j.interop;

import static org.zmq4j.interop.Interop.deliver;

import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.interop.Payloads.Payload;

/** REQ to REP: zmq4j REQ to libzmq REP and libzmq REQ to zmq4j REP, each side binding. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReqRepInteropTest {
    static Stream<Case> cases() {
        return Case.between(SocketType.REQ, SocketType.REP);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void requestsAndRepliesCarryEveryPayload(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c).connect()) {
            End req = link.end(SocketType.REQ);
            End rep = link.end(SocketType.REP);
            for (Payload p : Payloads.standard()) {
                deliver(req, rep, p.msg(), c + ", request " + p);
                deliver(rep, req, p.msg().prepend(Interop.b("reply")), c + ", reply to " + p);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void twoHundredRoundTrips(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c).connect()) {
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
    @MethodSource("cases")
    void relaxedCorrelatedRequesterDropsStaleReply(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            End req = link.end(SocketType.REQ);
            End rep = link.end(SocketType.REP);
            req.option("REQ_RELAXED", true);
            req.option("REQ_CORRELATE", true);
            link.connect();
            deliver(req, rep, Msg.of("q1"), c + ", first request");
            req.send(Msg.of("q2"));
            rep.send(Msg.of("r1"));
            Interop.expect(rep, Msg.of("q2"), c + ", second request sent before the first reply");
            rep.send(Msg.of("r2"));
            Interop.expect(req, Msg.of("r2"), c + ", the stale reply 'r1' must be dropped, 'r2' delivered");
            deliver(req, rep, Msg.of("q3"), c + ", third request");
            deliver(rep, req, Msg.of("r3"), c + ", third reply");
        }
    }
}
