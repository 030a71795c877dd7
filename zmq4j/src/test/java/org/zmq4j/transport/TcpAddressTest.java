package org.zmq4j.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.zmq4j.common.IpAddresses;
import org.zmq4j.Context;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

class TcpAddressTest {

    @Test
    void ipv6IsPrintedInCanonicalFormAsLibzmqDoes() throws Exception {
        assertEquals("::1", IpAddresses.canonical(InetAddress.getByName("::1")));
        assertEquals("::", IpAddresses.canonical(InetAddress.getByName("::")));
        assertEquals("2001:db8::1", IpAddresses.canonical(InetAddress.getByName("2001:db8:0:0:0:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddresses.canonical(InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
        assertEquals("2001:0:0:1::1", IpAddresses.canonical(InetAddress.getByName("2001:0:0:1:0:0:0:1")));
        assertEquals("fe80::", IpAddresses.canonical(InetAddress.getByName("fe80:0:0:0:0:0:0:0")));
        assertEquals("127.0.0.1", IpAddresses.canonical(InetAddress.getByName("127.0.0.1")));
    }

    @Test
    void lastEndpointOfAnIpv6BindIsCompressed() {
        try (Context ctx = new Context(); Socket s = ctx.socket(SocketType.PULL)) {
            s.bind("tcp://[::1]:*");
            assertEquals(true, s.lastEndpoint().startsWith("tcp://[::1]:"), s.lastEndpoint());
        }
    }

    /** libzmq 4.3.4 (pyzmq): {@code tcp://*:0} reports {@code tcp://0.0.0.0:PORT}; with IPV6 on, {@code tcp://[::]:PORT}. */
    @Test
    void lastEndpointOfAWildcardBindIsAsLibzmqReportsIt() {
        try (Context ctx = new Context(); Socket v4 = ctx.socket(SocketType.PULL); Socket v6 = ctx.socket(SocketType.PULL)) {
            v4.bind("tcp://*:0");
            assertEquals(true, v4.lastEndpoint().matches("tcp://0\\.0\\.0\\.0:\\d+"), v4.lastEndpoint());
            v6.setOption(org.zmq4j.Option.IPV6, true);
            v6.bind("tcp://*:0");
            assertEquals(true, v6.lastEndpoint().matches("tcp://\\[::\\]:\\d+"), v6.lastEndpoint());
        }
    }

    /** libzmq 4.3.4 (pyzmq): after a connect, LAST_ENDPOINT is the endpoint as given ("tcp://localhost:5599"). */
    @Test
    void lastEndpointAfterAConnectIsTheEndpointAsGiven() {
        try (Context ctx = new Context(); Socket s = ctx.socket(SocketType.PUSH)) {
            s.setOption(org.zmq4j.Option.LINGER, 0);
            assertEquals("", s.lastEndpoint());
            s.connect("tcp://localhost:5599");
            assertEquals("tcp://localhost:5599", s.lastEndpoint());
            s.bind("tcp://127.0.0.1:*");
            assertEquals(true, s.lastEndpoint().startsWith("tcp://127.0.0.1:"), s.lastEndpoint());
        }
    }
}
