package org.zmq4j.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Enumeration;

import org.zmq4j.ZmqException;
import org.zmq4j.common.IpAddresses;
import org.zmq4j.ZmqException.Errno;

/**
 * A tcp endpoint's address part, as libzmq reads it: {@code host:port} where host is an IPv4 literal,
 * an IPv6 literal in brackets, a host name, {@code *} (all interfaces, bind only) or an interface
 * name (bind only), and port is a number, or {@code *} / {@code 0} for an ephemeral port (bind only).
 */
public final class TcpAddress {
    private final String host;
    private final int port;

    private TcpAddress(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Splits {@code address} (after "tcp://").
     *
     * @param address  host:port
     * @param endpoint the whole endpoint, for messages
     * @param forBind  whether wildcards are allowed
     * @return the address
     * @throws ZmqException EINVAL when malformed
     */
    public static TcpAddress parse(String address, String endpoint, boolean forBind) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new ZmqException(Errno.EINVAL, "malformed tcp endpoint '" + endpoint + "': expected host:port");
        }
        String host = address.substring(0, colon);
        String portText = address.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        if (portText.equals("*")) {
            port = 0;
        } else {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new ZmqException(Errno.EINVAL, "malformed port '" + portText + "' in endpoint '" + endpoint + "'");
            }
            if (port < 0 || port > 65535) {
                throw new ZmqException(Errno.EINVAL, "port " + port + " out of range in endpoint '" + endpoint + "'");
            }
        }
        if (!forBind) {
            if (port == 0) {
                throw new ZmqException(Errno.EINVAL, "connect needs a port, got '" + portText + "' in endpoint '" + endpoint + "'");
            }
            if (host.equals("*")) {
                throw new ZmqException(Errno.EINVAL, "connect needs a host, got '*' in endpoint '" + endpoint + "'");
            }
        }
        if (host.isEmpty()) {
            throw new ZmqException(Errno.EINVAL, "missing host in endpoint '" + endpoint + "'");
        }
        return new TcpAddress(host, port);
    }

    /** The host part as given (brackets removed). */
    public String host() {
        return host;
    }

    /** The port (0 = ephemeral). */
    public int port() {
        return port;
    }

    /**
     * Resolves for bind: {@code *} is every interface (IPv6 too when ipv6), an interface name its
     * first address, anything else a literal or host name.
     *
     * @param ipv6     the IPV6 option
     * @param endpoint for messages
     * @return the socket address
     */
    public InetSocketAddress resolveForBind(boolean ipv6, String endpoint) {
        if (host.equals("*")) {
            return new InetSocketAddress(ipv6 ? anyV6() : anyV4(), port);
        }
        try {
            NetworkInterface nic = NetworkInterface.getByName(host);
            if (nic != null) {
                Enumeration<InetAddress> addrs = nic.getInetAddresses();
                while (addrs.hasMoreElements()) {
                    InetAddress a = addrs.nextElement();
                    if (ipv6 || !(a instanceof Inet6Address)) {
                        return new InetSocketAddress(a, port);
                    }
                }
            }
        } catch (SocketException ignored) {
            // not an interface name
        }
        return new InetSocketAddress(resolveHost(endpoint, Errno.EADDRNOTAVAIL), port);
    }

    /**
     * Resolves for connect (each attempt resolves again, so DNS changes are followed).
     *
     * @param endpoint for messages
     * @return the socket address
     */
    public InetSocketAddress resolveForConnect(String endpoint) {
        return new InetSocketAddress(resolveHost(endpoint, Errno.EINVAL), port);
    }

    private InetAddress resolveHost(String endpoint, Errno errno) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ZmqException(errno, "cannot resolve host '" + host + "' in endpoint '" + endpoint + "'", e);
        }
    }

    private static InetAddress anyV4() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress anyV6() {
        try {
            return InetAddress.getByAddress(new byte[16]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Formats a resolved address as libzmq's LAST_ENDPOINT does: {@code tcp://1.2.3.4:5} or
     * {@code tcp://[::1]:5}.
     *
     * @param address the bound address
     * @return the endpoint string
     */
    public static String format(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        String h = IpAddresses.canonical(a);
        if (a instanceof Inet6Address) {
            h = "[" + h + "]";
        }
        return "tcp://" + h + ":" + address.getPort();
    }
}
