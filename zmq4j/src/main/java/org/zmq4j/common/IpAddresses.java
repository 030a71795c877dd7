package org.zmq4j.common;

import java.net.Inet6Address;
import java.net.InetAddress;

/** IP addresses written as libzmq writes them. */
public final class IpAddresses {
    private IpAddresses() {
    }

    /**
     * An address as libzmq prints it: IPv4 dotted, IPv6 in RFC 5952 form (the longest run of two or
     * more zero groups shortened to "::", lower case, no zone), e.g. "::1" where Java says
     * "0:0:0:0:0:0:0:1". ZAP's address frame and the Peer-Address property use this form.
     *
     * @param a the address
     * @return its canonical text
     */
    public static String canonical(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
