package org.zmq4j.pgm;

import java.io.ByteArrayOutputStream;

/**
 * Reads and writes PGM packets (RFC 3208 §8-9) the way OpenPGM, under libzmq's {@code epgm://},
 * puts them in UDP datagrams: a 16-byte big-endian header (ports, type, options, checksum, GSI,
 * TSDU length), the type's body, options, and the payload. Sans-IO: bytes in, records out, and
 * back. Reading checks everything a hostile datagram could get wrong (lengths, checksum, options)
 * and says what in a {@link PgmFormatException}; it never allocates more than the datagram's size.
 *
 * <p>Thread-safety: stateless.
 */
public final class PgmCodec {
    /** The common header's length. */
    public static final int HEADER = 16;
    private static final int OPT_PRESENT = 0x01;
    private static final int OPT_NETWORK = 0x02;
    private static final int OPT_LENGTH = 0x00;
    private static final int OPT_FRAGMENT = 0x01;
    private static final int OPT_NAK_LIST = 0x02;
    private static final int OPT_FIN = 0x0E;
    private static final int OPT_END = 0x80;
    private static final int AFI_IP = 1;
    private static final int AFI_IP6 = 2;

    private PgmCodec() {
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads one datagram's PGM packet.
     *
     * @param b   the datagram
     * @param off where the packet starts
     * @param len its length
     * @return the packet
     * @throws PgmFormatException when it is not a well-formed PGM packet of a supported type
     */
    public static PgmPacket parse(byte[] b, int off, int len) throws PgmFormatException {
        if (len < HEADER) {
            throw new PgmFormatException("shorter than a PGM header: " + len + " bytes");
        }
        int sport = u16(b, off);
        int dport = u16(b, off + 2);
        int typeByte = b[off + 4] & 0xFF;
        int options = b[off + 5] & 0xFF;
        int checksum = u16(b, off + 6);
        byte[] gsi = java.util.Arrays.copyOfRange(b, off + 8, off + 14);
        int tsduLength = u16(b, off + 14);
        if ((typeByte >>> 4) != 0) {
            throw new PgmFormatException("PGM version " + (typeByte >>> 4) + ", not 0");
        }
        int type = typeByte & 0x0F;
        boolean data = type == PgmPacket.TYPE_ODATA || type == PgmPacket.TYPE_RDATA;
        if (checksum == 0) {
            if (data) {
                throw new PgmFormatException("data packet without the checksum it must have");
            }
        } else if (PgmChecksum.compute(b, off, len, off + 6) != checksum) {
            throw new PgmFormatException("bad checksum");
        }
        Reader r = new Reader(b, off + HEADER, off + len);
        switch (type) {
            case PgmPacket.TYPE_SPM: {
                long sqn = r.u32();
                long trail = r.u32();
                long lead = r.u32();
                byte[] nla = r.nla();
                Options o = r.options(options);
                return new PgmPacket.Spm(new PgmPacket.Tsi(gsi, sport), dport, sqn, trail, lead, nla, o.fin);
            }
            case PgmPacket.TYPE_ODATA:
            case PgmPacket.TYPE_RDATA: {
                long sqn = r.u32();
                long trail = r.u32();
                Options o = r.options(options);
                if (r.remaining() != tsduLength) {
                    throw new PgmFormatException("TSDU length " + tsduLength + " but " + r.remaining() + " bytes follow");
                }
                return new PgmPacket.Data(new PgmPacket.Tsi(gsi, sport), dport, type == PgmPacket.TYPE_RDATA, sqn, trail,
                        r.rest(), o.fragment);
            }
            case PgmPacket.TYPE_NAK:
            case PgmPacket.TYPE_NCF: {
                long sqn = r.u32();
                byte[] source = r.nla();
                byte[] group = r.nla();
                Options o = r.options(options);
                long[] sqns = new long[1 + o.nakList.length];
                sqns[0] = sqn;
                System.arraycopy(o.nakList, 0, sqns, 1, o.nakList.length);
                // upstream (NAK) swaps the ports: the source's TSI port is the destination
                boolean nak = type == PgmPacket.TYPE_NAK;
                return new PgmPacket.Nak(new PgmPacket.Tsi(gsi, nak ? dport : sport), nak ? sport : dport, !nak, sqns, source, group);
            }
            case PgmPacket.TYPE_SPMR:
                r.options(options);
                return new PgmPacket.Spmr(new PgmPacket.Tsi(gsi, dport), sport);
            default:
                throw new PgmFormatException("PGM type 0x" + Integer.toHexString(type) + " is not one libzmq's sessions use");
        }
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    /** What the options said. */
    private static final class Options {
        static final long[] NONE = new long[0];
        boolean fin;
        long[] fragment;
        long[] nakList = NONE;
    }

    /** A bounds-checked reader over one packet's bytes after the header. */
    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        private void need(int n, String what) throws PgmFormatException {
            if (end - pos < n) {
                throw new PgmFormatException("truncated " + what + ": " + n + " bytes needed, " + (end - pos) + " left");
            }
        }

        long u32() throws PgmFormatException {
            need(4, "sequence number");
            long v = ((long) (b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        byte[] nla() throws PgmFormatException {
            need(4, "network address");
            int afi = u16(b, pos);
            int size = afi == AFI_IP ? 4 : afi == AFI_IP6 ? 16 : -1;
            if (size < 0) {
                throw new PgmFormatException("network address family " + afi + ", neither IPv4 nor IPv6");
            }
            pos += 4;
            need(size, "network address");
            byte[] a = java.util.Arrays.copyOfRange(b, pos, pos + size);
            pos += size;
            return a;
        }

        byte[] rest() {
            byte[] a = java.util.Arrays.copyOfRange(b, pos, end);
            pos = end;
            return a;
        }

        /** The options, when the header says they are present: OPT_LENGTH first, then each, up to OPT_END. */
        Options options(int flags) throws PgmFormatException {
            Options o = new Options();
            if ((flags & OPT_PRESENT) == 0) {
                return o;
            }
            need(4, "OPT_LENGTH");
            if ((b[pos] & 0x7F) != OPT_LENGTH || (b[pos + 1] & 0xFF) != 4) {
                throw new PgmFormatException("options do not start with OPT_LENGTH");
            }
            int total = u16(b, pos + 2);
            if (total < 8 || total > end - pos) {
                throw new PgmFormatException("OPT_LENGTH says " + total + " bytes of options, " + (end - pos) + " left");
            }
            int optEnd = pos + total;
            pos += 4;
            boolean last = false;
            while (!last) {
                if (optEnd - pos < 4) {
                    throw new PgmFormatException("options end without OPT_END");
                }
                int type = b[pos] & 0xFF;
                int length = b[pos + 1] & 0xFF;
                if (length < 4 || length > optEnd - pos) {
                    throw new PgmFormatException("option 0x" + Integer.toHexString(type) + " of bad length " + length);
                }
                last = (type & OPT_END) != 0;
                int value = pos + 4;
                switch (type & 0x7F) {
                    case OPT_FRAGMENT -> {
                        if (length != 16) {
                            throw new PgmFormatException("OPT_FRAGMENT of length " + length);
                        }
                        o.fragment = new long[] {u32At(value), u32At(value + 4), u32At(value + 8)};
                    }
                    case OPT_NAK_LIST -> {
                        if ((length - 4) % 4 != 0 || length - 4 > 62 * 4) {
                            throw new PgmFormatException("OPT_NAK_LIST of length " + length);
                        }
                        long[] list = new long[(length - 4) / 4];
                        for (int i = 0; i < list.length; i++) {
                            list[i] = u32At(value + 4 * i);
                        }
                        o.nakList = list;
                    }
                    case OPT_FIN -> o.fin = true;
                    case OPT_LENGTH -> throw new PgmFormatException("a second OPT_LENGTH");
                    default -> {
                        // an option this subset does not act on: skipped by its length
                    }
                }
                pos += length;
            }
            if (pos != optEnd) {
                throw new PgmFormatException("OPT_END at " + (pos - optEnd) + " bytes from where OPT_LENGTH said the options end");
            }
            return o;
        }

        private long u32At(int i) {
            return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * An SPM; with {@code fin}, OPT_LENGTH and OPT_FIN after the address, as OpenPGM closes a session.
     *
     * @param spm the packet (IPv4 address)
     * @return the datagram
     */
    public static byte[] encode(PgmPacket.Spm spm) {
        Writer w = new Writer();
        w.header(spm.tsi().sourcePort(), spm.dataPort(), PgmPacket.TYPE_SPM, spm.fin() ? OPT_PRESENT : 0, spm.tsi(), 0);
        w.u32(spm.sqn()).u32(spm.trail()).u32(spm.lead()).nla(spm.nla());
        if (spm.fin()) {
            w.u8(OPT_LENGTH).u8(4).u16(8).u8(OPT_FIN | OPT_END).u8(4).u16(0);
        }
        return w.finish();
    }

    /**
     * ODATA or RDATA without options (libzmq never fragments: each packet is its own APDU).
     *
     * @param d the packet
     * @return the datagram
     */
    public static byte[] encode(PgmPacket.Data d) {
        if (d.fragment() != null) {
            throw new IllegalArgumentException("writing OPT_FRAGMENT is not supported: libzmq sends whole TSDUs");
        }
        byte[] tsdu = d.tsdu();
        // written in place: the data path's one allocation per packet
        byte[] p = new byte[HEADER + 8 + tsdu.length];
        PgmPacket.Tsi tsi = d.tsi();
        put16(p, 0, tsi.sourcePort());
        put16(p, 2, d.dataPort());
        p[4] = (byte) (d.repair() ? PgmPacket.TYPE_RDATA : PgmPacket.TYPE_ODATA);
        tsi.copyGsi(p, 8);
        put16(p, 14, tsdu.length);
        put32(p, HEADER, d.sqn());
        put32(p, HEADER + 4, d.trail());
        System.arraycopy(tsdu, 0, p, HEADER + 8, tsdu.length);
        put16(p, 6, PgmChecksum.compute(p, 0, p.length));
        return p;
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void put32(byte[] b, int i, long v) {
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("sequence number out of range: " + v);
        }
        put16(b, i, (int) (v >>> 16));
        put16(b, i + 2, (int) v & 0xFFFF);
    }

    /**
     * A NAK (upstream: ports swapped) or an NCF; more than one sequence number goes in OPT_NAK_LIST.
     *
     * @param n the packet (IPv4 addresses)
     * @return the datagram
     */
    public static byte[] encode(PgmPacket.Nak n) {
        long[] sqns = n.sqns();
        boolean list = sqns.length > 1;
        Writer w = new Writer();
        int sport = n.confirm() ? n.tsi().sourcePort() : n.dataPort();
        int dport = n.confirm() ? n.dataPort() : n.tsi().sourcePort();
        w.header(sport, dport, n.confirm() ? PgmPacket.TYPE_NCF : PgmPacket.TYPE_NAK, list ? OPT_PRESENT | OPT_NETWORK : 0, n.tsi(), 0);
        w.u32(sqns[0]).nla(n.sourceNla()).nla(n.groupNla());
        if (list) {
            int listLength = 4 + 4 * (sqns.length - 1);
            w.u8(OPT_LENGTH).u8(4).u16(4 + listLength).u8(OPT_NAK_LIST | OPT_END).u8(listLength).u16(0);
            for (int i = 1; i < sqns.length; i++) {
                w.u32(sqns[i]);
            }
        }
        return w.finish();
    }

    /**
     * An SPMR (upstream: ports swapped).
     *
     * @param s the packet
     * @return the datagram
     */
    public static byte[] encode(PgmPacket.Spmr s) {
        Writer w = new Writer();
        w.header(s.dataPort(), s.tsi().sourcePort(), PgmPacket.TYPE_SPMR, 0, s.tsi(), 0);
        return w.finish();
    }

    /** Writes a packet, then its checksum. */
    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        Writer u8(int v) {
            out.write(v);
            return this;
        }

        Writer u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Writer u32(long v) {
            if (v < 0 || v > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("sequence number out of range: " + v);
            }
            return u16((int) (v >>> 16)).u16((int) v & 0xFFFF);
        }

        Writer bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Writer nla(byte[] address) {
            if (address.length == 4) {
                u16(AFI_IP);
            } else if (address.length == 16) {
                u16(AFI_IP6);
            } else {
                throw new IllegalArgumentException("an address is 4 or 16 bytes, got " + address.length);
            }
            return u16(0).bytes(address);
        }

        void header(int sport, int dport, int type, int options, PgmPacket.Tsi tsi, int tsduLength) {
            u16(sport).u16(dport).u8(type).u8(options).u16(0).bytes(tsi.gsi()).u16(tsduLength);
        }

        byte[] finish() {
            byte[] p = out.toByteArray();
            int sum = PgmChecksum.compute(p, 0, p.length);
            p[6] = (byte) (sum >>> 8);
            p[7] = (byte) sum;
            return p;
        }
    }
}
