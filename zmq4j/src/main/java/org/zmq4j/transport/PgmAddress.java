package org.zmq4j.transport;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Enumeration;

import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;

/**
 * An {@code epgm://} address as libzmq reads it: {@code interface;group:port}, split at the last
 * colon; the interface is a name ({@code eth0}, {@code lo}) or one of its IPv4 addresses, and may
 * be left out ({@code group:port}), when the first interface that is up and multicast-capable and
 * has an IPv4 address is used (loopback last). The group is an IPv4 multicast address; the port
 * is both the UDP port and PGM's data port, 1 to 65535. OpenPGM's longer network strings (lists of
 * groups, a separate send group) and IPv6 are refused with EINVAL.
 *
 * @param nic       the interface
 * @param interfaceAddress its IPv4 address: the source address NAKs go to
 * @param group     the group
 * @param port      the port
 */
record PgmAddress(NetworkInterface nic, Inet4Address interfaceAddress, Inet4Address group, int port) {

    /**
     * Parses the text after {@code epgm://}.
     *
     * @param address  the address
     * @param endpoint the whole endpoint, for messages
     * @return the address
     * @throws ZmqException EINVAL when malformed; ENODEV when the interface does not exist or has no
     *                      IPv4 address
     */
    static PgmAddress parse(String address, String endpoint) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new ZmqException(Errno.EINVAL, "missing port in endpoint '" + endpoint + "' (expected epgm://interface;group:port)");
        }
        int port = port(address.substring(colon + 1), endpoint);
        String network = address.substring(0, colon);
        int semi = network.indexOf(';');
        String iface = semi < 0 ? "" : network.substring(0, semi);
        String groupText = semi < 0 ? network : network.substring(semi + 1);
        if (groupText.contains(";") || groupText.contains(",")) {
            throw new ZmqException(Errno.EINVAL, "zmq4j takes one group (interface;group:port), not OpenPGM's lists or a separate "
                    + "send group, in endpoint '" + endpoint + "'");
        }
        Inet4Address group = group(groupText, endpoint);
        NetworkInterface nic = iface.isEmpty() ? defaultInterface(endpoint) : named(iface, endpoint);
        Inet4Address local = ipv4(nic);
        if (local == null) {
            throw new ZmqException(Errno.ENODEV, "interface '" + nic.getName() + "' has no IPv4 address (endpoint '" + endpoint + "')");
        }
        if (!iface.isEmpty() && isIpv4Literal(iface)) {
            local = (Inet4Address) literal(iface, endpoint); // the very address named, when the interface has several
        }
        return new PgmAddress(nic, local, group, port);
    }

    private static int port(String text, String endpoint) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ZmqException(Errno.EINVAL, "malformed port '" + text + "' in endpoint '" + endpoint + "'");
        }
        if (port < 1 || port > 65535) {
            throw new ZmqException(Errno.EINVAL, "port " + port + " out of range 1-65535 in endpoint '" + endpoint + "'");
        }
        return port;
    }

    private static Inet4Address group(String text, String endpoint) {
        if (text.isEmpty()) {
            throw new ZmqException(Errno.EINVAL, "missing multicast group in endpoint '" + endpoint + "'");
        }
        if (text.startsWith("[") || text.contains(":")) {
            throw new ZmqException(Errno.EINVAL, "IPv6 groups are not supported over epgm by zmq4j, in endpoint '" + endpoint + "'");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new ZmqException(Errno.EINVAL, "cannot resolve group '" + text + "' in endpoint '" + endpoint + "'", e);
        }
        if (!(a instanceof Inet4Address v4) || !a.isMulticastAddress()) {
            throw new ZmqException(Errno.EINVAL, "'" + text + "' is not an IPv4 multicast group, in endpoint '" + endpoint + "'");
        }
        return v4;
    }

    private static boolean isIpv4Literal(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static InetAddress literal(String s, String endpoint) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new ZmqException(Errno.EINVAL, "malformed address '" + s + "' in endpoint '" + endpoint + "'", e);
        }
    }

    private static NetworkInterface named(String iface, String endpoint) {
        try {
            NetworkInterface nic = isIpv4Literal(iface)
                    ? NetworkInterface.getByInetAddress(literal(iface, endpoint))
                    : NetworkInterface.getByName(iface);
            if (nic == null) {
                throw new ZmqException(Errno.ENODEV, "no interface '" + iface + "' (endpoint '" + endpoint + "')");
            }
            return nic;
        } catch (SocketException e) {
            throw new ZmqException(Errno.ENODEV, "cannot look up interface '" + iface + "' (endpoint '" + endpoint + "'): "
                    + e.getMessage(), e);
        }
    }

    private static NetworkInterface defaultInterface(String endpoint) {
        NetworkInterface loopback = null;
        try {
            Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
            while (all != null && all.hasMoreElements()) {
                NetworkInterface nic = all.nextElement();
                if (!nic.isUp() || ipv4(nic) == null) {
                    continue;
                }
                if (nic.isLoopback()) {
                    loopback = nic;
                } else if (nic.supportsMulticast()) {
                    return nic;
                }
            }
        } catch (SocketException e) {
            throw new ZmqException(Errno.ENODEV, "cannot list interfaces for endpoint '" + endpoint + "': " + e.getMessage(), e);
        }
        if (loopback != null) {
            return loopback;
        }
        throw new ZmqException(Errno.ENODEV, "no interface with an IPv4 address is up; name one as epgm://interface;group:port (endpoint '"
                + endpoint + "')");
    }

    private static Inet4Address ipv4(NetworkInterface nic) {
        Enumeration<InetAddress> addrs = nic.getInetAddresses();
        while (addrs.hasMoreElements()) {
            if (addrs.nextElement() instanceof Inet4Address v4) {
                return v4;
            }
        }
        return null;
    }
}
