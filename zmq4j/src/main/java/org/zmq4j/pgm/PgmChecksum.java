package org.zmq4j.pgm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * PGM's checksum (RFC 3208 §8): the Internet checksum (one's-complement sum of 16-bit words,
 * complemented) over the whole PGM packet with its checksum field zeroed; no pseudo-header. A
 * field of 0 means "no checksum", so a computed 0 is sent as 0xFFFF, as OpenPGM does.
 *
 * <p>Thread-safety: stateless.
 */
public final class PgmChecksum {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private PgmChecksum() {
    }

    /**
     * The checksum of {@code len} bytes at {@code off}, as it goes in the header (never 0).
     *
     * @param b   the packet
     * @param off its first byte
     * @param len its length
     * @return the checksum, 1..0xFFFF
     */
    public static int compute(byte[] b, int off, int len) {
        return compute(b, off, len, -1);
    }

    /**
     * The checksum of {@code len} bytes at {@code off}, the 16-bit word at {@code skip} counted as
     * zero (the checksum field itself, when verifying a received packet).
     *
     * @param b    the packet
     * @param off  its first byte
     * @param len  its length
     * @param skip the offset (in {@code b}) of a 16-bit word to count as zero, or -1
     * @return the checksum, 1..0xFFFF
     */
    public static int compute(byte[] b, int off, int len, int skip) {
        long sum = 0;
        int i = off;
        int end = off + len;
        // eight bytes at a time: four 16-bit words, each added as a number below 2^16, so 2^47 words fit
        for (; i + 7 < end; i += 8) {
            long v = (long) LONGS.get(b, i);
            sum += (v >>> 48) + ((v >>> 32) & 0xFFFF) + ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
        }
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (b[i] & 0xFF) << 8; // an odd last byte, padded with zero
        }
        if (skip >= off && skip + 1 < end && ((skip - off) & 1) == 0) {
            sum -= ((b[skip] & 0xFF) << 8) | (b[skip + 1] & 0xFF); // the checksum field counts as zero
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int folded = (int) (~sum & 0xFFFF);
        return folded == 0 ? 0xFFFF : folded;
    }
}
