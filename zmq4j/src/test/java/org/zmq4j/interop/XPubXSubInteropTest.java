package org.zmq4j.interop;

import static org.zmq4j.interop.Interop.awaitFlowing;
import static org.zmq4j.interop.Interop.expect;
import static org.zmq4j.interop.Interop.expectSkippingProbes;
import static org.zmq4j.interop.Interop.subscribe;
import static org.zmq4j.interop.Interop.unsubscribe;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.interop.End.Impl;
import org.zmq4j.interop.Payloads.Payload;

/**
 * The raw publish/subscribe types: XPUB-XSUB, PUB-XSUB and XPUB-SUB, zmq4j on either side, each
 * side binding. An XPUB receives subscriptions as messages (\x01topic, \x00topic for unsubscribe);
 * an XSUB subscribes by sending them.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class XPubXSubInteropTest {
    static Stream<Case> cases() {
        return Stream.of(
                Case.between(SocketType.XPUB, SocketType.XSUB),
                Case.between(SocketType.PUB, SocketType.XSUB),
                Case.between(SocketType.XPUB, SocketType.SUB)).flatMap(s -> s);
    }

    private static End publisher(Link link) {
        return link.a.type() == SocketType.XPUB || link.a.type() == SocketType.PUB ? link.a : link.b;
    }

    private static End subscriber(Link link) {
        return publisher(link) == link.a ? link.b : link.a;
    }

    /** On an XPUB, the next message must be this subscription message; a PUB has nothing to read. */
    private static void expectSubscription(End pub, End sub, int command, String topic, String what) {
        if (pub.type() == SocketType.XPUB) {
            Interop.expectPoking(pub, sub, Msg.of((char) command + topic), what);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void subscriptionsAndUnsubscriptionsReachThePublisherAndFilter(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            End pub = publisher(link);
            End sub = subscriber(link);
            link.connect();
            subscribe(sub, "t.");
            expectSubscription(pub, sub, 1, "t.", c + ", subscribe 't.'");
            subscribe(sub, "sync1");
            expectSubscription(pub, sub, 1, "sync1", c + ", subscribe 'sync1'");
            awaitFlowing(pub, sub, "sync1", c.toString());
            pub.send(Msg.of("u.1"));
            pub.send(Msg.of("t.1", "more"));
            expectSkippingProbes(sub, Msg.of("t.1", "more"), c + ", subscribed to 't.' ('u.1' must be filtered)");

            unsubscribe(sub, "t.");
            expectSubscription(pub, sub, 0, "t.", c + ", unsubscribe 't.'");
            subscribe(sub, "sync2");
            expectSubscription(pub, sub, 1, "sync2", c + ", subscribe 'sync2'");
            awaitFlowing(pub, sub, "sync2", c + ", after unsubscribing 't.'");
            pub.send(Msg.of("t.2"));
            pub.send(Msg.of("sync2.end"));
            expectSkippingProbes(sub, Msg.of("sync2.end"), c + ", unsubscribed from 't.' ('t.2' must be filtered)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void catchAllSubscriptionCarriesEveryPayload(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            End pub = publisher(link);
            End sub = subscriber(link);
            link.connect();
            subscribe(sub, "");
            expectSubscription(pub, sub, 1, "", c + ", subscribe to everything");
            awaitFlowing(pub, sub, "sync", c.toString());
            for (Payload p : Payloads.standard()) {
                pub.send(p.msg());
                expectSkippingProbes(sub, p.msg(), c + ", " + p);
            }
        }
    }

    static Stream<Arguments> verboseCases() {
        List<Arguments> list = new ArrayList<>();
        for (Impl xpub : new Impl[] {Impl.ZMQ4J, Impl.LIBZMQ}) {
            for (Impl subs : new Impl[] {Impl.ZMQ4J, Impl.LIBZMQ}) {
                if (xpub != subs || Case.controlsEnabled() && xpub == Impl.LIBZMQ) {
                    for (boolean verbose : new boolean[] {false, true}) {
                        list.add(Arguments.of(xpub, subs, verbose));
                    }
                }
            }
        }
        return list.stream();
    }

    /**
     * Two SUBs subscribe to the same topic: a plain XPUB passes only the first subscription up,
     * an XPUB_VERBOSE one passes both. The second SUB then subscribes to 'z', so the XPUB's next
     * message tells which happened without waiting for a timeout.
     */
    @ParameterizedTest(name = "{0} XPUB binds, two {1} SUBs connect, XPUB_VERBOSE={2}")
    @MethodSource("verboseCases")
    void xpubVerbosePassesDuplicateSubscriptions(Impl xpubImpl, Impl subImpl, boolean verbose) {
        String what = xpubImpl + " XPUB (XPUB_VERBOSE=" + verbose + ") with two " + subImpl + " SUBs";
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context();
             End xpub = Interop.open(ctx, peer, xpubImpl, SocketType.XPUB);
             End sub1 = Interop.open(ctx, peer, subImpl, SocketType.SUB);
             End sub2 = Interop.open(ctx, peer, subImpl, SocketType.SUB)) {
            xpub.option("XPUB_VERBOSE", verbose);
            String endpoint = xpub.bindAnyPort();
            sub1.connect(endpoint);
            subscribe(sub1, "t");
            expect(xpub, Msg.of("\u0001t"), what + ", first SUB subscribes 't'");
            sub2.connect(endpoint);
            subscribe(sub2, "t");
            subscribe(sub2, "z");
            if (verbose) {
                expect(xpub, Msg.of("\u0001t"), what + ", second SUB subscribes 't' (verbose: passed up)");
            }
            expect(xpub, Msg.of("\u0001z"), what + ", second SUB subscribes 'z'"
                    + (verbose ? "" : " (the duplicate 't' must not be passed up)"));
        }
    }
}
