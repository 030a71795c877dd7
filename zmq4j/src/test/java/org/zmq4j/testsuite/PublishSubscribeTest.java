package org.zmq4j.testsuite;

import static org.zmq4j.testsuite.Suite.awaitFlowing;
import static org.zmq4j.testsuite.Suite.expect;
import static org.zmq4j.testsuite.Suite.expectSkippingProbes;
import static org.zmq4j.testsuite.Suite.subscribe;
import static org.zmq4j.testsuite.Suite.unsubscribe;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.SocketType;
import org.zmq4j.testsuite.End.Impl;
import org.zmq4j.testsuite.Payloads.Payload;

/**
 * Publish/subscribe beyond the flows of {@link FlowTest}: a catch-all subscription, prefix
 * matching, unsubscription, counted duplicate subscriptions; and the raw types (XPUB-XSUB, PUB-XSUB,
 * XPUB-SUB), where an XPUB receives subscriptions as messages (\x01topic, \x00topic for
 * unsubscribe) and an XSUB subscribes by sending them, and XPUB_VERBOSE. Every transport and
 * implementation pair, each side binding ({@link Case#between}).
 * <p>
 * Subscriptions propagate asynchronously (slow joiner), so each phase first publishes probes until
 * one arrives ({@link Suite#awaitFlowing}); a subscription made after an unsubscription travels the
 * same connection, so its probes arriving proves the unsubscription was applied too.
 */
@ExtendWith(NamedFailures.class)
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PublishSubscribeTest {
    static Stream<Case> pubSub() {
        return Case.between(SocketType.PUB, SocketType.SUB);
    }

    static Stream<Case> rawTypes() {
        return Stream.of(
                Case.between(SocketType.XPUB, SocketType.XSUB),
                Case.between(SocketType.PUB, SocketType.XSUB),
                Case.between(SocketType.XPUB, SocketType.SUB)).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pubSub")
    void catchAllSubscriberReceivesEveryPayload(Case c) {
        try (Link link = Link.open(c)) {
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
    @MethodSource("pubSub")
    void deliversOnlyPrefixMatches(Case c) {
        try (Link link = Link.open(c)) {
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
    @MethodSource("pubSub")
    void unsubscribeStopsDeliveryOfThatTopicOnly(Case c) {
        try (Link link = Link.open(c)) {
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
    @MethodSource("pubSub")
    void duplicateSubscriptionSurvivesOneUnsubscribe(Case c) {
        try (Link link = Link.open(c)) {
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

    // ---- XPUB and XSUB

    private static End publisher(Link link) {
        return link.a.type() == SocketType.XPUB || link.a.type() == SocketType.PUB ? link.a : link.b;
    }

    private static End subscriber(Link link) {
        return publisher(link) == link.a ? link.b : link.a;
    }

    /** On an XPUB, the next message must be this subscription message; a PUB has nothing to read. */
    private static void expectSubscription(End pub, End sub, int command, String topic, String what) {
        if (pub.type() == SocketType.XPUB) {
            Suite.expectPoking(pub, sub, Msg.of((char) command + topic), what);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawTypes")
    void subscriptionsAndUnsubscriptionsReachThePublisherAndFilter(Case c) {
        try (Link link = Link.open(c)) {
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
    @MethodSource("rawTypes")
    void catchAllSubscriptionCarriesEveryPayload(Case c) {
        try (Link link = Link.open(c)) {
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
        for (Transport t : Transport.values()) {
            for (Impl[] impls : Case.implementations(t)) {
                for (boolean verbose : new boolean[] {false, true}) {
                    list.add(Arguments.of(t, impls[0], impls[1], verbose));
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
    @ParameterizedTest(name = "{0}: {1} XPUB binds, two {2} SUBs connect, XPUB_VERBOSE={3}")
    @MethodSource("verboseCases")
    void xpubVerbosePassesDuplicateSubscriptions(Transport t, Impl xpubImpl, Impl subImpl, boolean verbose) {
        String what = t + ": " + xpubImpl + " XPUB (XPUB_VERBOSE=" + verbose + ") with two " + subImpl + " SUBs";
        try (Harness h = new Harness(t)) {
            End xpub = h.open(xpubImpl, SocketType.XPUB);
            End sub1 = h.open(subImpl, SocketType.SUB);
            End sub2 = h.open(subImpl, SocketType.SUB);
            xpub.option("XPUB_VERBOSE", verbose);
            String endpoint = h.bind(xpub);
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
