package org.zmq4j.pgm;

/**
 * PGM's checksum (RFC 3208 §8): the Internet checksum (one's-complement sum of 16-bit words,
 * complemented) over the whole PGM packet with its checksum field zeroed; no pseudo-header. A
 * field of 0 means "no checksum", so a computed 0 is sent as 0xFFFF, as OpenPGM does.
 *
 * <p>Thread-safety: stateless.
 */
public final class PgmChecksum {
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
        for (; i + 1 < end; i += 2) {
            if (i != skip) {
                sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
            }
        }
        if (i < end) {
            sum += (b[i] & 0xFF) << 8; // an odd last byte, padded with zero
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int folded = (int) (~sum & 0xFFFF);
        return folded == 0 ? 0xFFFF : folded;
    }
}
