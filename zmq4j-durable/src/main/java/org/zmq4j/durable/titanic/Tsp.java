package org.zmq4j.durable.titanic;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The Titanic Service Protocol's names and status codes (rfc 9), and its UUIDs: 32 hexadecimal
 * digits (we issue lower case, as the zguide does, and accept either case).
 *
 * <p>Thread-safety: constants and static methods; thread-safe.
 */
public final class Tsp {
    /** Stores a request: [service, body...] → [status, uuid]. */
    public static final String REQUEST = "titanic.request";
    /** Fetches a reply: [uuid] → [status, reply...]. */
    public static final String REPLY = "titanic.reply";
    /** Forgets a request and its reply: [uuid] → [status]. */
    public static final String CLOSE = "titanic.close";

    /** Done. */
    public static final String OK = "200";
    /** No reply yet: ask again later. */
    public static final String PENDING = "300";
    /** Unknown or malformed UUID: do not ask again. */
    public static final String UNKNOWN = "400";
    /** The server could not do it (a malformed request, a storage failure): try again later. */
    public static final String ERROR = "500";

    private Tsp() {
    }

    /** The UUID in canonical (lower) case, or null when {@code text} is not 32 hexadecimal digits. */
    public static String uuid(String text) {
        if (text == null || text.length() != 32) {
            return null;
        }
        for (int i = 0; i < 32; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return null;
            }
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** A fresh random UUID. */
    static String newUuid() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The status code of a status frame ("200", "300 PENDING", ...): its first three characters. */
    public static String status(byte[] frame) {
        String s = new String(frame, StandardCharsets.UTF_8);
        return s.length() >= 3 ? s.substring(0, 3) : s;
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
}
