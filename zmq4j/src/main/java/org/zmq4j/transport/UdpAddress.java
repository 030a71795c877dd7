package org.zmq4j.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.util.Enumeration;

import org.zmq4j.ZmqException;
import org.zmq4j.common.IpAddresses;
import org.zmq4j.ZmqException.Errno;

/**
 * A udp endpoint's address part, read as libzmq's {@code udp_address_t} reads it:
 * <ul>
 * <li>{@code host:port}: for a connect (RADIO) the destination, unicast or multicast; for a bind
 *     (DISH) the local address to bind ({@code *}, an IP literal, a host name or an interface name),
 *     unless the host is a multicast group, which is then joined on the default interface and the
 *     port bound on every address;</li>
 * <li>{@code source;group:port}: the group must be multicast and {@code source} names the
 *     interface to join it on (bind) or to send through (connect), as an interface name, an IP
 *     literal or {@code *}.</li>
 * </ul>
 * The port may be {@code *} or {@code 0} (ephemeral) only for a bind.
 */
final class UdpAddress {
    private final String source;
    private final String host;
    private final InetAddress target;
    private final int port;

    private UdpAddress(String source, String host, InetAddress target, int port) {
        this.source = source;
        this.host = host;
        this.target = target;
        this.port = port;
    }

    /**
     * Parses and resolves {@code address} (after "udp://").
     *
     * @param address  {@code [source;]host:port}
     * @param endpoint the whole endpoint, for messages
     * @param forBind  whether this is a bind (DISH) rather than a connect (RADIO)
     * @param ipv6     the IPV6 option: {@code *} means the IPv6 wildcard (dual stack)
     * @return the address
     * @throws ZmqException EINVAL when malformed, not resolvable, or when a source is given for a
     *                      unicast group
     */
    static UdpAddress parse(String address, String endpoint, boolean forBind, boolean ipv6) {
        String source = null;
        String rest = address;
        int semi = address.lastIndexOf(';');
        if (semi >= 0) {
            source = address.substring(0, semi);
            rest = address.substring(semi + 1);
            if (source.isEmpty()) {
                throw new ZmqException(Errno.EINVAL, "missing interface before ';' in endpoint '" + endpoint + "'");
            }
        }
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new ZmqException(Errno.EINVAL, "malformed udp endpoint '" + endpoint + "': expected host:port");
        }
        String host = rest.substring(0, colon);
        String portText = rest.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new ZmqException(Errno.EINVAL, "missing host in endpoint '" + endpoint + "'");
        }
        int port = parsePort(portText, endpoint, forBind);
        InetAddress target = null;
        InetAddress nicAddress = forBind && source == null ? interfaceAddress(host, ipv6) : null;
        if (host.equals("*")) {
            if (!forBind || source != null) {
                throw new ZmqException(Errno.EINVAL, "'*' is only allowed as a bind address, in endpoint '" + endpoint + "'");
            }
        } else if (nicAddress != null) {
            target = nicAddress; // an interface name, as libzmq allows for a bind
        } else {
            try {
                target = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new ZmqException(Errno.EINVAL, "cannot resolve host '" + host + "' in endpoint '" + endpoint + "'", e);
            }
        }
        if (source != null) {
            if (!target.isMulticastAddress()) {
                throw new ZmqException(Errno.EINVAL, "an interface ('" + source + ";') is only allowed before a multicast group, in endpoint '"
                        + endpoint + "'");
            }
            if (!source.equals("*")) {
                InetAddress literal = literal(source);
                if (literal != null && literal.isMulticastAddress()) {
                    throw new ZmqException(Errno.EINVAL, "the interface must not be a multicast address, in endpoint '" + endpoint + "'");
                }
                if (literal != null && (literal instanceof Inet6Address) != (target instanceof Inet6Address)) {
                    throw new ZmqException(Errno.EINVAL, "interface and group are of different IP families in endpoint '" + endpoint + "'");
                }
                if (literal == null && nicByName(source) == null) {
                    throw new ZmqException(Errno.EINVAL, "unknown interface '" + source + "' in endpoint '" + endpoint + "'");
                }
            }
        }
        return new UdpAddress(source, host, target, port);
    }

    private static int parsePort(String text, String endpoint, boolean forBind) {
        int port;
        if (text.equals("*")) {
            port = 0;
        } else {
            try {
                port = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new ZmqException(Errno.EINVAL, "malformed port '" + text + "' in endpoint '" + endpoint + "'");
            }
            if (port < 0 || port > 65535) {
                throw new ZmqException(Errno.EINVAL, "port " + port + " out of range in endpoint '" + endpoint + "'");
            }
        }
        if (port == 0 && !forBind) {
            throw new ZmqException(Errno.EINVAL, "connect needs a port, got '" + text + "' in endpoint '" + endpoint + "'");
        }
        return port;
    }

    /** An IP literal, or null when {@code text} is not one (no DNS lookup). */
    private static InetAddress literal(String text) {
        boolean v4 = text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')) && text.indexOf('.') > 0;
        boolean v6 = text.indexOf(':') >= 0;
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static NetworkInterface nicByName(String name) {
        try {
            return NetworkInterface.getByName(name);
        } catch (SocketException e) {
            return null;
        }
    }

    /** The first address of the interface called {@code name} (IPv4 unless ipv6), or null. */
    private static InetAddress interfaceAddress(String name, boolean ipv6) {
        NetworkInterface nic = nicByName(name);
        if (nic == null) {
            return null;
        }
        Enumeration<InetAddress> addrs = nic.getInetAddresses();
        while (addrs.hasMoreElements()) {
            InetAddress a = addrs.nextElement();
            if (ipv6 || a instanceof Inet4Address) {
                return a;
            }
        }
        return null;
    }

    /** Whether the endpoint names a multicast group. */
    boolean isMulticast() {
        return target != null && target.isMulticastAddress();
    }

    /** The destination (connect) or the group or local address (bind); null for {@code *}. */
    InetAddress target() {
        return target;
    }

    /** The port (0 = ephemeral, bind only). */
    int port() {
        return port;
    }

    /** The protocol family a channel for this address must have. */
    StandardProtocolFamily family(boolean ipv6) {
        if (target == null) {
            return ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        }
        return target instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /**
     * Where a DISH binds: the wildcard for {@code *} and for multicast groups (libzmq binds ANY
     * with the group's port and joins the group), the address itself otherwise.
     *
     * @param ipv6 the IPV6 option
     * @return the local socket address
     */
    InetSocketAddress bindAddress(boolean ipv6) {
        if (target == null || isMulticast()) {
            return new InetSocketAddress(wildcard(family(ipv6)), port);
        }
        return new InetSocketAddress(target, port);
    }

    /** Where a RADIO sends. */
    InetSocketAddress destination() {
        return new InetSocketAddress(target, port);
    }

    /**
     * The interface a multicast group is joined on or sent through: the one named before ';', or
     * for {@code *} and no interface, the one the routing table picks for the group (what libzmq's
     * INADDR_ANY means), falling back to the first multicast-capable interface that is up.
     *
     * @param endpoint for messages
     * @return the interface, or null for a send with no interface given (the kernel picks)
     * @throws ZmqException EADDRNOTAVAIL when none can be found
     */
    NetworkInterface multicastInterface(String endpoint) {
        try {
            if (source != null && !source.equals("*")) {
                InetAddress literal = literal(source);
                NetworkInterface nic = literal != null ? NetworkInterface.getByInetAddress(literal) : nicByName(source);
                if (nic == null) {
                    throw new ZmqException(Errno.EADDRNOTAVAIL, "no interface has address '" + source + "' (endpoint '" + endpoint + "')");
                }
                return nic;
            }
            NetworkInterface routed = routedInterface();
            if (routed != null) {
                return routed;
            }
            Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
            while (all != null && all.hasMoreElements()) {
                NetworkInterface nic = all.nextElement();
                if (nic.isUp() && nic.supportsMulticast()) {
                    return nic;
                }
            }
        } catch (SocketException e) {
            throw new ZmqException(Errno.EADDRNOTAVAIL, "cannot list network interfaces for endpoint '" + endpoint + "': " + e.getMessage(), e);
        }
        throw new ZmqException(Errno.EADDRNOTAVAIL, "no interface can join multicast group " + host + " (endpoint '" + endpoint
                + "'); name one as udp://iface;group:port");
    }

    /** Whether an interface was named before ';' (not {@code *}). */
    boolean hasInterface() {
        return source != null && !source.equals("*");
    }

    /** The interface a datagram to the group would leave by, asking the kernel's routing table. */
    private NetworkInterface routedInterface() {
        try (DatagramChannel probe = DatagramChannel.open(family(false))) {
            probe.connect(new InetSocketAddress(target, port == 0 ? 9 : port));
            InetAddress local = ((InetSocketAddress) probe.getLocalAddress()).getAddress();
            return local.isAnyLocalAddress() ? null : NetworkInterface.getByInetAddress(local);
        } catch (IOException | RuntimeException e) {
            return null; // no route for the group
        }
    }

    /**
     * The endpoint as LAST_ENDPOINT reports it, with the bound port filled in. (libzmq reports
     * the address as given, without "udp://" and with port 0 left as is; zmq4j gives an endpoint a
     * RADIO can connect to.)
     *
     * @param bound the channel's local address
     * @return e.g. {@code udp://127.0.0.1:5556} or {@code udp://lo;239.0.0.1:5556}
     */
    String format(InetSocketAddress bound) {
        StringBuilder sb = new StringBuilder("udp://");
        InetAddress shown = isMulticast() ? target : bound.getAddress();
        if (source != null) {
            sb.append(source).append(';');
        }
        String h = IpAddresses.canonical(shown);
        if (shown instanceof Inet6Address) {
            h = "[" + h + "]";
        }
        return sb.append(h).append(':').append(bound.getPort()).toString();
    }

    private static InetAddress wildcard(StandardProtocolFamily family) {
        try {
            return InetAddress.getByAddress(new byte[family == StandardProtocolFamily.INET6 ? 16 : 4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return (source == null ? "" : source + ";") + host + ":" + port;
    }
}
