package org.zmq4j;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Z85 (rfc-32), the printable encoding ZeroMQ uses for CURVE keys: every 4 bytes become 5
 * characters from an 85-character alphabet that is safe in source code, JSON and quoted shell
 * arguments. Compatible with libzmq's {@code zmq_z85_encode}/{@code zmq_z85_decode}.
 * <p>
 * Z85 does not pad: the caller pads binary data to a multiple of 4 bytes (a 32-byte key is 40
 * characters). Both methods are stateless and thread-safe.
 */
public final class Z85 {
    /** Characters for the values 0 to 84, in rfc-32's order. */
    private static final char[] ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".toCharArray();

    /** Value of each ASCII character, or -1 for characters outside the alphabet. */
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int value = 0; value < ALPHABET.length; value++) {
            VALUES[ALPHABET[value]] = (byte) value;
        }
    }

    private Z85() {
    }

    /**
     * Encodes binary data as Z85 text.
     *
     * @param data the bytes; their number must be a multiple of 4 (0 gives "")
     * @return the text, 5 characters for every 4 bytes
     * @throws ZmqException EINVAL when the length of {@code data} is not a multiple of 4
     * @throws NullPointerException when {@code data} is null
     */
    public static String encode(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length % 4 != 0) {
            throw new ZmqException(ZmqException.Errno.EINVAL,
                    "Z85 encodes whole 4-byte groups; got " + data.length + " bytes, which is not a multiple of 4");
        }
        char[] text = new char[data.length / 4 * 5];
        int out = 0;
        for (int in = 0; in < data.length; in += 4) {
            long value = ((data[in] & 0xFFL) << 24)
                    | ((data[in + 1] & 0xFFL) << 16)
                    | ((data[in + 2] & 0xFFL) << 8)
                    | (data[in + 3] & 0xFFL);
            // Five base-85 digits, most significant first.
            for (int digit = 4; digit >= 0; digit--) {
                text[out + digit] = ALPHABET[(int) (value % 85)];
                value /= 85;
            }
            out += 5;
        }
        return new String(text);
    }

    /**
     * Decodes Z85 text into binary data.
     *
     * @param text the text; its length must be a multiple of 5 (0 gives an empty array)
     * @return the bytes, 4 for every 5 characters
     * @throws ZmqException EINVAL when the length of {@code text} is not a multiple of 5, when it
     *                      holds a character outside the Z85 alphabet, or when a 5-character group
     *                      stands for a value above 2^32-1 (which no 4 bytes encode to; libzmq
     *                      rejects it too)
     * @throws NullPointerException when {@code text} is null
     */
    public static byte[] decode(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() % 5 != 0) {
            throw new ZmqException(ZmqException.Errno.EINVAL,
                    "Z85 decodes whole 5-character groups; got " + text.length()
                            + " characters, which is not a multiple of 5");
        }
        byte[] data = new byte[text.length() / 5 * 4];
        int out = 0;
        for (int in = 0; in < text.length(); in += 5) {
            long value = 0;
            for (int i = in; i < in + 5; i++) {
                value = value * 85 + valueOf(text, i);
            }
            if (value > 0xFFFF_FFFFL) {
                throw new ZmqException(ZmqException.Errno.EINVAL, "Z85 group '" + text.substring(in, in + 5)
                        + "' at offset " + in + " stands for " + value + ", more than 4 bytes can hold");
            }
            data[out] = (byte) (value >>> 24);
            data[out + 1] = (byte) (value >>> 16);
            data[out + 2] = (byte) (value >>> 8);
            data[out + 3] = (byte) value;
            out += 4;
        }
        return data;
    }

    private static int valueOf(String text, int index) {
        char c = text.charAt(index);
        int value = c < VALUES.length ? VALUES[c] : -1;
        if (value < 0) {
            throw new ZmqException(ZmqException.Errno.EINVAL, String.format(Locale.ROOT,
                    "character '%c' (U+%04X) at offset %d is not in the Z85 alphabet", c, (int) c, index));
        }
        return value;
    }
}
