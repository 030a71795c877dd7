package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * XPUB (rfc-29, zmq_socket(3), zmq_setsockopt(3) ZMQ_XPUB_VERBOSE): subscriptions reach the
 * application as messages {@code \x01topic} and cancellations as {@code \x00topic}. Without
 * XPUB_VERBOSE only the first subscription to a topic and the last cancellation are passed up;
 * with it, every subscription (duplicates too) is passed, cancellations still only when the last
 * subscriber of the topic leaves. Sequences checked against libzmq 4.3.4 via pyzmq.
 * <p>
 * "Nothing was passed" is made observable without timeouts: each SUB follows the call under test
 * with a marker subscription on the same connection, which must be the next thing XPUB sees.
 */
class XPubTest extends SocketTestBase {

    static byte[] sub(String topic) {
        byte[] t = b(topic);
        byte[] m = new byte[t.length + 1];
        m[0] = 1;
        System.arraycopy(t, 0, m, 1, t.length);
        return m;
    }

    static byte[] cancel(String topic) {
        byte[] m = sub(topic);
        m[0] = 0;
        return m;
    }

    /**
     * The next message XPUB passes up. While waiting, the SUBs are poked with a non-blocking recv
     * (nothing is published, so it returns null): zmq4j attaches a connect()ed pipe only when its
     * socket next runs an API call, and a SUB sends its subscriptions upstream on that attach. libzmq
     * needs no poke (the pipe is attached inside zmq_connect); that difference is tested on its own
     * in {@link #subscriptionMadeRightAfterConnectReachesXpubWithoutFurtherCalls()}, so the other
     * tests here check the XPUB semantics alone.
     */
    static byte[] up(Socket xpub, Socket... subs) {
        byte[][] got = new byte[1][];
        awaitTrue("a subscription message at XPUB", SETTLE_DEADLINE_MS, () -> {
            got[0] = xpub.recv(Socket.DONTWAIT);
            if (got[0] != null) {
                return true;
            }
            for (Socket s : subs) {
                assertNull(s.recv(Socket.DONTWAIT), "nothing is published in this test phase");
            }
            return false;
        });
        return got[0];
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void subscriptionMadeRightAfterConnectReachesXpubWithoutFurtherCalls() {
        // libzmq 4.3.4 (pyzmq): sub.connect(ep); sub.subscribe(b"A"); xpub.recv() -> b"\x01A" with no
        // further call on the SUB
        Socket xpub = socket(SocketType.XPUB);
        String ep = bindAny(xpub);
        Socket s = socket(SocketType.SUB);
        s.connect(ep);
        s.setOption(Option.SUBSCRIBE, b("A"));
        xpub.setOption(Option.RCVTIMEO, 2_000);
        assertArrayEquals(sub("A"), xpub.recv(), "the SUB's subscription never left it (pipe not attached until the"
                + " SUB is used again)");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void xpubReceivesSubscribeAndCancelMessagesDeduplicated() {
        Socket xpub = socket(SocketType.XPUB);
        String ep = bindAny(xpub);
        Socket s1 = socket(SocketType.SUB);
        Socket s2 = socket(SocketType.SUB);
        s1.connect(ep);
        s2.connect(ep);

        s1.setOption(Option.SUBSCRIBE, b("A"));
        assertArrayEquals(sub("A"), up(xpub, s1, s2), "first subscription to A");
        assertFalse(xpub.hasMore());

        s2.setOption(Option.SUBSCRIBE, b("A")); // duplicate: filtered
        s2.setOption(Option.SUBSCRIBE, b("B"));
        assertArrayEquals(sub("B"), up(xpub, s1, s2), "duplicate \\x01A must not be passed up without XPUB_VERBOSE");

        s1.setOption(Option.UNSUBSCRIBE, b("A")); // s2 still subscribed: filtered
        s1.setOption(Option.SUBSCRIBE, b("C"));
        assertArrayEquals(sub("C"), up(xpub, s1, s2), "\\x00A must wait for the last subscriber");

        s2.setOption(Option.UNSUBSCRIBE, b("A"));
        assertArrayEquals(cancel("A"), up(xpub, s1, s2), "last cancellation of A is passed up");

        // and XPUB publishes to matching subscribers like PUB (subscriptions are known active now)
        assertEqualsSent(xpub, s1, s2);
    }

    /**
     * An XPUB that connects to a SUB sees that SUB's subscriptions end when the connection does: the
     * SUB restarts (a new socket on the same port) subscribed to B only, and XPUB passes up the
     * cancellation of A before the new subscription, as libzmq (a new pipe per connection) does.
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void subscriptionsOfAConnectionEndWithItWhenXpubReconnects() {
        String ep = freeEndpoint();
        Socket first = socket(SocketType.SUB);
        first.bind(ep);
        first.setOption(Option.SUBSCRIBE, b("A"));
        Socket xpub = socket(SocketType.XPUB);
        xpub.setOption(Option.RECONNECT_IVL, 20);
        xpub.connect(ep);
        assertArrayEquals(sub("A"), up(xpub, first));
        first.setOption(Option.LINGER, 0);
        first.close();
        Socket second = socket(SocketType.SUB);
        awaitTrue("the port is free again", SETTLE_DEADLINE_MS, () -> {
            try {
                second.bind(ep);
                return true;
            } catch (org.zmq4j.ZmqException e) {
                return false;
            }
        });
        second.setOption(Option.SUBSCRIBE, b("B"));
        assertArrayEquals(cancel("A"), up(xpub, second), "the old connection's subscription is cancelled");
        assertArrayEquals(sub("B"), up(xpub, second), "then the new connection's arrives");
        sendMsg(xpub, "A-stale");
        exchange(xpub, second, "B-live");
    }

    private static void assertEqualsSent(Socket xpub, Socket s1, Socket s2) {
        sendMsg(xpub, "A-nobody");
        sendMsg(xpub, "B-to-s2");
        exchange(xpub, s1, "C-to-s1");
        assertEquals(List.of("B-to-s2"), recvMsg(s2));
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void xpubVerbosePassesDuplicateSubscriptions() {
        Socket xpub = socket(SocketType.XPUB);
        xpub.setOption(Option.XPUB_VERBOSE, true);
        String ep = bindAny(xpub);
        Socket s1 = socket(SocketType.SUB);
        Socket s2 = socket(SocketType.SUB);
        s1.connect(ep);
        s2.connect(ep);

        s1.setOption(Option.SUBSCRIBE, b("A"));
        assertArrayEquals(sub("A"), up(xpub, s1, s2));
        s2.setOption(Option.SUBSCRIBE, b("A"));
        assertArrayEquals(sub("A"), up(xpub, s1, s2), "XPUB_VERBOSE passes the duplicate subscription");

        // verbose is about subscriptions; a cancel is still passed only for the last one
        s1.setOption(Option.UNSUBSCRIBE, b("A"));
        s1.setOption(Option.SUBSCRIBE, b("M"));
        assertArrayEquals(sub("M"), up(xpub, s1, s2));
        s2.setOption(Option.UNSUBSCRIBE, b("A"));
        assertArrayEquals(cancel("A"), up(xpub, s1, s2));
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void emptySubscriptionIsPassedAsSingleByte() {
        Socket xpub = socket(SocketType.XPUB);
        String ep = bindAny(xpub);
        Socket s = socket(SocketType.SUB);
        s.connect(ep);
        s.setOption(Option.SUBSCRIBE, new byte[0]);
        assertArrayEquals(new byte[] {1}, up(xpub, s));
        s.setOption(Option.UNSUBSCRIBE, new byte[0]);
        assertArrayEquals(new byte[] {0}, up(xpub, s));
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void subscriberDisconnectCancelsItsSubscriptions() {
        // libzmq: when a subscriber's pipe goes away, XPUB passes up \x00topic for topics that
        // no longer have any subscriber
        Socket xpub = socket(SocketType.XPUB);
        String ep = bindAny(xpub);
        Socket s = socket(SocketType.SUB);
        s.connect(ep);
        s.setOption(Option.SUBSCRIBE, b("gone"));
        assertArrayEquals(sub("gone"), up(xpub, s));
        s.close();
        assertArrayEquals(cancel("gone"), up(xpub), "closing the only subscriber cancels its topic");
    }
}
