package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/** PAIR (rfc-31, zmq_socket(3)): one peer at a time, bidirectional, in order. */
class PairTest extends SocketTestBase {

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pairExchangesMessagesBothWaysInOrder() {
        Socket a = socket(SocketType.PAIR);
        Socket b = socket(SocketType.PAIR);
        b.connect(bindAny(a));
        for (int i = 0; i < 100; i++) {
            sendMsg(a, "a" + i);
            sendMsg(b, "b" + i, "", "tail" + i);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(List.of("a" + i), recvMsg(b));
            assertEquals(List.of("b" + i, "", "tail" + i), recvMsg(a));
        }
    }

    /**
     * A bound PAIR talks to its first peer only; a second PAIR that connects is refused and its
     * messages are never delivered (libzmq 4.3.4 via pyzmq: "intruder not delivered").
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pairRefusesASecondPeer() {
        Socket a = socket(SocketType.PAIR);
        String ep = bindAny(a);
        Socket b = socket(SocketType.PAIR);
        b.connect(ep);
        exchange(b, a, "hello");
        exchange(a, b, "back");

        Socket intruder = socket(SocketType.PAIR);
        intruder.connect(ep);
        intruder.send(b("intruder"), Socket.DONTWAIT);
        exchange(b, a, "again");
        a.setOption(Option.RCVTIMEO, 300);
        assertNull(a.recv(), "the second PAIR's message must not be delivered");
        // the first peer is still served
        exchange(a, b, "still yours");
    }
}
