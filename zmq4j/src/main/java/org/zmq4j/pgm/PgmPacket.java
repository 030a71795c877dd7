package org.zmq4j.pgm;

import java.util.Arrays;

/**
 * One PGM packet (RFC 3208 §8), as {@link PgmCodec} reads and writes it, for the subset a ZeroMQ
 * publisher and subscriber exchange over {@code epgm://}: SPM, ODATA/RDATA, NAK/NCF and SPMR.
 * Immutable records; byte arrays are copies, except a data packet's payload, which is handed over.
 */
public sealed interface PgmPacket {
    /** SPM. */
    int TYPE_SPM = 0x00;
    /** ODATA: original data. */
    int TYPE_ODATA = 0x04;
    /** RDATA: repair data. */
    int TYPE_RDATA = 0x05;
    /** NAK: a receiver asks for a repair. */
    int TYPE_NAK = 0x08;
    /** NCF: the source confirms a NAK. */
    int TYPE_NCF = 0x0A;
    /** SPMR: a receiver asks for an SPM. */
    int TYPE_SPMR = 0x0C;

    /**
     * The transport session id: the source's GSI and its PGM source port.
     *
     * @param gsi        the 6-byte global source id
     * @param sourcePort the TSI's source port
     */
    record Tsi(byte[] gsi, int sourcePort) {
        /** Checks and copies the GSI. */
        public Tsi {
            if (gsi.length != 6) {
                throw new IllegalArgumentException("a GSI is 6 bytes, got " + gsi.length);
            }
            gsi = gsi.clone();
        }

        @Override
        public byte[] gsi() {
            return gsi.clone();
        }

        /**
         * Writes the GSI without a copy of it.
         *
         * @param to  where
         * @param off at which index (6 bytes)
         */
        public void copyGsi(byte[] to, int off) {
            System.arraycopy(gsi, 0, to, off, 6);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tsi t && t.sourcePort == sourcePort && Arrays.equals(t.gsi, gsi);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(gsi) * 31 + sourcePort;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (byte x : gsi) {
                b.append(String.format("%02x", x & 0xFF));
            }
            return b.append('.').append(sourcePort).toString();
        }
    }

    /** The session this packet belongs to. */
    Tsi tsi();

    /** The data-destination port (the endpoint's port for libzmq). */
    int dataPort();

    /**
     * SPM: the source's window and where NAKs go.
     *
     * @param tsi      the source
     * @param dataPort the data port
     * @param sqn      the SPM's own sequence number
     * @param trail    the oldest data sequence number the source can still repair
     * @param lead     the newest data sequence number sent (trail - 1 when none)
     * @param nla      the source's IPv4 address, 4 bytes (unicast NAKs go there)
     * @param fin      whether it carries OPT_FIN (the session ends)
     */
    record Spm(Tsi tsi, int dataPort, long sqn, long trail, long lead, byte[] nla, boolean fin) implements PgmPacket {
        /** Copies the address. */
        public Spm {
            nla = nla.clone();
        }
    }

    /**
     * ODATA or RDATA.
     *
     * @param tsi      the source
     * @param dataPort the data port
     * @param repair   RDATA rather than ODATA
     * @param sqn      the data sequence number
     * @param trail    the source's trail
     * @param tsdu     the payload
     * @param fragment the OPT_FRAGMENT fields {first sqn, offset, APDU length}, or null
     */
    record Data(Tsi tsi, int dataPort, boolean repair, long sqn, long trail, byte[] tsdu, long[] fragment) implements PgmPacket {
        /**
         * Copies the fragment fields. The payload is not copied (it is the one large array on the
         * data path, written or read once per packet): whoever makes a Data hands its array over
         * and does not change it afterwards.
         */
        public Data {
            fragment = fragment == null ? null : fragment.clone();
        }
    }

    /**
     * NAK (receiver to source) or NCF (source to group, confirming one).
     *
     * @param tsi       the source the NAK is about
     * @param dataPort  the data port
     * @param confirm   NCF rather than NAK
     * @param sqns      the sequence numbers asked for (the first, then OPT_NAK_LIST's)
     * @param sourceNla the source's IPv4 address
     * @param groupNla  the group's IPv4 address
     */
    record Nak(Tsi tsi, int dataPort, boolean confirm, long[] sqns, byte[] sourceNla, byte[] groupNla) implements PgmPacket {
        /** Copies the arrays. */
        public Nak {
            if (sqns.length == 0 || sqns.length > 63) {
                throw new IllegalArgumentException("a NAK asks for 1 to 63 sequence numbers, got " + sqns.length);
            }
            sqns = sqns.clone();
            sourceNla = sourceNla.clone();
            groupNla = groupNla.clone();
        }
    }

    /**
     * SPMR: a receiver that has data but no SPM asks the source for one.
     *
     * @param tsi      the source
     * @param dataPort the data port
     */
    record Spmr(Tsi tsi, int dataPort) implements PgmPacket {
    }
}
