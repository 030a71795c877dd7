package org.zmq4j.patterns.sequenced;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The start of the second frame of every sequenced message (after the topic): who published it, in
 * which epoch, its sequence number and, for each subscribed prefix its topic matches, the sequence
 * number of the previous message that matched the same prefix (0: none in this epoch). That link
 * lets a subscriber of a prefix see exactly which messages of its prefix it missed, though the
 * publisher filters the rest away. The first payload frame's bytes follow the header in the same
 * frame (one frame less per message than a header frame of its own: measurably faster), and the
 * header says its own length, so a plain SUB skips it with one slice.
 * <pre>
 * 'S' 'Q' version(1) flags(1) length(2) epoch(8) sequence(8) idLength(1) id(idLength)
 * count(2) then count times: prefixLength(1) prefix(prefixLength) previous(8)
 * then the first payload frame's bytes (frame length - length of them)
 * </pre>
 * All numbers are unsigned, big-endian. Immutable; thread-safe.
 *
 * @param publisher the publisher's id (1 to 255 bytes of UTF-8)
 * @param epoch     the publisher's epoch: a new one each time it starts without its retention
 * @param sequence  the message's sequence number in the epoch, from 1
 * @param links     the (prefix, previous) links
 */
public record Header(String publisher, long epoch, long sequence, List<Link> links) {
    /** The first bytes of every header. */
    static final byte MAGIC0 = 'S';
    static final byte MAGIC1 = 'Q';
    static final byte VERSION = 1;
    /** The bytes before the id: magic, version, flags, length, epoch, sequence, id length. */
    static final int FIXED = 23;

    /**
     * One subscribed prefix the message's topic matches.
     *
     * @param prefix   the prefix
     * @param previous the sequence number of the previous message whose topic matched it
     */
    public record Link(byte[] prefix, long previous) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Link l && l.previous == previous && Arrays.equals(l.prefix, prefix);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(prefix) * 31 + Long.hashCode(previous);
        }

        @Override
        public String toString() {
            return "'" + new String(prefix, StandardCharsets.UTF_8) + "'<-" + previous;
        }
    }

    /** The link for {@code prefix}, or -1 when the message carries none (the publisher did not know the prefix yet). */
    public long previous(byte[] prefix) {
        for (Link l : links) {
            if (Arrays.equals(l.prefix, prefix)) {
                return l.previous;
            }
        }
        return -1;
    }

    /** Whether {@code frame} is a header of this version, long enough for its fixed part and id. */
    static boolean plausible(byte[] frame) {
        return frame.length >= FIXED + 2 && frame[0] == MAGIC0 && frame[1] == MAGIC1 && frame[2] == VERSION
                && lengthOf(frame) >= FIXED + 2 + (frame[22] & 0xff) && lengthOf(frame) <= frame.length;
    }

    /** The epoch of a {@link #plausible} header, read in place. */
    static long epochOf(byte[] frame) {
        return longAt(frame, 6);
    }

    /** The sequence number of a {@link #plausible} header, read in place. */
    static long sequenceOf(byte[] frame) {
        return longAt(frame, 14);
    }

    /** Whether a {@link #plausible} header's publisher id is {@code id}. */
    static boolean publishedBy(byte[] frame, byte[] id) {
        int n = frame[22] & 0xff;
        return n == id.length && Arrays.equals(frame, FIXED, FIXED + n, id, 0, n);
    }

    /**
     * The link of {@code prefix} in a {@link #plausible} header, read in place: -1 when there is
     * none, -2 when the links run past the frame's end.
     */
    static long previousOf(byte[] frame, byte[] prefix) {
        int end = lengthOf(frame);
        int at = FIXED + (frame[22] & 0xff);
        int count = ((frame[at] & 0xff) << 8) | (frame[at + 1] & 0xff);
        at += 2;
        long found = -1;
        for (int i = 0; i < count; i++) {
            if (at >= end) {
                return -2;
            }
            int len = frame[at] & 0xff;
            if (at + 1 + len + 8 > end) {
                return -2;
            }
            if (found == -1 && len == prefix.length && Arrays.equals(frame, at + 1, at + 1 + len, prefix, 0, len)) {
                found = longAt(frame, at + 1 + len);
            }
            at += 1 + len + 8;
        }
        return at == end ? found : -2;
    }

    private static long longAt(byte[] b, int at) {
        return (long) LONG.get(b, at);
    }

    /**
     * Encodes a header followed by {@code body} (the first payload frame); {@code id} is the
     * publisher id's UTF-8, {@code prefixes}/{@code previous} the first {@code n} links.
     */
    static byte[] encode(byte[] id, long epoch, long sequence, byte[][] prefixes, long[] previous, int n, byte[] body) {
        return encode(template(id, epoch), sequence, prefixes, previous, n, body);
    }

    /** The bytes every header of one publisher's epoch starts with (magic .. id); see {@link #encode(byte[], long, byte[][], long[], int, byte[])}. */
    static byte[] template(byte[] id, long epoch) {
        byte[] t = new byte[FIXED + id.length];
        t[0] = MAGIC0;
        t[1] = MAGIC1;
        t[2] = VERSION;
        LONG.set(t, 6, epoch);
        t[22] = (byte) id.length;
        System.arraycopy(id, 0, t, FIXED, id.length);
        return t;
    }

    /** Encodes a header from its publisher's {@link #template}: the hot path, one allocation and a few copies. */
    static byte[] encode(byte[] template, long sequence, byte[][] prefixes, long[] previous, int n, byte[] body) {
        int size = template.length + 2;
        for (int i = 0; i < n; i++) {
            size += 1 + prefixes[i].length + 8;
        }
        if (size > 0xffff) {
            throw new IllegalArgumentException("a sequenced header of " + size + " bytes: too many links");
        }
        byte[] out = new byte[size + body.length];
        System.arraycopy(template, 0, out, 0, template.length);
        SHORT.set(out, 4, (short) size);
        LONG.set(out, 14, sequence);
        int at = template.length;
        SHORT.set(out, at, (short) n);
        at += 2;
        for (int i = 0; i < n; i++) {
            byte[] p = prefixes[i];
            out[at++] = (byte) p.length;
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
            LONG.set(out, at, previous[i]);
            at += 8;
        }
        System.arraycopy(body, 0, out, at, body.length);
        return out;
    }

    private static final java.lang.invoke.VarHandle LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.invoke.VarHandle SHORT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(short[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /** The header's length in a {@link #plausible} frame (where the first payload frame's bytes start). */
    static int lengthOf(byte[] frame) {
        return ((frame[4] & 0xff) << 8) | (frame[5] & 0xff);
    }

    /** The first payload frame carried after the header (a copy). */
    static byte[] bodyOf(byte[] frame) {
        return Arrays.copyOfRange(frame, lengthOf(frame), frame.length);
    }

    /**
     * Decodes the header at the start of a frame (what follows it is the first payload frame).
     *
     * @throws IllegalArgumentException naming what is wrong (not a sequenced header, truncated, a
     *                                  length beyond the frame)
     */
    public static Header decode(byte[] frame) {
        try {
            ByteBuffer b = ByteBuffer.wrap(frame);
            if (b.get() != MAGIC0 || b.get() != MAGIC1) {
                throw new IllegalArgumentException("not a sequenced message: its second frame does not start with 'SQ'");
            }
            int version = b.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("sequenced header version " + version + ", not " + VERSION);
            }
            b.get(); // flags: none defined
            int length = b.getShort() & 0xffff;
            if (length > frame.length) {
                throw new IllegalArgumentException("a sequenced header of " + length + " bytes in a frame of " + frame.length);
            }
            b.limit(length);
            long epoch = b.getLong();
            long sequence = b.getLong();
            byte[] id = new byte[b.get() & 0xff];
            b.get(id);
            int count = b.getShort() & 0xffff;
            List<Link> links = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] prefix = new byte[b.get() & 0xff];
                b.get(prefix);
                links.add(new Link(prefix, b.getLong()));
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("a sequenced header that says " + length + " bytes but holds "
                        + b.position());
            }
            if (id.length == 0 || sequence < 1) {
                throw new IllegalArgumentException("a sequenced header without a publisher id or with sequence " + sequence);
            }
            return new Header(new String(id, StandardCharsets.UTF_8), epoch, sequence, List.copyOf(links));
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("a truncated sequenced header (" + frame.length + " bytes)");
        }
    }
}
