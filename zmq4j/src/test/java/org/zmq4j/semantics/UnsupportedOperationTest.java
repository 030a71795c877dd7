package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;

/**
 * Operations a socket type does not have (zmq_send(3)/zmq_recv(3): ENOTSUP "this socket type does
 * not support" sending / receiving). libzmq 4.3.4 via pyzmq: PULL send, PUSH recv, PUB recv and SUB
 * send all fail with ENOTSUP. The socket stays usable for what it can do.
 */
class UnsupportedOperationTest extends SocketTestBase {

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneWayTypesRefuseTheOtherDirection() {
        Socket pull = socket(SocketType.PULL);
        Socket push = socket(SocketType.PUSH);
        Socket pub = socket(SocketType.PUB);
        Socket sub = socket(SocketType.SUB);
        assertErrno(Errno.ENOTSUP, () -> pull.send(b("x")));
        assertErrno(Errno.ENOTSUP, () -> pull.sendMore(b("x")));
        assertErrno(Errno.ENOTSUP, () -> push.recv());
        assertErrno(Errno.ENOTSUP, () -> push.recv(Socket.DONTWAIT));
        assertErrno(Errno.ENOTSUP, () -> pub.recv(Socket.DONTWAIT));
        assertErrno(Errno.ENOTSUP, () -> sub.send(b("x")));

        // still usable the right way round
        push.connect(bindAny(pull));
        sendMsg(push, "fine");
        assertEquals("fine", recvStr(pull));
    }

    /**
     * SUBSCRIBE on a socket that is not a SUB: libzmq says EINVAL; zmq4j's Socket.setOption Javadoc
     * promises ENOTSUP for "an option this socket type does not support". Either is accepted; being
     * silently accepted is not.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void subscribeOnANonSubscriberIsRejected() {
        Socket pull = socket(SocketType.PULL);
        ZmqException e = assertThrows(ZmqException.class, () -> pull.setOption(Option.SUBSCRIBE, b("x")));
        assertTrue(e.errno() == Errno.EINVAL || e.errno() == Errno.ENOTSUP, e.getMessage());
        System.out.println("[UnsupportedOperationTest] SUBSCRIBE on PULL: " + e.errno() + " (libzmq: EINVAL)");
    }
}
