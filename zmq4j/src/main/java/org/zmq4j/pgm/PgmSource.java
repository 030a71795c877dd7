package org.zmq4j.pgm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sending side of a PGM session as libzmq's publisher runs it, sans-IO: messages in,
 * datagrams out. It frames messages ({@link PgmStreamEncoder}), numbers and keeps each TSDU
 * ({@link PgmTransmitWindow}) and sends it as ODATA; sends SPMs on OpenPGM's schedule (three at
 * the start, then 100, 100, 100, 100 ms, 1.3, 7, 16, 25 s after data, and every 30 s when idle);
 * answers a NAK for data it still holds with an NCF and the RDATA, and an SPMR with an SPM; and
 * ends with SPMs carrying OPT_FIN. It checks NAKs as OpenPGM does: for this TSI, this data port,
 * this source and group address. Rate limiting and the socket around it are the transport's.
 *
 * <p>Thread-safety: not thread-safe; one sender.
 */
public final class PgmSource {
    /** Milliseconds from one data packet to each heartbeat SPM after it (OpenPGM's schedule as libzmq sets it). */
    static final long[] HEARTBEATS = {100, 200, 300, 400, 1700, 8700, 24700, 49700};
    /** Milliseconds between SPMs when no data flows. */
    static final long AMBIENT = 30_000;

    private final PgmPacket.Tsi tsi;
    private final int dataPort;
    private final byte[] sourceNla;
    private final byte[] groupNla;
    private final PgmTransmitWindow window;
    private final PgmStreamEncoder encoder;
    private long spmSqn;
    private long lastData = Long.MIN_VALUE;
    private int heartbeat;
    private long nextSpm;
    private long malformed;
    private long naksAnswered;

    /**
     * @param tsi       this session (a random GSI and source port)
     * @param dataPort  the endpoint's port
     * @param sourceNla this host's address on the interface (4 bytes): receivers NAK to it
     * @param groupNla  the group (4 bytes)
     * @param window    the transmit window
     * @param now       the time in milliseconds (any monotonic origin)
     */
    public PgmSource(PgmPacket.Tsi tsi, int dataPort, byte[] sourceNla, byte[] groupNla, PgmTransmitWindow window, long now) {
        this(tsi, dataPort, sourceNla, groupNla, window, PgmStreamEncoder.MAX_TSDU, now);
    }

    /**
     * @param tsi       this session (a random GSI and source port)
     * @param dataPort  the endpoint's port
     * @param sourceNla this host's address on the interface (4 bytes): receivers NAK to it
     * @param groupNla  the group (4 bytes)
     * @param window    the transmit window
     * @param maxTsdu   the largest TSDU, its 2-byte offset included (1428 for a 1500-byte TPDU)
     * @param now       the time in milliseconds (any monotonic origin)
     */
    public PgmSource(PgmPacket.Tsi tsi, int dataPort, byte[] sourceNla, byte[] groupNla, PgmTransmitWindow window, int maxTsdu,
                     long now) {
        this.encoder = new PgmStreamEncoder(maxTsdu);
        this.tsi = tsi;
        this.dataPort = dataPort;
        this.sourceNla = sourceNla.clone();
        this.groupNla = groupNla.clone();
        this.window = window;
        this.nextSpm = now + AMBIENT;
    }

    /** The three SPMs a session starts with. */
    public List<byte[]> start() {
        return List.of(spm(false), spm(false), spm(false));
    }

    /**
     * Sends one message.
     *
     * @param frames its frames
     * @param now    the time in milliseconds
     * @return its ODATA datagrams, to send to the group in order
     */
    public List<byte[]> send(List<byte[]> frames, long now) {
        queue(frames);
        return flush(now);
    }

    /**
     * Adds a message to the data not yet cut into packets, so that small messages share one
     * (libzmq's sender fills each packet with as many as are waiting).
     *
     * @param frames its frames
     */
    public void queue(List<byte[]> frames) {
        encoder.add(frames);
    }

    /** Bytes queued and not yet cut into packets. */
    public int queuedBytes() {
        return encoder.pendingBytes();
    }

    /** Bytes of ZeroMQ data one packet carries (its TSDU less the 2-byte offset). */
    public int packetRoom() {
        return encoder.maxTsdu() - 2;
    }

    /**
     * Cuts what is queued into packets, numbers and keeps them.
     *
     * @param now the time in milliseconds
     * @return ODATA datagrams, to send to the group in order (empty when nothing was queued)
     */
    public List<byte[]> flush(long now) {
        return flush(now, true);
    }

    /**
     * Cuts what is queued into packets, numbers and keeps them.
     *
     * @param now     the time in milliseconds
     * @param partial whether a last packet that is not full goes too (nothing else is waiting);
     *                otherwise its bytes wait for the next messages, so packets go out full
     * @return ODATA datagrams, to send to the group in order
     */
    public List<byte[]> flush(long now, boolean partial) {
        List<byte[]> tsdus = encoder.drain(partial);
        if (tsdus.isEmpty()) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>(tsdus.size());
        for (byte[] tsdu : tsdus) {
            long sqn = window.append(tsdu);
            out.add(PgmCodec.encode(new PgmPacket.Data(tsi, dataPort, false, sqn, window.trail(), tsdu, null)));
        }
        lastData = now;
        heartbeat = 0;
        nextSpm = now + HEARTBEATS[0];
        return out;
    }

    /**
     * The SPMs due at {@code now}.
     *
     * @param now the time in milliseconds
     * @return datagrams for the group (empty when none is due)
     */
    public List<byte[]> tick(long now) {
        if (now - nextSpm < 0) {
            return List.of();
        }
        if (lastData != Long.MIN_VALUE && heartbeat + 1 < HEARTBEATS.length) {
            heartbeat++;
            nextSpm = lastData + HEARTBEATS[heartbeat];
        } else {
            nextSpm = now + AMBIENT;
        }
        return List.of(spm(false));
    }

    /** When {@link #tick} next has something to send. */
    public long nextTick() {
        return nextSpm;
    }

    /**
     * A datagram that arrived on the data port: NAKs and SPMRs are answered, anything else is not
     * for a source.
     *
     * @param b   the datagram
     * @param off where it starts
     * @param len its length
     * @return datagrams for the group: an NCF and the RDATA for each sequence number still kept,
     *         or an SPM; empty otherwise
     */
    public List<byte[]> onDatagram(byte[] b, int off, int len) {
        PgmPacket p;
        try {
            p = PgmCodec.parse(b, off, len);
        } catch (PgmFormatException e) {
            malformed++;
            return List.of();
        }
        if (!p.tsi().equals(tsi) || p.dataPort() != dataPort) {
            return List.of(); // another session's, or our own multicast looped back
        }
        if (p instanceof PgmPacket.Spmr) {
            return List.of(spm(false));
        }
        if (!(p instanceof PgmPacket.Nak nak) || nak.confirm()
                || !Arrays.equals(nak.sourceNla(), sourceNla) || !Arrays.equals(nak.groupNla(), groupNla)) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>();
        List<Long> held = new ArrayList<>();
        for (long sqn : nak.sqns()) {
            if (window.get(sqn) != null) {
                held.add(sqn);
            }
        }
        if (held.isEmpty()) {
            return out; // gone from the window: the receiver will declare it lost
        }
        long[] confirmed = held.stream().mapToLong(Long::longValue).toArray();
        out.add(PgmCodec.encode(new PgmPacket.Nak(tsi, dataPort, true, confirmed, sourceNla, groupNla)));
        for (long sqn : confirmed) {
            out.add(PgmCodec.encode(new PgmPacket.Data(tsi, dataPort, true, sqn, window.trail(), window.get(sqn), null)));
        }
        naksAnswered++;
        return out;
    }

    /** The SPMs that end the session (OPT_FIN), three as OpenPGM sends them. */
    public List<byte[]> finish() {
        return List.of(spm(true), spm(true), spm(true));
    }

    /** This session's TSI. */
    public PgmPacket.Tsi tsi() {
        return tsi;
    }

    /** Datagrams that were not PGM, or not well-formed. */
    public long malformed() {
        return malformed;
    }

    /** NAKs answered with repairs. */
    public long naksAnswered() {
        return naksAnswered;
    }

    private byte[] spm(boolean fin) {
        byte[] p = PgmCodec.encode(new PgmPacket.Spm(tsi, dataPort, spmSqn, window.trail(), window.lead(), sourceNla, fin));
        spmSqn = (spmSqn + 1) & 0xFFFFFFFFL;
        return p;
    }
}
