package org.zmq4j.patterns.sequenced;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The second frame of every sequenced message (after the topic, before the payload): who published
 * it, in which epoch, its sequence number, and, for each subscribed prefix its topic matches, the
 * sequence number of the previous message that matched the same prefix (0: none in this epoch).
 * That link lets a subscriber of a prefix see exactly which messages of its prefix it missed,
 * though the publisher filters the rest away.
 * <pre>
 * 'S' 'Q' version(1) flags(1) epoch(8) sequence(8) idLength(1) id(idLength)
 * count(2) then count times: prefixLength(1) prefix(prefixLength) previous(8)
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

    /** Encodes a header; {@code id} is the publisher id's UTF-8, {@code prefixes}/{@code previous} the first {@code n} links. */
    static byte[] encode(byte[] id, long epoch, long sequence, byte[][] prefixes, long[] previous, int n) {
        int size = 4 + 8 + 8 + 1 + id.length + 2;
        for (int i = 0; i < n; i++) {
            size += 1 + prefixes[i].length + 8;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(MAGIC0).put(MAGIC1).put(VERSION).put((byte) 0).putLong(epoch).putLong(sequence);
        b.put((byte) id.length).put(id).putShort((short) n);
        for (int i = 0; i < n; i++) {
            b.put((byte) prefixes[i].length).put(prefixes[i]).putLong(previous[i]);
        }
        return b.array();
    }

    /**
     * Decodes a header frame.
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
                throw new IllegalArgumentException("a sequenced header with " + b.remaining() + " bytes left over");
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
