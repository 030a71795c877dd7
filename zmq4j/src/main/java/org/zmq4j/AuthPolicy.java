package org.zmq4j;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An {@link Authenticator}'s configuration: the allowed and denied addresses, and the PLAIN users
 * and CURVE clients of each domain. Immutable: each change makes a new policy, which the handler
 * thread picks up whole.
 *
 * @param allowed addresses allowed (when any is, only they may connect)
 * @param denied  addresses denied
 * @param plain   PLAIN users by domain
 * @param curve   CURVE clients by domain
 */
record AuthPolicy(Set<String> allowed, Set<String> denied, Map<String, AuthCredentials.PlainUsers> plain,
                  Map<String, AuthCredentials.CurveClients> curve) {
    static final AuthPolicy EMPTY = new AuthPolicy(Set.of(), Set.of(), Map.of(), Map.of());
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    AuthPolicy allowing(Set<String> addresses) {
        return new AuthPolicy(union(allowed, addresses), denied, plain, curve);
    }

    AuthPolicy denying(Set<String> addresses) {
        return new AuthPolicy(allowed, union(denied, addresses), plain, curve);
    }

    AuthPolicy withPlain(String domain, AuthCredentials.PlainUsers users) {
        return new AuthPolicy(allowed, denied, with(plain, domain, users), curve);
    }

    AuthPolicy withCurve(String domain, AuthCredentials.CurveClients clients) {
        return new AuthPolicy(allowed, denied, plain, with(curve, domain, clients));
    }

    /** The PLAIN users of {@code domain}, or of {@link Authenticator#ANY_DOMAIN}; null when none. */
    AuthCredentials.PlainUsers plainFor(String domain) {
        return forDomain(plain, domain);
    }

    /** The CURVE clients of {@code domain}, or of {@link Authenticator#ANY_DOMAIN}; null when none. */
    AuthCredentials.CurveClients curveFor(String domain) {
        return forDomain(curve, domain);
    }

    private static <T> T forDomain(Map<String, T> settings, String domain) {
        T own = settings.get(domain);
        return own != null ? own : settings.get(Authenticator.ANY_DOMAIN);
    }

    static Set<String> normalized(String... addresses) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : addresses) {
            out.add(normalize(Objects.requireNonNull(a, "address")));
        }
        return out;
    }

    /** An IP literal in one canonical form (IPv4-mapped IPv6 as IPv4, no zone id); anything else as given. */
    static String normalize(String address) {
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone > 0 && a.indexOf(':') >= 0) {
            a = a.substring(0, zone);
        }
        if (IPV4.matcher(a).matches() || a.indexOf(':') >= 0) {
            try {
                // only literals get here, which getByName parses without any name lookup
                return InetAddress.getByName(a).getHostAddress();
            } catch (UnknownHostException | SecurityException e) {
                return a;
            }
        }
        return a;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return Collections.unmodifiableSet(u);
    }

    private static <T> Map<String, T> with(Map<String, T> map, String key, T value) {
        Map<String, T> copy = new HashMap<>(map);
        copy.put(key, value);
        return Collections.unmodifiableMap(copy);
    }

}
