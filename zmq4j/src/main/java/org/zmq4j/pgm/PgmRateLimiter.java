package org.zmq4j.pgm;

/**
 * A PGM source's rate (ZMQ_RATE), as OpenPGM's rate engine applies it: a token bucket filled at
 * the rate in bytes per second, where each packet costs its length plus the IP and UDP headers
 * in front of it (28 bytes for IPv4), and which holds at most {@link #burstMillis} worth of
 * tokens, so an idle source cannot then send a long burst. Sans-IO: the caller passes the time.
 *
 * <p>Thread-safety: not thread-safe; one sender.
 */
public final class PgmRateLimiter {
    /** IPv4 and UDP headers, counted against the rate as OpenPGM counts them. */
    public static final int IP_UDP_HEADERS = 28;
    /** How much sending the bucket can save up, in milliseconds of the rate. */
    static final long BURST_MILLIS = 10;

    private final long bytesPerSecond;
    private final long capacity;
    /** Tokens in millionths of a byte, to keep fractions between calls. */
    private long microTokens;
    private long lastNanos;

    /**
     * @param rateKbits ZMQ_RATE, kilobits per second (at least 1)
     * @param maxPacket the largest packet, so that one always fits in the bucket
     * @param nowNanos  the time in nanoseconds (any monotonic origin)
     */
    public PgmRateLimiter(long rateKbits, int maxPacket, long nowNanos) {
        if (rateKbits < 1) {
            throw new IllegalArgumentException("a rate is at least 1 kbit/s, got " + rateKbits);
        }
        this.bytesPerSecond = rateKbits * 1000 / 8;
        this.capacity = Math.max(maxPacket + IP_UDP_HEADERS, bytesPerSecond * BURST_MILLIS / 1000) * 1_000_000L;
        this.microTokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** How much sending the bucket can save up, in milliseconds. */
    public static long burstMillis() {
        return BURST_MILLIS;
    }

    /** The rate in bytes per second. */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        lastNanos = nowNanos;
        // bytes/s × ns / 1000 = millionths of a byte; in double, as the product can pass 2^63
        double add = (double) elapsed * bytesPerSecond / 1000.0;
        microTokens = add >= capacity - microTokens ? capacity : microTokens + (long) add;
    }

    /**
     * Takes the tokens for a packet if there are enough.
     *
     * @param packetBytes the PGM packet's length (headers below it are added)
     * @param nowNanos    the time in nanoseconds
     * @return whether it may go now
     */
    public boolean tryAcquire(int packetBytes, long nowNanos) {
        refill(nowNanos);
        long cost = (packetBytes + (long) IP_UDP_HEADERS) * 1_000_000L;
        if (microTokens < cost) {
            return false;
        }
        microTokens -= cost;
        return true;
    }

    /**
     * How long until a packet of this size may go.
     *
     * @param packetBytes the PGM packet's length
     * @param nowNanos    the time in nanoseconds
     * @return nanoseconds, 0 when it may go now
     */
    public long waitNanos(int packetBytes, long nowNanos) {
        refill(nowNanos);
        long cost = (packetBytes + (long) IP_UDP_HEADERS) * 1_000_000L;
        long missing = cost - microTokens;
        if (missing <= 0) {
            return 0;
        }
        return (long) Math.ceil(missing * 1000.0 / bytesPerSecond);
    }
}
