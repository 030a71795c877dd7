package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException.Errno;

/**
 * Endpoint errors (zmq_bind(3), zmq_connect(3), zmq_unbind(3), zmq_disconnect(3)); every case
 * checked against libzmq 4.3.4 through pyzmq: unknown transport → EPROTONOSUPPORT, malformed
 * endpoint → EINVAL, port in use → EADDRINUSE, unbind/disconnect of an endpoint never
 * bound/connected → ENOENT.
 */
class EndpointErrorsTest extends SocketTestBase {

    @ParameterizedTest(name = "bind/connect \"{0}\"")
    @ValueSource(strings = {"foo://127.0.0.1:5555", "foo://x", "zmtp://127.0.0.1:5555"})
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void unknownTransportIsEprotonosupport(String endpoint) {
        Socket s = socket(SocketType.PUSH);
        assertErrno(Errno.EPROTONOSUPPORT, () -> s.bind(endpoint));
        assertErrno(Errno.EPROTONOSUPPORT, () -> s.connect(endpoint));
    }

    @ParameterizedTest(name = "bind/connect \"{0}\"")
    @ValueSource(strings = {"", "tcp://", "tcp://127.0.0.1", "tcp://127.0.0.1:", "tcp127.0.0.1:5555",
            "tcp://127.0.0.1:notaport", "://127.0.0.1:5555"})
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void malformedEndpointIsEinval(String endpoint) {
        Socket s = socket(SocketType.PUSH);
        assertErrno(Errno.EINVAL, () -> s.bind(endpoint));
        assertErrno(Errno.EINVAL, () -> s.connect(endpoint));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void connectToAWildcardPortIsEinval() {
        Socket s = socket(SocketType.PUSH);
        assertErrno(Errno.EINVAL, () -> s.connect("tcp://127.0.0.1:*"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void bindingAPortInUseIsEaddrinuse() {
        Socket first = socket(SocketType.PULL);
        String ep = bindAny(first);
        Socket second = socket(SocketType.PULL);
        assertErrno(Errno.EADDRINUSE, () -> second.bind(ep));
        assertErrno(Errno.EADDRINUSE, () -> first.bind(ep)); // the same socket twice, too
        // the failed binds changed nothing: the first socket still receives on ep
        Socket push = socket(SocketType.PUSH);
        push.connect(ep);
        sendMsg(push, "still bound");
        assertEquals("still bound", recvStr(first));
        // and the second socket can still bind elsewhere
        bindAny(second);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void bindingAPortHeldByAPlainTcpListenerIsEaddrinuse() throws Exception {
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Socket s = socket(SocketType.PULL);
            assertErrno(Errno.EADDRINUSE, () -> s.bind("tcp://127.0.0.1:" + ss.getLocalPort()));
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void unbindOfANeverBoundEndpointIsEnoent() {
        Socket s = socket(SocketType.PULL);
        assertErrno(Errno.ENOENT, () -> s.unbind(freeEndpoint()));
        String ep = bindAny(s);
        assertErrno(Errno.ENOENT, () -> s.unbind(freeEndpoint()));
        s.unbind(ep);
        assertErrno(Errno.ENOENT, () -> s.unbind(ep)); // not twice
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void disconnectOfANeverConnectedEndpointIsEnoent() {
        Socket s = socket(SocketType.PUSH);
        assertErrno(Errno.ENOENT, () -> s.disconnect(freeEndpoint()));
        String ep = freeEndpoint();
        s.connect(ep);
        assertErrno(Errno.ENOENT, () -> s.disconnect(freeEndpoint()));
        s.disconnect(ep);
        assertErrno(Errno.ENOENT, () -> s.disconnect(ep)); // not twice
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void unbindStopsAcceptingNewConnections() {
        Socket pull = socket(SocketType.PULL);
        String ep = bindAny(pull);
        pull.unbind(ep);
        // unbinding is asynchronous in libzmq (the listener is closed by the I/O thread): wait for
        // the port to be free, then check that nothing reaches the unbound socket
        Socket other = socket(SocketType.PULL);
        awaitTrue("port free after unbind", SETTLE_DEADLINE_MS, () -> {
            try {
                other.bind(ep);
                return true;
            } catch (org.zmq4j.ZmqException e) {
                assertEquals(Errno.EADDRINUSE, e.errno(), e.getMessage());
                return false;
            }
        });
        Socket push = socket(SocketType.PUSH);
        push.connect(ep);
        sendMsg(push, "to the new owner");
        assertEquals("to the new owner", recvStr(other));
        pull.setOption(org.zmq4j.Option.RCVTIMEO, 100);
        assertEquals(null, pull.recv());
    }
}
