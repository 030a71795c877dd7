package org.zmq4j.udp;

import static org.zmq4j.support.Checks.assertErrno;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.support.ContextPerTest;
import org.zmq4j.support.Msgs;

/**
 * Which socket types may use udp (libzmq's socket_base.cpp: only a DISH binds, only a RADIO
 * connects, ENOCOMPATPROTO otherwise, multicast or not) and malformed udp endpoints.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpEndpointErrorsTest extends ContextPerTest {
    private Socket socket(SocketType type) {
        return Msgs.socket(ctx, type, -1, -1);
    }

    @Test
    void onlyADishBindsAndOnlyARadioConnects() {
        assertErrno(Errno.ENOCOMPATPROTO, () -> socket(SocketType.SERVER).bind("udp://127.0.0.1:*"));
        assertErrno(Errno.ENOCOMPATPROTO, () -> socket(SocketType.RADIO).bind("udp://*:0"));
        assertErrno(Errno.ENOCOMPATPROTO, () -> socket(SocketType.PUB).bind("udp://*:0"));
        assertErrno(Errno.ENOCOMPATPROTO, () -> socket(SocketType.DISH).connect("udp://127.0.0.1:61001"));
        assertErrno(Errno.ENOCOMPATPROTO, () -> socket(SocketType.DISH).connect("udp://239.0.0.1:61001"));
        assertErrno(Errno.ENOCOMPATPROTO, () -> socket(SocketType.CLIENT).connect("udp://127.0.0.1:61001"));
        assertErrno(Errno.ENOCOMPATPROTO, () -> socket(SocketType.SUB).connect("udp://127.0.0.1:61001"));
    }

    @Test
    void theTypeIsCheckedBeforeTheAddress() {
        assertErrno(Errno.ENOCOMPATPROTO, () -> socket(SocketType.PUSH).connect("udp://not an address"));
    }

    @Test
    void malformedEndpointsAreRejected() {
        Socket radio = socket(SocketType.RADIO);
        assertErrno(Errno.EINVAL, () -> radio.connect("udp://127.0.0.1"));
        assertErrno(Errno.EINVAL, () -> radio.connect("udp://127.0.0.1:"));
        assertErrno(Errno.EINVAL, () -> radio.connect("udp://127.0.0.1:x"));
        assertErrno(Errno.EINVAL, () -> radio.connect("udp://127.0.0.1:70000"));
        assertErrno(Errno.EINVAL, () -> radio.connect("udp://127.0.0.1:0"));
        assertErrno(Errno.EINVAL, () -> radio.connect("udp://127.0.0.1:*"));
        assertErrno(Errno.EINVAL, () -> radio.connect("udp://*:61001"));
        assertErrno(Errno.EINVAL, () -> radio.connect("udp://127.0.0.1;127.0.0.2:61001"), "an interface before a unicast address");
        assertErrno(Errno.EINVAL, () -> radio.connect("udp://;239.0.0.1:61001"));
        assertErrno(Errno.EINVAL, () -> radio.connect("udp://239.0.0.2;239.0.0.1:61001"));
        assertErrno(Errno.EINVAL, () -> radio.connect("udp://no-such-interface-zz;239.0.0.1:61001"));
        Socket dish = socket(SocketType.DISH);
        assertErrno(Errno.EINVAL, () -> dish.bind("udp://127.0.0.1"));
        assertErrno(Errno.EINVAL, () -> dish.bind("udp://127.0.0.1;127.0.0.1:0"));
        assertErrno(Errno.EINVAL, () -> dish.bind("udp://:0"));
    }

    @Test
    void aFailedBindLeavesTheDishUsable() {
        Socket first = socket(SocketType.DISH);
        first.bind("udp://127.0.0.1:*");
        Socket second = socket(SocketType.DISH);
        assertErrno(Errno.EADDRINUSE, () -> second.bind(first.lastEndpoint()));
        second.bind("udp://127.0.0.1:*");
    }
}
