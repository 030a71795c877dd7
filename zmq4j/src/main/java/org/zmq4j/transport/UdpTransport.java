package org.zmq4j.transport;

import org.zmq4j.common.Endpoint;
import org.zmq4j.common.Errors;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.SessionHost;
import org.zmq4j.io.UdpEngine;
import org.zmq4j.common.SocketOptions;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * udp:// for RADIO (connect: sends datagrams to a unicast address or a multicast group) and DISH
 * (bind: receives them on a local port, joining a multicast group when the endpoint names one), as
 * libzmq's udp transport. No handshake: each side is one peer marked {@link Peer#allGroups()}, so the
 * RADIO sends every group and the DISH filters.
 * <p>
 * The channel is opened and bound in the caller's thread, so errors (EADDRINUSE, an unknown
 * interface) reach bind/connect; libzmq reports them later, from its I/O thread.
 */
final class UdpTransport {
    private UdpTransport() {
    }

    /**
     * Binds a DISH to {@code ep} and attaches its peer.
     *
     * @param ep      the endpoint
     * @param host    the socket
     * @param options options copied at bind time
     * @return the handle, closed by unbind or socket close
     * @throws ZmqException ENOCOMPATPROTO unless the socket is a DISH; EINVAL, EADDRINUSE,
     *                      EADDRNOTAVAIL
     */
    static EndpointHandle bind(Endpoint ep, SessionHost host, SocketOptions options) {
        if (options.type != SocketType.DISH) {
            throw incompatible(options.type, "bind", ep, "only DISH sockets can bind udp endpoints");
        }
        UdpAddress addr = UdpAddress.parse(ep.address(), ep.text(), true, options.ipv6);
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(addr.family(options.ipv6));
            ch.configureBlocking(false);
            if (options.rcvBuf > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, options.rcvBuf);
            }
            if (addr.isMulticast()) {
                // as libzmq: several receivers of a group may share the port
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
            }
            ch.bind(addr.bindAddress(options.ipv6));
            if (addr.isMulticast()) {
                NetworkInterface nic = addr.multicastInterface(ep.text());
                ch.join(addr.target(), nic);
            }
            String resolved = addr.format((InetSocketAddress) ch.getLocalAddress());
            return attach(host, options, ch, null, ep.text(), resolved, true);
        } catch (BindException e) {
            Transports.closeQuietly(ch);
            throw new ZmqException(Errors.ofBind(e, Errno.EADDRNOTAVAIL), "cannot bind to '" + ep.text() + "': " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            Transports.closeQuietly(ch);
            throw new ZmqException(Errno.EADDRNOTAVAIL, "cannot bind to '" + ep.text() + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Transports.closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Connects a RADIO to {@code ep}: attaches a peer whose messages are sent as datagrams.
     *
     * @param ep      the endpoint
     * @param host    the socket
     * @param options options copied at connect time
     * @return the handle, closed by disconnect or socket close
     * @throws ZmqException ENOCOMPATPROTO unless the socket is a RADIO; EINVAL, EADDRNOTAVAIL
     */
    static EndpointHandle connect(Endpoint ep, SessionHost host, SocketOptions options) {
        if (options.type != SocketType.RADIO) {
            throw incompatible(options.type, "connect", ep, "only RADIO sockets can connect udp endpoints");
        }
        UdpAddress addr = UdpAddress.parse(ep.address(), ep.text(), false, options.ipv6);
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(addr.family(options.ipv6));
            ch.configureBlocking(false);
            if (options.sndBuf > 0) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, options.sndBuf);
            }
            if (addr.isMulticast()) {
                // MULTICAST_LOOP (default on, as libzmq): receivers on this host get the datagrams
                ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, options.multicastLoop);
                ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, options.multicastHops);
                if (addr.hasInterface()) {
                    ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, addr.multicastInterface(ep.text()));
                }
            }
            return attach(host, options, ch, addr.destination(), ep.text(), ep.text(), false);
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            Transports.closeQuietly(ch);
            throw new ZmqException(Errno.EADDRNOTAVAIL, "cannot connect to '" + ep.text() + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Transports.closeQuietly(ch);
            throw e;
        }
    }

    /** Makes the peer (every group, no commands), attaches it, and starts the engine. */
    private static EndpointHandle attach(SessionHost host, SocketOptions options, DatagramChannel ch, InetSocketAddress destination,
                                    String endpoint, String resolved, boolean bound) {
        Pipe in = new Pipe(options.rcvHwm, false);
        Pipe out = new Pipe(options.sndHwm, false);
        in.setReaderWake(host.wakeable());
        out.setWriterWake(host.wakeable());
        Peer peer = new Peer(in, out, endpoint, null, true); // udp carries no JOIN/LEAVE: every group
        UdpEngine engine = new UdpEngine(host, ch, peer, destination, endpoint, resolved, bound);
        host.peerAttached(peer);
        engine.start();
        return Transports.datagramHandle(engine, bound);
    }

    private static ZmqException incompatible(SocketType type, String op, Endpoint ep, String why) {
        return new ZmqException(Errno.ENOCOMPATPROTO, "cannot " + op + " a " + type + " socket to '" + ep.text() + "': " + why);
    }

}
