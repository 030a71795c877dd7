package org.zmq4j.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Connection metadata (rfc-37 "metadata"): properties of a name (1..255 octets, case-insensitive)
 * and a value (0..2^31-1 octets, 4-octet network-order length).
 */
public final class Metadata {
    /** Socket type property. */
    public static final String SOCKET_TYPE = "Socket-Type";
    /** Identity (routing id) property. */
    public static final String IDENTITY = "Identity";

    private final Map<String, byte[]> properties;

    private Metadata(Map<String, byte[]> properties) {
        this.properties = properties;
    }

    /** An empty set of properties. */
    public static Metadata empty() {
        return new Metadata(Collections.emptyMap());
    }

    /**
     * A property's value.
     *
     * @param name the property name, any case
     * @return the value, or null when absent
     */
    public byte[] get(String name) {
        return properties.get(name.toLowerCase(Locale.ROOT));
    }

    /** A property's value as an ASCII/UTF-8 string, or null. */
    public String getString(String name) {
        byte[] v = get(name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /**
     * These properties plus one more (replacing a property of the same name).
     *
     * @param name  the name
     * @param value the value
     * @return a new Metadata
     */
    public Metadata with(String name, byte[] value) {
        Map<String, byte[]> map = new LinkedHashMap<>(properties);
        map.put(name.toLowerCase(Locale.ROOT), value);
        return new Metadata(map);
    }

    /**
     * These properties plus all of {@code other}'s (other's win on a clash).
     *
     * @param other more properties
     * @return a new Metadata
     */
    public Metadata with(Metadata other) {
        Map<String, byte[]> map = new LinkedHashMap<>(properties);
        map.putAll(other.properties);
        return new Metadata(map);
    }

    /** All properties, names in lower case. */
    public Map<String, byte[]> asMap() {
        return Collections.unmodifiableMap(properties);
    }

    /**
     * Parses properties from {@code bytes[offset..]}.
     *
     * @param bytes  source
     * @param offset where the properties start
     * @return the properties
     * @throws ProtocolException on a zero-length name or a length running past the end
     */
    public static Metadata parse(byte[] bytes, int offset) throws ProtocolException {
        Map<String, byte[]> map = new LinkedHashMap<>();
        int i = offset;
        while (i < bytes.length) {
            int nameLen = bytes[i++] & 0xFF;
            if (nameLen == 0 || i + nameLen + 4 > bytes.length) {
                throw new ProtocolException(ProtocolError.MALFORMED, "malformed metadata property name");
            }
            String name = new String(bytes, i, nameLen, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            i += nameLen;
            long valueLen = ((bytes[i] & 0xFFL) << 24) | ((bytes[i + 1] & 0xFF) << 16) | ((bytes[i + 2] & 0xFF) << 8) | (bytes[i + 3] & 0xFF);
            i += 4;
            if (valueLen > bytes.length - i) {
                throw new ProtocolException(ProtocolError.MALFORMED, "metadata property '" + name + "' value runs past the command");
            }
            byte[] value = new byte[(int) valueLen];
            System.arraycopy(bytes, i, value, 0, value.length);
            i += value.length;
            map.put(name, value);
        }
        return new Metadata(map);
    }

    /** Builds encoded properties in order. */
    public static final class Builder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /**
         * Appends a property.
         *
         * @param name  the name (1..255 ASCII octets)
         * @param value the value
         * @return this
         */
        public Builder add(String name, byte[] value) {
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            out.write(n.length);
            out.write(n, 0, n.length);
            out.write(value.length >>> 24);
            out.write(value.length >>> 16);
            out.write(value.length >>> 8);
            out.write(value.length);
            out.write(value, 0, value.length);
            return this;
        }

        /**
         * Appends a string property.
         *
         * @param name  the name
         * @param value the value, encoded as UTF-8
         * @return this
         */
        public Builder add(String name, String value) {
            return add(name, value.getBytes(StandardCharsets.UTF_8));
        }

        /** The encoded properties. */
        public byte[] build() {
            return out.toByteArray();
        }
    }
}
