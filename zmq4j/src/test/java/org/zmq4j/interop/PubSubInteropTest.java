package org.zmq4j.interop;

import static org.zmq4j.interop.Interop.awaitFlowing;
import static org.zmq4j.interop.Interop.expectSkippingProbes;
import static org.zmq4j.interop.Interop.subscribe;
import static org.zmq4j.interop.Interop.unsubscribe;

import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.interop.Payloads.Payload;

/**
 * PUB to SUB: zmq4j PUB to libzmq SUB and libzmq PUB to zmq4j SUB, each side binding.
 * Subscriptions propagate asynchronously (slow joiner), so each phase first publishes probes
 * until one arrives ({@link Interop#awaitFlowing}); a subscription made after an unsubscription
 * travels the same connection, so its probes arriving proves the unsubscription was applied too.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PubSubInteropTest {
    static Stream<Case> cases() {
        return Case.between(SocketType.PUB, SocketType.SUB);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void catchAllSubscriberReceivesEveryPayload(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            End pub = link.end(SocketType.PUB);
            End sub = link.end(SocketType.SUB);
            subscribe(sub, "");
            link.connect();
            awaitFlowing(pub, sub, "sync", c.toString());
            for (Payload p : Payloads.standard()) {
                pub.send(p.msg());
                expectSkippingProbes(sub, p.msg(), c + ", " + p);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void deliversOnlyPrefixMatches(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            End pub = link.end(SocketType.PUB);
            End sub = link.end(SocketType.SUB);
            link.connect();
            subscribe(sub, "news.");
            subscribe(sub, "sync");
            awaitFlowing(pub, sub, "sync", c.toString());
            String[][] published = {
                {"sport.1"}, {"news.a"}, {"news"}, {"newsX"}, {"news.b", "second frame"}, {"new"},
                {"news."}, {"NEWS.c"}, {""}, {"news.d"},
            };
            for (String[] m : published) {
                pub.send(Msg.of(m));
            }
            for (String[] m : new String[][] {{"news.a"}, {"news.b", "second frame"}, {"news."}, {"news.d"}}) {
                expectSkippingProbes(sub, Msg.of(m), c + ", subscribed to 'news.', expecting only prefix matches");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void unsubscribeStopsDeliveryOfThatTopicOnly(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            End pub = link.end(SocketType.PUB);
            End sub = link.end(SocketType.SUB);
            link.connect();
            subscribe(sub, "a.");
            subscribe(sub, "b.");
            subscribe(sub, "sync1");
            awaitFlowing(pub, sub, "sync1", c + ", first subscriptions");
            pub.send(Msg.of("a.1"));
            pub.send(Msg.of("b.1"));
            expectSkippingProbes(sub, Msg.of("a.1"), c + ", before unsubscribe");
            expectSkippingProbes(sub, Msg.of("b.1"), c + ", before unsubscribe");

            unsubscribe(sub, "a.");
            subscribe(sub, "sync2");
            awaitFlowing(pub, sub, "sync2", c + ", after unsubscribing 'a.'");
            pub.send(Msg.of("a.2"));
            pub.send(Msg.of("b.2"));
            pub.send(Msg.of("a.3"));
            pub.send(Msg.of("sync2.end"));
            expectSkippingProbes(sub, Msg.of("b.2"), c + ", after unsubscribing 'a.' ('a.2' must not arrive)");
            expectSkippingProbes(sub, Msg.of("sync2.end"), c + ", after unsubscribing 'a.' ('a.3' must not arrive)");
        }
    }

    /** Subscriptions are counted: subscribing twice and unsubscribing once keeps the topic. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void duplicateSubscriptionSurvivesOneUnsubscribe(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c)) {
            End pub = link.end(SocketType.PUB);
            End sub = link.end(SocketType.SUB);
            link.connect();
            subscribe(sub, "a.");
            subscribe(sub, "a.");
            subscribe(sub, "sync1");
            awaitFlowing(pub, sub, "sync1", c + ", subscribed twice to 'a.'");
            unsubscribe(sub, "a.");
            subscribe(sub, "sync2");
            awaitFlowing(pub, sub, "sync2", c + ", after one unsubscribe of 'a.'");
            pub.send(Msg.of("a.still"));
            expectSkippingProbes(sub, Msg.of("a.still"), c + ", 'a.' subscribed twice, unsubscribed once");

            unsubscribe(sub, "a.");
            subscribe(sub, "sync3");
            awaitFlowing(pub, sub, "sync3", c + ", after the second unsubscribe of 'a.'");
            pub.send(Msg.of("a.gone"));
            pub.send(Msg.of("sync3.end"));
            expectSkippingProbes(sub, Msg.of("sync3.end"), c + ", 'a.' fully unsubscribed ('a.gone' must not arrive)");
        }
    }
}
