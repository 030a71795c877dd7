package org.zmq4j.pgm;

import java.util.ArrayList;
import java.util.List;

/**
 * ZeroMQ's framing inside PGM data, receiving side, for one source (TSI), as libzmq's
 * {@code pgm_receiver}: until it has joined, TSDUs in which no message starts are skipped; the
 * first one in which one does is read from that message on. Frames are ZMTP/1.0 ({@link
 * PgmStreamEncoder}). After a loss the caller {@linkplain #reset() resets} it, and it joins again
 * at the next message start, as libzmq does (a message cut by the loss is dropped, not delivered
 * in part). A frame longer than the maximum size, or a malformed stream, also resets it. Sans-IO.
 *
 * <p>Thread-safety: not thread-safe; one receiver.
 */
public final class PgmStreamDecoder {
    private final long maxFrame;
    private boolean joined;
    /** Frames of the message under way. */
    private final List<byte[]> frames = new ArrayList<>();
    /** The frame header being read: up to 1 + 8 length bytes and the flags byte. */
    private final byte[] head = new byte[10];
    private int headRead;
    private byte[] body;
    private int bodyRead;
    private boolean more;
    private long resets;

    /** @param maxFrame the largest frame body accepted (MAXMSGSIZE; -1: none) */
    public PgmStreamDecoder(long maxFrame) {
        this.maxFrame = maxFrame < 0 ? Integer.MAX_VALUE - 8 : Math.min(maxFrame, Integer.MAX_VALUE - 8);
    }

    /** Whether it has found a message start since it began or was last reset. */
    public boolean joined() {
        return joined;
    }

    /** How many times the stream was given up (losses reported, malformed or oversized frames). */
    public long resets() {
        return resets;
    }

    /** Data was lost: drop the message under way and wait for the next message start. */
    public void reset() {
        resets++;
        joined = false;
        frames.clear();
        headRead = 0;
        body = null;
    }

    /**
     * Reads one TSDU (the next in sequence order).
     *
     * @param tsdu the ODATA/RDATA payload: the 2-byte offset, then the stream
     * @return the messages completed in it, each a list of frames; empty when none
     * @throws PgmFormatException when the TSDU has no room for its offset, or the offset points
     *                            past its end (the decoder stays as it was)
     */
    public List<List<byte[]>> feed(byte[] tsdu) throws PgmFormatException {
        if (tsdu.length < 3) {
            throw new PgmFormatException("a 0MQ TSDU holds its 2-byte offset and data: " + tsdu.length + " bytes");
        }
        int offset = ((tsdu[0] & 0xFF) << 8) | (tsdu[1] & 0xFF);
        if (offset != PgmStreamEncoder.NO_MESSAGE_STARTS && offset > tsdu.length - 2) {
            throw new PgmFormatException("message offset " + offset + " past the TSDU's " + (tsdu.length - 2) + " bytes");
        }
        int pos = 2;
        if (!joined) {
            if (offset == PgmStreamEncoder.NO_MESSAGE_STARTS) {
                return List.of(); // the middle of a message we did not see begin
            }
            pos += offset;
            joined = true;
        }
        List<List<byte[]>> out = new ArrayList<>();
        while (pos < tsdu.length && joined) {
            pos = step(tsdu, pos, out);
        }
        return out;
    }

    /** Reads what it can of the current frame from {@code pos}; returns the new position. */
    private int step(byte[] b, int pos, List<List<byte[]>> out) {
        if (body == null) {
            // the header: length (1 byte, or 0xFF and 8), then flags
            head[headRead++] = b[pos++];
            int needed = (head[0] & 0xFF) == 0xFF ? 10 : 2;
            if (headRead < needed) {
                return pos;
            }
            long length;
            if (needed == 2) {
                length = head[0] & 0xFF;
            } else {
                length = 0;
                for (int i = 1; i <= 8; i++) {
                    length = (length << 8) | (head[i] & 0xFF);
                }
            }
            more = (head[needed - 1] & 1) != 0;
            headRead = 0;
            if (length < 1 || length - 1 > maxFrame) {
                reset(); // a length of 0 (no room for the flags) or a frame over the limit: resynchronise
                return b.length;
            }
            body = new byte[(int) (length - 1)];
            bodyRead = 0;
        }
        int n = Math.min(body.length - bodyRead, b.length - pos);
        System.arraycopy(b, pos, body, bodyRead, n);
        bodyRead += n;
        pos += n;
        if (bodyRead == body.length) {
            frames.add(body);
            body = null;
            if (!more) {
                out.add(List.copyOf(frames));
                frames.clear();
            }
        }
        return pos;
    }
}
