package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException.Errno;

/**
 * Socket close (zmq_close(3)): idempotent here (Socket Javadoc); any later operation fails with
 * ENOTSOCK, as libzmq does for a closed socket (pyzmq 24 / libzmq 4.3.4: send after close →
 * "Socket operation on non-socket", errno 88). Closing one socket leaves the others alone.
 */
class SocketCloseTest extends SocketTestBase {

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeIsIdempotent() {
        Socket s = socket(SocketType.PUSH);
        bindAny(s);
        s.close();
        s.close();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyOperationAfterCloseIsEnotsock() {
        Socket s = socket(SocketType.DEALER);
        String ep = bindAny(s);
        String other = freeEndpoint();
        s.connect(other);
        s.close();
        assertErrno(Errno.ENOTSOCK, () -> s.send(b("x")));
        assertErrno(Errno.ENOTSOCK, () -> s.sendMore(b("x")));
        assertErrno(Errno.ENOTSOCK, () -> s.send(b("x"), Socket.DONTWAIT));
        assertErrno(Errno.ENOTSOCK, () -> s.recv());
        assertErrno(Errno.ENOTSOCK, () -> s.recv(Socket.DONTWAIT));
        assertErrno(Errno.ENOTSOCK, () -> s.bind(ANY_LOOPBACK));
        assertErrno(Errno.ENOTSOCK, () -> s.connect(other));
        assertErrno(Errno.ENOTSOCK, () -> s.unbind(ep));
        assertErrno(Errno.ENOTSOCK, () -> s.disconnect(other));
        assertErrno(Errno.ENOTSOCK, () -> s.setOption(Option.SNDHWM, 10));
        assertErrno(Errno.ENOTSOCK, () -> s.getOption(Option.SNDHWM));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closingOneSocketLeavesTheOthersWorking() {
        Socket pull = socket(SocketType.PULL);
        String ep = bindAny(pull);
        Socket p1 = socket(SocketType.PUSH);
        Socket p2 = socket(SocketType.PUSH);
        p1.connect(ep);
        p2.connect(ep);
        sendMsg(p1, "from p1");
        assertEquals("from p1", recvStr(pull));
        p1.close();
        sendMsg(p2, "from p2");
        assertEquals("from p2", recvStr(pull));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closedBoundSocketReleasesItsPort() {
        Socket a = socket(SocketType.PULL);
        String ep = bindAny(a);
        a.close();
        Socket c = socket(SocketType.PULL);
        // closing is asynchronous in libzmq too; the port must become free within a bounded time
        awaitTrue("port of a closed socket free again", SETTLE_DEADLINE_MS, () -> {
            try {
                c.bind(ep);
                return true;
            } catch (org.zmq4j.ZmqException e) {
                assertEquals(Errno.EADDRINUSE, e.errno(), e.getMessage());
                return false;
            }
        });
    }
}
