package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * PUB/SUB (rfc-29, zmq_socket(3)): fan-out to every subscriber whose subscriptions match by
 * prefix; an empty subscription matches everything; no subscription receives nothing;
 * subscriptions are reference-counted per SUB socket (libzmq's xsub trie).
 */
class PubSubTest extends SocketTestBase {

    private static final String PROBE = "ABsync";

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fanOutWithPrefixSubscriptions() {
        Socket pub = socket(SocketType.PUB);
        String ep = bindAny(pub);
        Socket subA = socket(SocketType.SUB);
        Socket subAB = socket(SocketType.SUB);
        Socket subAll = socket(SocketType.SUB);
        Socket subNone = socket(SocketType.SUB);
        subA.setOption(Option.SUBSCRIBE, b("A"));
        subAB.setOption(Option.SUBSCRIBE, b("AB"));
        subAll.setOption(Option.SUBSCRIBE, new byte[0]);
        for (Socket s : List.of(subA, subAB, subAll, subNone)) {
            s.connect(ep);
        }
        syncSubscribers(pub, PROBE, subA, subAB, subAll);

        List<String> published = List.of("A1", "B1", "AB1", "C1", "ABC", "a-lowercase", "", "BA");
        for (String m : published) {
            sendMsg(pub, m);
        }
        sendMsg(pub, "ABend");

        assertEquals(List.of("A1", "AB1", "ABC", "ABend"), drainUntil(subA, "ABend"));
        assertEquals(List.of("AB1", "ABC", "ABend"), drainUntil(subAB, "ABend"));
        List<String> all = new ArrayList<>(published);
        all.add("ABend");
        assertEquals(all, drainUntil(subAll, "ABend"), "the empty subscription matches every message");

        subNone.setOption(Option.RCVTIMEO, 200);
        assertNull(subNone.recv(), "a SUB without subscriptions receives nothing");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void severalSubscriptionsOnOneSocketDeliverEachMatchingMessageOnce() {
        Socket pub = socket(SocketType.PUB);
        String ep = bindAny(pub);
        Socket sub = socket(SocketType.SUB);
        sub.setOption(Option.SUBSCRIBE, b("A"));
        sub.setOption(Option.SUBSCRIBE, b("AB")); // overlapping: "ABx" matches both
        sub.setOption(Option.SUBSCRIBE, b("X"));
        sub.connect(ep);
        syncSubscribers(pub, PROBE, sub);
        for (String m : List.of("ABx", "Ay", "Xz", "Bq", "XXX")) {
            sendMsg(pub, m);
        }
        sendMsg(pub, "ABend");
        assertEquals(List.of("ABx", "Ay", "Xz", "XXX", "ABend"), drainUntil(sub, "ABend"));
    }

    /**
     * After UNSUBSCRIBE the topic is no longer delivered. The marker subscription "Q" is made after
     * the unsubscribe on the same connection, so once a Q message arrives the cancel has been
     * applied by the publisher too.
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void unsubscribeStopsDelivery() {
        Socket pub = socket(SocketType.PUB);
        String ep = bindAny(pub);
        Socket sub = socket(SocketType.SUB);
        Socket other = socket(SocketType.SUB);
        sub.setOption(Option.SUBSCRIBE, b("A"));
        other.setOption(Option.SUBSCRIBE, b("A"));
        sub.connect(ep);
        other.connect(ep);
        syncSubscribers(pub, "Async", sub, other);
        sendMsg(pub, "A-before");
        assertEquals(List.of("A-before"), recvSkipping(sub, "Async"));
        assertEquals(List.of("A-before"), recvSkipping(other, "Async"));

        sub.setOption(Option.UNSUBSCRIBE, b("A"));
        sub.setOption(Option.SUBSCRIBE, b("Q"));
        syncSubscribers(pub, "Qsync", sub); // drains anything before the first Q probe
        sendMsg(pub, "A-after");
        sendMsg(pub, "Qend");
        assertEquals(List.of("Qend"), drainUntilSkipping(sub, "Qend", "Qsync"),
                "A-after must not reach the unsubscribed socket");
        // the other subscriber of the same topic is unaffected
        assertEquals(List.of("A-after"), recvSkipping(other, "Async"));
    }

    /**
     * SUBSCRIBE "A" twice then UNSUBSCRIBE "A" once leaves one subscription: "A" messages still
     * arrive (libzmq 4.3.4 via pyzmq: yes).
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void duplicateSubscriptionsAreReferenceCounted() {
        Socket pub = socket(SocketType.PUB);
        String ep = bindAny(pub);
        Socket sub = socket(SocketType.SUB);
        sub.setOption(Option.SUBSCRIBE, b("A"));
        sub.setOption(Option.SUBSCRIBE, b("A"));
        sub.connect(ep);
        sub.setOption(Option.UNSUBSCRIBE, b("A"));
        sub.setOption(Option.SUBSCRIBE, b("Q"));
        syncSubscribers(pub, "Qsync", sub);
        sendMsg(pub, "Adata");
        sendMsg(pub, "Qend");
        assertEquals(List.of("Adata", "Qend"), drainUntilSkipping(sub, "Qend", "Qsync"));

        // the second UNSUBSCRIBE removes it for good
        sub.setOption(Option.UNSUBSCRIBE, b("A"));
        sub.setOption(Option.SUBSCRIBE, b("R"));
        syncSubscribers(pub, "Rsync", sub);
        sendMsg(pub, "Adata2");
        sendMsg(pub, "Rend");
        assertEquals(List.of("Rend"), drainUntilSkipping(sub, "Rend", "Rsync"));
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void subscriptionsMadeBeforeAndAfterConnectBothCount() {
        Socket pub = socket(SocketType.PUB);
        String ep = bindAny(pub);
        Socket sub = socket(SocketType.SUB);
        sub.setOption(Option.SUBSCRIBE, b("before"));
        sub.connect(ep);
        sub.setOption(Option.SUBSCRIBE, b("after"));
        syncSubscribers(pub, "after-sync", sub);
        sendMsg(pub, "before-1");
        sendMsg(pub, "neither");
        sendMsg(pub, "after-end");
        assertEquals(List.of("before-1", "after-end"), drainUntilSkipping(sub, "after-end", "after-sync"));
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void publisherWithSubscriberBoundAndPublisherConnected() {
        // direction of bind/connect is independent of the pattern
        Socket sub = socket(SocketType.SUB);
        sub.setOption(Option.SUBSCRIBE, b("T"));
        String ep = bindAny(sub);
        Socket pub1 = socket(SocketType.PUB);
        Socket pub2 = socket(SocketType.PUB);
        pub1.connect(ep);
        pub2.connect(ep);
        syncSubscribers(pub1, "Tsync1", sub);
        syncSubscribers(pub2, "Tsync2", sub);
        sendMsg(pub1, "T-from-1");
        sendMsg(pub2, "T-from-2");
        sendMsg(pub1, "U-from-1");
        List<String> got = new ArrayList<>();
        while (got.size() < 2) {
            String m = recvStr(sub);
            if (!m.startsWith("Tsync")) {
                got.add(m);
            }
        }
        assertEquals(java.util.Set.of("T-from-1", "T-from-2"), new java.util.HashSet<>(got));
    }

    /** Receives (skipping the sync probe) until {@code last} arrives; returns all of it. */
    static List<String> drainUntil(Socket sub, String last) {
        return drainUntilSkipping(sub, last, PROBE);
    }

    static List<String> drainUntilSkipping(Socket sub, String last, String probe) {
        List<String> got = new ArrayList<>();
        while (true) {
            List<String> m = recvSkipping(sub, probe);
            assertEquals(1, m.size(), "single-frame messages only here: " + m);
            got.add(m.get(0));
            if (m.get(0).equals(last)) {
                return got;
            }
        }
    }
}
