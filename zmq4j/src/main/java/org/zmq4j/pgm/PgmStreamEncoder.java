package org.zmq4j.pgm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * ZeroMQ's framing inside PGM data, sending side, as libzmq's {@code pgm_sender}: messages as
 * ZMTP/1.0 frames ({@code length+1} in one byte below 255, else 0xFF and eight bytes; a flags
 * byte, bit 0 MORE; the body), one continuous byte stream cut into TSDUs of at most
 * {@link #MAX_TSDU} bytes. Each TSDU starts with a 2-byte big-endian offset: where the first
 * message that begins in it starts (after those two bytes), or 0xFFFF when none does, so that a
 * receiver that joins late, or lost data, knows where to start. Sans-IO.
 *
 * <p>Thread-safety: not thread-safe; one sender.
 */
public final class PgmStreamEncoder {
    /** The TSDU libzmq sends with OpenPGM's defaults (a 1500-byte TPDU): 1428 bytes, offset included. */
    public static final int MAX_TSDU = 1428;
    /** The offset that says no message starts in this TSDU. */
    public static final int NO_MESSAGE_STARTS = 0xFFFF;

    private final int maxTsdu;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    /** Where messages begin in {@link #pending}. */
    private final List<Integer> starts = new ArrayList<>();

    /** An encoder for libzmq's TSDU size. */
    public PgmStreamEncoder() {
        this(MAX_TSDU);
    }

    /** @param maxTsdu the largest TSDU, the 2-byte offset included (3 to 65535) */
    public PgmStreamEncoder(int maxTsdu) {
        if (maxTsdu < 3 || maxTsdu > 0xFFFF) {
            throw new IllegalArgumentException("a TSDU holds 3 to 65535 bytes, got " + maxTsdu);
        }
        this.maxTsdu = maxTsdu;
    }

    /** The largest TSDU, offset included. */
    public int maxTsdu() {
        return maxTsdu;
    }

    /**
     * The TSDU for a TPDU of {@code maxTpdu} bytes (ZMQ_MULTICAST_MAXTPDU) as OpenPGM sizes it: less
     * the IPv4 and UDP headers (28), PGM's header and data fields (24) and the room for
     * OPT_LENGTH and OPT_FRAGMENT (20), which libzmq's sessions never send but OpenPGM reserves.
     *
     * @param maxTpdu the largest packet, headers included
     * @return the TSDU (1428 for 1500)
     */
    public static int tsduFor(int maxTpdu) {
        return maxTpdu - 72;
    }

    /** Bytes queued and not yet cut. */
    public int pendingBytes() {
        return pending.size();
    }

    /**
     * Queues one message.
     *
     * @param frames its frames, in order (at least one)
     */
    public void add(List<byte[]> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a message has at least one frame");
        }
        starts.add(pending.size());
        for (int i = 0; i < frames.size(); i++) {
            byte[] body = frames.get(i);
            long length = body.length + 1L;
            if (length < 255) {
                pending.write((int) length);
            } else {
                pending.write(0xFF);
                for (int s = 56; s >= 0; s -= 8) {
                    pending.write((int) (length >>> s));
                }
            }
            pending.write(i < frames.size() - 1 ? 1 : 0);
            pending.writeBytes(body);
        }
    }

    /**
     * Cuts everything queued into TSDUs, the last one possibly short.
     *
     * @return the TSDUs, each to go in one ODATA, in order
     */
    public List<byte[]> drain() {
        return drain(true);
    }

    /**
     * Cuts what is queued into TSDUs.
     *
     * @param partial whether a last, short TSDU goes too (nothing else is waiting); otherwise the
     *                bytes that do not fill one stay queued for the next messages to fill
     * @return the TSDUs, each to go in one ODATA, in order
     */
    public List<byte[]> drain(boolean partial) {
        byte[] stream = pending.toByteArray();
        int room = maxTsdu - 2;
        int end = partial ? stream.length : stream.length - stream.length % room;
        List<byte[]> out = new ArrayList<>();
        int next = 0;
        for (int from = 0; from < end; from += room) {
            int to = Math.min(end, from + room);
            while (next < starts.size() && starts.get(next) < from) {
                next++;
            }
            int offset = next < starts.size() && starts.get(next) < to ? starts.get(next) - from : NO_MESSAGE_STARTS;
            byte[] tsdu = new byte[2 + to - from];
            tsdu[0] = (byte) (offset >>> 8);
            tsdu[1] = (byte) offset;
            System.arraycopy(stream, from, tsdu, 2, to - from);
            out.add(tsdu);
        }
        pending.reset();
        pending.write(stream, end, stream.length - end);
        List<Integer> kept = new ArrayList<>();
        for (int start : starts) {
            if (start >= end) {
                kept.add(start - end);
            }
        }
        starts.clear();
        starts.addAll(kept);
        return out;
    }
}
