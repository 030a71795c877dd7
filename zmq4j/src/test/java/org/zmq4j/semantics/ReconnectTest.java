package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;

/**
 * Reconnect (zmq_connect(3): "the connection is re-established" after it drops; ZMQ_RECONNECT_IVL):
 * a connecting DEALER keeps its routing id towards a restarted ROUTER, and a SUB re-sends its
 * subscriptions to a restarted PUB. Both checked against libzmq 4.3.4 via pyzmq (the SUB is
 * resubscribed about 100 ms, one RECONNECT_IVL, after the new PUB binds).
 */
class ReconnectTest extends SocketTestBase {

    /** Binds {@code s} to {@code ep}, retrying (bounded) while the old listener is still closing. */
    private static void rebind(Socket s, String ep) {
        awaitTrue("rebinding " + ep, SETTLE_DEADLINE_MS, () -> {
            try {
                s.bind(ep);
                return true;
            } catch (ZmqException e) {
                assertEquals(Errno.EADDRINUSE, e.errno(), e.getMessage());
                return false;
            }
        });
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void dealerReconnectsToARestartedRouterWithItsRoutingId() {
        Socket router = socket(SocketType.ROUTER);
        String ep = bindAny(router);
        Socket dealer = socket(SocketType.DEALER);
        dealer.setOption(Option.ROUTING_ID, b("d"));
        dealer.connect(ep);
        sendMsg(dealer, "one");
        assertEquals(List.of("d", "one"), recvMsg(router));
        router.close();

        Socket router2 = socket(SocketType.ROUTER);
        rebind(router2, ep);
        // messages sent around the drop may be lost with the old connection; ping until one arrives
        int[] i = {0};
        java.util.concurrent.atomic.AtomicReference<List<String>> got = new java.util.concurrent.atomic.AtomicReference<>();
        awaitTrue("a message through the re-established connection", SETTLE_DEADLINE_MS, () -> {
            dealer.send(b("ping" + i[0]++), Socket.DONTWAIT);
            got.set(recvMsgNow(router2));
            return got.get() != null;
        });
        assertEquals("d", got.get().get(0), "the routing id is announced again on reconnect: " + got.get());
        // the connection works both ways and in order from here on
        sendMsg(router2, "d", "welcome back");
        String reply;
        do {
            reply = recvStr(dealer);
        } while (reply.startsWith("ping"));
        assertEquals("welcome back", reply);
        sendMsg(dealer, "after");
        List<String> m;
        do {
            m = recvMsg(router2);
        } while (m.get(1).startsWith("ping"));
        assertEquals(List.of("d", "after"), m);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void subscriberResubscribesToARestartedPublisher() {
        Socket pub = socket(SocketType.PUB);
        String ep = bindAny(pub);
        Socket sub = socket(SocketType.SUB);
        sub.setOption(Option.SUBSCRIBE, b("A"));
        sub.setOption(Option.SUBSCRIBE, b("B"));
        sub.connect(ep);
        syncSubscribers(pub, "Async", sub);
        pub.close();

        Socket pub2 = socket(SocketType.PUB);
        rebind(pub2, ep);
        syncSubscribers(pub2, "Async2", sub); // only arrives if "A" was sent to the new PUB
        sendMsg(pub2, "B-both-topics-came-back");
        sendMsg(pub2, "C-not-subscribed");
        sendMsg(pub2, "Aend");
        List<String> got = PubSubTest.drainUntilSkipping(sub, "Aend", "Async2");
        assertEquals(List.of("B-both-topics-came-back", "Aend"), got);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void negativeReconnectIntervalMeansNoReconnect() {
        // zmq_setsockopt(3): RECONNECT_IVL -1 disables reconnection
        Socket pull = socket(SocketType.PULL);
        String ep = bindAny(pull);
        Socket push = socket(SocketType.PUSH);
        push.setOption(Option.RECONNECT_IVL, -1);
        push.connect(ep);
        sendMsg(push, "first");
        assertEquals("first", recvStr(pull));
        pull.close();
        Socket pull2 = socket(SocketType.PULL);
        rebind(pull2, ep);
        pull2.setOption(Option.RCVTIMEO, 50);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
        int received = 0;
        while (System.nanoTime() - deadline < 0) { // several default reconnect intervals
            push.send(b("x"), Socket.DONTWAIT);
            if (pull2.recv() != null) {
                received++;
            }
        }
        assertTrue(received == 0, "RECONNECT_IVL -1 must not reconnect, yet " + received + " messages arrived");
    }
}
