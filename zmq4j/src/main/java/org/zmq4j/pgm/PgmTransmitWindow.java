package org.zmq4j.pgm;

/**
 * A PGM source's transmit window (RFC 3208 §3): the TSDUs it sent, kept for repair, numbered from
 * 0 in 32-bit sequence arithmetic. When full, the oldest goes and the trail advances. An empty
 * window has lead = trail - 1 (mod 2^32), as OpenPGM advertises it. libzmq sizes it from RATE and
 * RECOVERY_IVL (80 packets with the defaults; docs/pgm-notes.md §6). Sans-IO.
 *
 * <p>Thread-safety: not thread-safe; one sender.
 */
public final class PgmTransmitWindow {
    private static final long MASK = 0xFFFFFFFFL;

    private final byte[][] ring;
    private long trail;
    private long next;
    private int size;

    /** @param capacity packets kept for repair (at least 1) */
    public PgmTransmitWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a transmit window holds at least 1 packet, got " + capacity);
        }
        ring = new byte[capacity][];
    }

    /**
     * libzmq's window size: (RATE kbit/s / 8, in bytes per ms, rounded down) × RECOVERY_IVL ms / TPDU,
     * at least 1.
     *
     * @param rateKbits      ZMQ_RATE
     * @param recoveryMillis ZMQ_RECOVERY_IVL
     * @param tpdu           the largest packet, IP and UDP headers included (1500)
     * @return packets
     */
    public static int libzmqCapacity(int rateKbits, int recoveryMillis, int tpdu) {
        long sqns = (long) (rateKbits / 8) * recoveryMillis / tpdu;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, sqns));
    }

    /**
     * Keeps a TSDU and numbers it.
     *
     * @param tsdu the payload of the ODATA about to be sent
     * @return its sequence number
     */
    public long append(byte[] tsdu) {
        if (size == ring.length) {
            ring[(int) (trail % ring.length)] = null;
            trail = (trail + 1) & MASK;
            size--;
        }
        long sqn = next;
        ring[(int) (sqn % ring.length)] = tsdu;
        next = (next + 1) & MASK;
        size++;
        return sqn;
    }

    /** The oldest sequence number still kept (the next to be sent when empty). */
    public long trail() {
        return trail;
    }

    /** The newest sequence number sent; trail - 1 (mod 2^32) when none is kept. */
    public long lead() {
        return (next - 1) & MASK;
    }

    /**
     * The TSDU sent as {@code sqn}, if still kept.
     *
     * @param sqn a sequence number
     * @return the TSDU, or null when it is outside the window (never sent, or gone)
     */
    public byte[] get(long sqn) {
        long age = (next - 1 - sqn) & MASK; // how far behind the lead, in serial arithmetic
        if (size == 0 || age >= size) {
            return null;
        }
        return ring[(int) (sqn % ring.length)];
    }
}
