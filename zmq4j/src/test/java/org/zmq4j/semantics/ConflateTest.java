package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * ZMQ_CONFLATE (zmq_setsockopt(3)): "keep only one message in its inbound/outbound queue, this
 * message being the last message received/the last message to be sent"; applies to PULL, PUSH,
 * SUB, PUB, DEALER. Both cases checked with libzmq 4.3.4 via pyzmq.
 */
class ConflateTest extends SocketTestBase {

    /**
     * Outbound, deterministic: a conflating PUSH connects to an endpoint nobody listens on, queues
     * 10 messages, then the PULL binds. Only the last is delivered (libzmq: "10", then nothing).
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void conflatingPushSendsOnlyTheLastQueuedMessage() {
        int port = freePort();
        String ep = "tcp://127.0.0.1:" + port;
        Socket push = socket(SocketType.PUSH);
        push.setOption(Option.CONFLATE, true);
        assertEquals(Boolean.TRUE, push.getOption(Option.CONFLATE));
        push.connect(ep);
        awaitAccepted(push, b("1"));
        for (int i = 2; i <= 10; i++) {
            assertTrue(push.send(b(Integer.toString(i)), Socket.DONTWAIT), "a conflating queue is never full");
        }
        Socket pull = socket(SocketType.PULL);
        pull.bind(ep);
        assertEquals("10", recvStr(pull));
        pull.setOption(Option.RCVTIMEO, 300);
        assertNull(pull.recv(), "only the last message may be delivered");
    }

    /**
     * Inbound: a plain PUSH queues 1..20000 before the conflating PULL binds; the queue is flushed
     * in a few large writes, and the PULL sees an increasing subsequence that ends with the last one
     * (libzmq: just that one). Strictly fewer than all must be seen, or nothing was conflated. (With
     * 10 messages a reader on a busy machine could take each one as it arrived: it failed once
     * under a CPU hog; 20,000 tiny frames decode far faster than a reader can be woken per message.)
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void conflatingPullKeepsOnlyTheLatestMessage() {
        int port = freePort();
        String ep = "tcp://127.0.0.1:" + port;
        int last = 20_000;
        Socket push = socket(SocketType.PUSH);
        push.setOption(Option.SNDHWM, 0);
        push.connect(ep);
        awaitAccepted(push, b("1"));
        for (int i = 2; i <= last; i++) {
            assertTrue(push.send(b(Integer.toString(i)), Socket.DONTWAIT));
        }
        Socket pull = socket(SocketType.PULL);
        pull.setOption(Option.CONFLATE, true);
        pull.bind(ep);
        List<Integer> got = new ArrayList<>();
        while (got.isEmpty() || got.get(got.size() - 1) != last) {
            int v = Integer.parseInt(recvStr(pull));
            int previous = got.isEmpty() ? 0 : got.get(got.size() - 1);
            assertTrue(v > previous, "increasing: " + previous + " then " + v);
            got.add(v);
        }
        assertTrue(got.size() < last, "conflate must have dropped superseded messages, got all " + got.size());
        pull.setOption(Option.RCVTIMEO, 200);
        assertNull(pull.recv());
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void conflatingSubscriberSeesLatestValue() {
        Socket pub = socket(SocketType.PUB);
        // no HWM at the publisher: its own queue must not drop the last value (PUB drops at SNDHWM)
        pub.setOption(Option.SNDHWM, 0);
        String ep = bindAny(pub);
        Socket sub = socket(SocketType.SUB);
        sub.setOption(Option.CONFLATE, true);
        sub.setOption(Option.SUBSCRIBE, b("v"));
        sub.connect(ep);
        syncSubscribers(pub, "vsync", sub);
        for (int i = 0; i <= 1000; i++) {
            sendMsg(pub, "v" + i);
        }
        int last = -1;
        int count = 0;
        while (last != 1000) {
            String m = recvStr(sub);
            if (m.equals("vsync")) {
                continue;
            }
            int v = Integer.parseInt(m.substring(1));
            assertTrue(v > last, "increasing");
            last = v;
            count++;
        }
        assertTrue(count < 1001, "conflate must drop superseded values, received all " + count);
    }
}
