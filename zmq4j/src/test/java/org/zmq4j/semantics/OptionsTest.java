package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;

/**
 * Socket options (zmq_setsockopt(3)/zmq_getsockopt(3) of libzmq 4.3): defaults, set/get round
 * trips, EINVAL for out-of-range values and for read-only options. Defaults and every EINVAL case
 * were checked against libzmq 4.3.4 through pyzmq. Options zmq4j documents as not implemented yet
 * (ENOTSUP, Option Javadoc) make their case skipped, not passed.
 */
class OptionsTest extends SocketTestBase {

    /** A socket straight from the context, no options touched. */
    private Socket pristine(SocketType type) {
        return ctx.socket(type);
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.of(Option.SNDHWM, 1000),
                Arguments.of(Option.RCVHWM, 1000),
                Arguments.of(Option.LINGER, -1),
                Arguments.of(Option.RCVTIMEO, -1),
                Arguments.of(Option.SNDTIMEO, -1),
                Arguments.of(Option.RECONNECT_IVL, 100),
                Arguments.of(Option.RECONNECT_IVL_MAX, 0),
                Arguments.of(Option.BACKLOG, 100),
                Arguments.of(Option.MAXMSGSIZE, -1L),
                Arguments.of(Option.HANDSHAKE_IVL, 30000),
                Arguments.of(Option.SNDBUF, -1),
                Arguments.of(Option.RCVBUF, -1),
                Arguments.of(Option.HEARTBEAT_IVL, 0),
                Arguments.of(Option.HEARTBEAT_TIMEOUT, -1),
                Arguments.of(Option.HEARTBEAT_TTL, 0),
                Arguments.of(Option.IMMEDIATE, false),
                Arguments.of(Option.IPV6, false),
                Arguments.of(Option.CONFLATE, false),
                Arguments.of(Option.RCVMORE, false),
                Arguments.of(Option.LAST_ENDPOINT, ""));
    }

    @ParameterizedTest(name = "default {0} = {1}")
    @MethodSource("defaults")
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    <T> void defaultsMatchLibzmq(Option<T> option, T expected) {
        Socket s = pristine(SocketType.DEALER);
        try {
            assertEquals(expected, getOrSkip(s, option), "default of " + option);
        } finally {
            s.setOption(Option.LINGER, 0);
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void typeAndRoutingIdDefaults() {
        for (SocketType t : new SocketType[] {SocketType.PAIR, SocketType.PUB, SocketType.SUB, SocketType.REQ,
                SocketType.REP, SocketType.DEALER, SocketType.ROUTER, SocketType.PULL, SocketType.PUSH,
                SocketType.XPUB, SocketType.XSUB}) {
            Socket s = socket(t);
            assertEquals(t, s.getOption(Option.TYPE));
            assertEquals(t, s.type());
        }
        byte[] id = pristine(SocketType.DEALER).getOption(Option.ROUTING_ID);
        assertNotNull(id, "an unset ROUTING_ID reads as an empty value (libzmq: zero-length), not null");
        assertEquals(0, id.length);
    }

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                Arguments.of(SocketType.DEALER, Option.SNDHWM, 0),
                Arguments.of(SocketType.DEALER, Option.SNDHWM, 5),
                Arguments.of(SocketType.DEALER, Option.RCVHWM, 0),
                Arguments.of(SocketType.DEALER, Option.RCVHWM, 12345),
                Arguments.of(SocketType.DEALER, Option.LINGER, -1),
                Arguments.of(SocketType.DEALER, Option.LINGER, 0),
                Arguments.of(SocketType.DEALER, Option.LINGER, 250),
                Arguments.of(SocketType.DEALER, Option.RCVTIMEO, -1),
                Arguments.of(SocketType.DEALER, Option.RCVTIMEO, 0),
                Arguments.of(SocketType.DEALER, Option.RCVTIMEO, 123),
                Arguments.of(SocketType.DEALER, Option.SNDTIMEO, 0),
                Arguments.of(SocketType.DEALER, Option.SNDTIMEO, 456),
                Arguments.of(SocketType.DEALER, Option.RECONNECT_IVL, -1),
                Arguments.of(SocketType.DEALER, Option.RECONNECT_IVL, 250),
                Arguments.of(SocketType.DEALER, Option.RECONNECT_IVL_MAX, 5000),
                Arguments.of(SocketType.DEALER, Option.BACKLOG, 10),
                Arguments.of(SocketType.DEALER, Option.MAXMSGSIZE, 1024L),
                Arguments.of(SocketType.DEALER, Option.MAXMSGSIZE, -1L),
                Arguments.of(SocketType.DEALER, Option.HANDSHAKE_IVL, 0),
                Arguments.of(SocketType.DEALER, Option.HANDSHAKE_IVL, 5000),
                Arguments.of(SocketType.DEALER, Option.HEARTBEAT_IVL, 1000),
                Arguments.of(SocketType.DEALER, Option.HEARTBEAT_TIMEOUT, 2500),
                Arguments.of(SocketType.DEALER, Option.HEARTBEAT_TTL, 3000),
                Arguments.of(SocketType.DEALER, Option.SNDBUF, 65536),
                Arguments.of(SocketType.DEALER, Option.RCVBUF, 65536),
                Arguments.of(SocketType.DEALER, Option.IMMEDIATE, true),
                Arguments.of(SocketType.DEALER, Option.IPV6, true),
                Arguments.of(SocketType.PULL, Option.CONFLATE, true),
                Arguments.of(SocketType.DEALER, Option.ROUTING_ID, new byte[] {'i', 'd', 0, (byte) 0xff}),
                Arguments.of(SocketType.DEALER, Option.ROUTING_ID, "x".repeat(255).getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                Arguments.of(SocketType.DEALER, Option.ZAP_DOMAIN, "global"),
                Arguments.of(SocketType.DEALER, Option.PLAIN_USERNAME, "admin"),
                Arguments.of(SocketType.DEALER, Option.PLAIN_PASSWORD, "secret"));
    }

    @ParameterizedTest(name = "{0} {1} <- {2}")
    @MethodSource("roundTrips")
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    <T> void setThenGetReturnsTheValue(SocketType type, Option<T> option, T value) {
        Socket s = socket(type);
        setOrSkip(s, option, value);
        T got = s.getOption(option);
        if (value instanceof byte[]) {
            assertArrayEquals((byte[]) value, (byte[]) got, option + " round trip");
        } else {
            assertEquals(value, got, option + " round trip");
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void writeOnlyBehaviourOptionsAreAccepted() {
        // libzmq cannot read these back (zmq_getsockopt: EINVAL); only setting them is checked
        socket(SocketType.ROUTER).setOption(Option.ROUTER_MANDATORY, true);
        socket(SocketType.XPUB).setOption(Option.XPUB_VERBOSE, true);
        Socket req = socket(SocketType.REQ);
        req.setOption(Option.REQ_RELAXED, true);
        req.setOption(Option.REQ_CORRELATE, true);
        Socket sub = socket(SocketType.SUB);
        sub.setOption(Option.SUBSCRIBE, b("x"));
        sub.setOption(Option.UNSUBSCRIBE, b("x"));
        sub.setOption(Option.UNSUBSCRIBE, b("never subscribed")); // not an error in libzmq
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of(Option.SNDHWM, -1),
                Arguments.of(Option.RCVHWM, -1),
                Arguments.of(Option.LINGER, -2),
                Arguments.of(Option.RCVTIMEO, -2),
                Arguments.of(Option.SNDTIMEO, -2),
                Arguments.of(Option.RECONNECT_IVL, -2),
                Arguments.of(Option.RECONNECT_IVL_MAX, -1),
                Arguments.of(Option.BACKLOG, -1),
                Arguments.of(Option.HEARTBEAT_IVL, -1),
                Arguments.of(Option.HANDSHAKE_IVL, -1),
                Arguments.of(Option.SNDBUF, -2),
                Arguments.of(Option.RCVBUF, -2),
                Arguments.of(Option.ROUTING_ID, new byte[0]),
                Arguments.of(Option.ROUTING_ID, new byte[256]));
    }

    @ParameterizedTest(name = "{0} <- {1} is EINVAL")
    @MethodSource("invalidValues")
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    <T> void outOfRangeValuesAreEinval(Option<T> option, T value) {
        Socket s = socket(SocketType.DEALER);
        T before;
        try {
            before = s.getOption(option);
        } catch (ZmqException e) {
            before = null; // not readable here; only the EINVAL on set is checked
        }
        try {
            s.setOption(option, value);
            org.junit.jupiter.api.Assertions.fail(option + " <- " + value + " was accepted; libzmq: EINVAL");
        } catch (ZmqException e) {
            Assumptions.assumeFalse(e.errno() == Errno.ENOTSUP, option + " not implemented (ENOTSUP): " + e.getMessage());
            assertEquals(Errno.EINVAL, e.errno(), e.getMessage());
        }
        if (before == null) {
            return;
        }
        T after = s.getOption(option);
        if (before instanceof byte[]) {
            assertArrayEquals((byte[]) before, (byte[]) after, "a rejected value must not be stored");
        } else {
            assertEquals(before, after, "a rejected value must not be stored");
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void readOnlyOptionsAreEinvalToSet() {
        Socket s = socket(SocketType.PULL);
        assertErrno(Errno.EINVAL, () -> s.setOption(Option.TYPE, SocketType.PUSH));
        assertErrno(Errno.EINVAL, () -> s.setOption(Option.RCVMORE, true));
        assertErrno(Errno.EINVAL, () -> s.setOption(Option.LAST_ENDPOINT, "tcp://127.0.0.1:1"));
        assertEquals(SocketType.PULL, s.getOption(Option.TYPE));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void lastEndpointIsTheResolvedBindAddress() {
        Socket s = socket(SocketType.PULL);
        assertEquals("", s.lastEndpoint());
        String ep = bindAny(s);
        assertEquals(ep, s.getOption(Option.LAST_ENDPOINT));
        int port = Integer.parseInt(ep.substring(ep.lastIndexOf(':') + 1));
        assertEquals(true, port > 0 && port < 65536, ep);
        String ep2 = bindAny(s);
        assertEquals(ep2, s.lastEndpoint(), "LAST_ENDPOINT follows the latest bind");
        assertEquals(false, ep.equals(ep2));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void optionNamesAndCodesAreLibzmqs() {
        assertEquals(23, Option.SNDHWM.code());
        assertEquals(Option.SNDHWM, Option.valueOf("ZMQ_SNDHWM"));
        assertEquals(Option.LINGER, Option.valueOf("linger"));
        assertErrno(Errno.EINVAL, () -> Option.valueOf("ZMQ_NO_SUCH_OPTION"));
    }

    private static <T> void setOrSkip(Socket s, Option<T> option, T value) {
        try {
            s.setOption(option, value);
        } catch (ZmqException e) {
            Assumptions.assumeFalse(e.errno() == Errno.ENOTSUP, option + " not implemented (ENOTSUP): " + e.getMessage());
            throw e;
        }
    }

    private static <T> T getOrSkip(Socket s, Option<T> option) {
        try {
            return s.getOption(option);
        } catch (ZmqException e) {
            Assumptions.assumeFalse(e.errno() == Errno.ENOTSUP, option + " not implemented (ENOTSUP): " + e.getMessage());
            throw e;
        }
    }
}
