package org.zmq4j.patterns.clone;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One CHP message (rfc 12; the zguide's {@code kvmsg}): five frames, the key (a string), the
 * sequence (8 bytes, network order), a UUID (16 bytes or none), the properties ({@code name=value}
 * lines) and the value. An empty value is a deletion. The same shape carries every command:
 * KVSYNC, KTHXBAI, KVPUB, KVSET and HUGZ differ by key and by socket.
 *
 * <p>Immutable; thread-safe. The value array is neither copied nor changed: hand over one you no
 * longer write to.
 */
public final class Kvmsg {
    private static final byte[] NO_UUID = new byte[0];

    private final String key;
    private final long sequence;
    private final byte[] uuid;
    private final Map<String, String> properties;
    private final byte[] value;

    /**
     * @param key        the key (not null; may be empty only for commands)
     * @param sequence   the sequence number
     * @param uuid       16 bytes, or empty or null for none
     * @param properties the properties (names without {@code =} or a newline, values without a
     *                   newline)
     * @param value      the value; empty (or null) deletes
     */
    public Kvmsg(String key, long sequence, byte[] uuid, Map<String, String> properties, byte[] value) {
        this.key = Objects.requireNonNull(key, "key");
        this.sequence = sequence;
        this.uuid = uuid == null ? NO_UUID : uuid;
        if (this.uuid.length != 0 && this.uuid.length != 16) {
            throw new IllegalArgumentException("a CHP UUID is 16 bytes or none, not " + this.uuid.length);
        }
        Map<String, String> p = new LinkedHashMap<>();
        if (properties != null) {
            properties.forEach((name, v) -> {
                if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\n') >= 0 || v.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("property " + name + "=" + v
                            + ": a name is not empty and holds no '=' or newline, a value holds no newline");
                }
                p.put(name, v);
            });
        }
        this.properties = Collections.unmodifiableMap(p);
        this.value = value == null ? NO_UUID : value;
    }

    /** A KVSET of {@code key} to {@code value} with a new random UUID and an optional TTL in seconds (0: none). */
    public static Kvmsg set(String key, byte[] value, long ttlSeconds) {
        Map<String, String> props = ttlSeconds > 0 ? Map.of(Chp.TTL, Long.toString(ttlSeconds)) : Map.of();
        return new Kvmsg(key, 0, newUuid(), props, value);
    }

    /** 16 random bytes (a version 4 UUID). */
    public static byte[] newUuid() {
        UUID u = UUID.randomUUID();
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }

    /** The key. */
    public String key() {
        return key;
    }

    /** The sequence number. */
    public long sequence() {
        return sequence;
    }

    /** The UUID, 16 bytes or empty (a copy). */
    public byte[] uuid() {
        return uuid.clone();
    }

    /** Whether this message has a UUID. */
    public boolean hasUuid() {
        return uuid.length == 16;
    }

    /** The UUID as a map key, or null when there is none. */
    UuidKey uuidKey() {
        return hasUuid() ? new UuidKey(uuid) : null;
    }

    /** The properties, in their order on the wire (unmodifiable). */
    public Map<String, String> properties() {
        return properties;
    }

    /** The property {@code name}, or null. */
    public String property(String name) {
        return properties.get(name);
    }

    /**
     * The {@code ttl} property in seconds, 0 when there is none or it is not a positive number
     * (the zguide's servers write it as a decimal, possibly with a fraction: it is rounded up).
     */
    public double ttlSeconds() {
        String t = properties.get(Chp.TTL);
        if (t == null) {
            return 0;
        }
        try {
            double d = Double.parseDouble(t.trim());
            return d > 0 && d < 1e12 ? d : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The value (the array itself, not a copy: do not change it). Empty means a deletion. */
    public byte[] value() {
        return value;
    }

    /** Whether this deletes its key (the value is empty). */
    public boolean isDelete() {
        return value.length == 0;
    }

    /** This message with another sequence number. */
    public Kvmsg withSequence(long seq) {
        return new Kvmsg(key, seq, uuid, properties, value);
    }

    /** This message with other properties. */
    public Kvmsg withProperties(Map<String, String> props) {
        return new Kvmsg(key, sequence, uuid, props, value);
    }

    /** The five frames on the wire. */
    public List<byte[]> frames() {
        return List.of(key.getBytes(StandardCharsets.UTF_8), ByteBuffer.allocate(8).putLong(sequence).array(),
                uuid, encodeProperties(properties), value);
    }

    /**
     * Reads a message from its frames.
     *
     * @throws IllegalArgumentException naming what is wrong: not five frames, a sequence that is not
     *                                  8 bytes, a UUID neither 16 bytes nor empty, a malformed
     *                                  property line
     */
    public static Kvmsg parse(List<byte[]> frames) {
        if (frames.size() != 5) {
            throw new IllegalArgumentException("a CHP message has 5 frames, not " + frames.size());
        }
        if (frames.get(1).length != 8) {
            throw new IllegalArgumentException("a CHP sequence is 8 bytes, not " + frames.get(1).length);
        }
        byte[] uuid = frames.get(2);
        if (uuid.length != 0 && uuid.length != 16) {
            throw new IllegalArgumentException("a CHP UUID is 16 bytes or none, not " + uuid.length);
        }
        return new Kvmsg(new String(frames.get(0), StandardCharsets.UTF_8), ByteBuffer.wrap(frames.get(1)).getLong(),
                uuid, decodeProperties(frames.get(3)), frames.get(4));
    }

    static byte[] encodeProperties(Map<String, String> props) {
        if (props.isEmpty()) {
            return NO_UUID;
        }
        StringBuilder b = new StringBuilder();
        props.forEach((n, v) -> b.append(n).append('=').append(v).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> decodeProperties(byte[] frame) {
        Map<String, String> props = new LinkedHashMap<>();
        String text = new String(frame, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a CHP property line is name=value, not '" + line + "'");
            }
            props.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return props;
    }

    @Override
    public String toString() {
        return "[seq " + sequence + "][key " + key + "][" + value.length + " bytes]" + (properties.isEmpty() ? "" : properties);
    }

    /** A UUID usable as a hash key. */
    record UuidKey(long high, long low) {
        UuidKey(byte[] b) {
            this(ByteBuffer.wrap(b).getLong(0), ByteBuffer.wrap(b).getLong(8));
        }
    }

    static boolean sameValue(Kvmsg a, Kvmsg b) {
        return Arrays.equals(a.value, b.value);
    }
}
