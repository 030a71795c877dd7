package org.zmq4j.transport;

import org.zmq4j.common.Endpoint;
import org.zmq4j.common.Errors;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.Connector;
import org.zmq4j.io.SessionHost;
import org.zmq4j.common.SocketOptions;

/** tcp:// — NIO socket channels with TCP_NODELAY. */
final class TcpTransport {
    private TcpTransport() {
    }

    /** Per-connection settings: TCP_NODELAY, and SNDBUF/RCVBUF when set. */
    static void configure(SocketChannel ch, SocketOptions options) throws IOException {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (options.sndBuf > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, options.sndBuf);
        }
        if (options.rcvBuf > 0) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, options.rcvBuf);
        }
        if (options.tcpKeepalive >= 0) {
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, options.tcpKeepalive == 1);
        }
        if (options.tcpKeepalive == 1) {
            setIfSupported(ch, jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, options.tcpKeepaliveIdle);
            setIfSupported(ch, jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL, options.tcpKeepaliveIntvl);
            setIfSupported(ch, jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, options.tcpKeepaliveCnt);
        }
    }

    private static void setIfSupported(SocketChannel ch, java.net.SocketOption<Integer> option, int value) throws IOException {
        if (value > 0 && ch.supportedOptions().contains(option)) {
            ch.setOption(option, value);
        }
    }

    /** Binds now, so errors reach the caller, and starts accepting on an I/O thread. */
    static EndpointHandle bind(Endpoint ep, SessionHost host, SocketOptions options) {
        TcpAddress addr = TcpAddress.parse(ep.address(), ep.text(), true);
        InetSocketAddress local = addr.resolveForBind(options.ipv6, ep.text());
        ServerSocketChannel server = null;
        try {
            // an IPv4 address gets an IPv4 socket: on a dual-stack one the JDK would bind 0.0.0.0 as
            // [::], taking IPv6 peers too and reporting tcp://[::]:port, where libzmq (IPV6 off) binds
            // and reports tcp://0.0.0.0:port
            server = local.getAddress() instanceof java.net.Inet4Address
                    ? ServerSocketChannel.open(java.net.StandardProtocolFamily.INET) : ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (options.rcvBuf > 0) {
                server.setOption(StandardSocketOptions.SO_RCVBUF, options.rcvBuf);
            }
            server.bind(local, options.backlog);
            server.configureBlocking(false);
            String resolved = TcpAddress.format((InetSocketAddress) server.getLocalAddress());
            return new StreamListener(ep.text(), resolved, server, host, options, TcpTransport::configure, () -> { });
        } catch (BindException e) {
            StreamListener.closeQuietly(server);
            throw new ZmqException(Errors.ofBind(e, Errno.EADDRNOTAVAIL), "cannot bind to '" + ep.text() + "': " + e.getMessage(), e);
        } catch (IOException e) {
            StreamListener.closeQuietly(server);
            throw new ZmqException(Errno.EIO, "cannot bind to '" + ep.text() + "': " + e.getMessage(), e);
        }
    }

    /** A connector; the address is validated now and resolved at each attempt. */
    static Connector connector(Endpoint ep, SocketOptions options) {
        TcpAddress addr = TcpAddress.parse(ep.address(), ep.text(), false);
        return new StreamConnector(new StreamConnector.Dialer() {
            @Override
            public SocketAddress target() {
                return addr.resolveForConnect(ep.text());
            }

            @Override
            public SocketChannel open() throws IOException {
                SocketChannel ch = SocketChannel.open();
                try {
                    configure(ch, options);
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
                return ch;
            }
        });
    }
}
