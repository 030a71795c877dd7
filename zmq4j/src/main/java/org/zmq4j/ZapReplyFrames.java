package org.zmq4j;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The frames of a ZAP reply as rfc-27 lays them out, for the {@link Authenticator}. Stateless. */
final class ZapReplyFrames {
    /** The only ZAP version: requests must carry it, replies do. */
    static final byte[] VERSION = "1.0".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern METADATA_NAME = Pattern.compile("[A-Za-z0-9\\-_.+]{1,255}");
    /** Properties the ZMTP engine sets itself; certificate metadata must not pose as them. */
    private static final Set<String> RESERVED_PROPERTIES =
            Set.of("socket-type", "identity", "routing-id", "resource", "user-id", "peer-address");

    private ZapReplyFrames() {
    }

    static List<byte[]> reply(byte[] requestId, String status, String text, String userId,
                                      Map<String, String> metadata) {
        return List.of(VERSION, requestId, ascii(status), truncatedAscii(text), userId.getBytes(StandardCharsets.UTF_8),
                encodeMetadata(metadata));
    }

    /** ZMTP metadata (rfc-27): name length (1 octet), name, value length (4 octets, big-endian), value. */
    private static byte[] encodeMetadata(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metadata.forEach((name, value) -> {
            if (!METADATA_NAME.matcher(name).matches() || RESERVED_PROPERTIES.contains(name.toLowerCase(Locale.ROOT))) {
                return; // not a valid ZMTP property name, or one the engine owns
            }
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            out.write(n.length);
            out.writeBytes(n);
            out.write(v.length >>> 24);
            out.write(v.length >>> 16);
            out.write(v.length >>> 8);
            out.write(v.length);
            out.writeBytes(v);
        });
        return out.toByteArray();
    }

    /** rfc-27: string fields are ASCII and at most 255 characters. */
    private static byte[] truncatedAscii(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 255));
        for (int i = 0; i < s.length() && b.length() < 255; i++) {
            char c = s.charAt(i);
            b.append(c >= 32 && c < 127 ? c : '?');
        }
        return ascii(b.toString());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
