package org.zmq4j.pgm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The receiving side of PGM sessions as libzmq's subscriber runs them (OpenPGM's receiver with
 * libzmq's settings), sans-IO: datagrams and clock ticks in; messages, NAKs and SPMRs out.
 * <p>
 * One {@link Source} per TSI heard on the data port. Its window is defined by the first SPM (at
 * its lead) or the first data packet; nothing from before that is asked for, as OpenPGM does.
 * Data is delivered in sequence order into the source's {@link PgmStreamDecoder}. A gap (a data
 * packet, or an SPM's lead, past the next expected number) makes each missing number wait a
 * random back-off of up to {@link Settings#nakBackoff} and then be NAKed to the source's address
 * from its SPM (several at once in OPT_NAK_LIST); without an NCF in {@link Settings#nakRepeat} it
 * backs off and NAKs again, at most {@link Settings#ncfRetries} times; after an NCF it waits
 * {@link Settings#rdataWait} for the RDATA, at most {@link Settings#dataRetries} times. A number
 * is lost when those run out, when the source's trail passes it, or when the window has to move
 * past it; then the decoder is reset and joins again at the next message start, as libzmq's
 * receiver does on OpenPGM's reset (libzmq tells the application nothing; here {@link #lost()}
 * counts it). Data before any SPM makes it ask for one (SPMR), since NAKs need the source's
 * address.
 * <p>
 * Memory is bounded: at most {@link Settings#maxSources} sources (beyond that a new one takes the
 * place of one that never delivered anything, else of the one heard from longest ago, see
 * {@link #evict}), a window of {@link Settings#windowSqns} packets per source, and
 * {@link Settings#maxHeldBytes} of out-of-order data across sources (packets past it are dropped
 * and NAKed again later), and about one missing or held number per 64 of those bytes across
 * sources (a gap that would pass that is given up whole). Malformed datagrams, other ports'
 * sessions and upstream packets are counted and dropped.
 *
 * <p>Thread-safety: not thread-safe; one I/O thread owns it.
 */
public final class PgmReceiver {
    private static final long MASK = 0xFFFFFFFFL;
    /** Sequence numbers in one NAK: the header's and 62 in OPT_NAK_LIST, as OpenPGM sends at most. */
    static final int NAK_BATCH = 63;
    /** Milliseconds between two runs of the NAK timers while something is missing. */
    public static final long TICK = 10;

    /**
     * How a receiver behaves; {@link #libzmq} gives libzmq's values.
     *
     * @param windowSqns   the receive window in packets (libzmq: RATE and RECOVERY_IVL, as the
     *                     sender's)
     * @param nakBackoff   the most a NAK waits after a gap is seen (ms, libzmq 50)
     * @param nakRepeat    how long a NAK waits for its NCF (ms, libzmq 200)
     * @param rdataWait    how long an NCF waits for its RDATA (ms, libzmq 200)
     * @param ncfRetries   NAKs without an NCF before a packet is lost (libzmq 50)
     * @param dataRetries  NCFs without the RDATA before a packet is lost (libzmq 50)
     * @param spmrInterval the least time between two SPMRs for one source (ms, libzmq 25)
     * @param peerExpiry   a source not heard from for this long is forgotten (ms, libzmq 300 000)
     * @param maxFrame     the largest frame accepted (MAXMSGSIZE, -1 none)
     * @param maxSources   sources kept at once
     * @param maxHeldBytes out-of-order data kept across sources
     */
    public record Settings(int windowSqns, long nakBackoff, long nakRepeat, long rdataWait, int ncfRetries, int dataRetries,
                           long spmrInterval, long peerExpiry, long maxFrame, int maxSources, long maxHeldBytes) {
        /** Checks the values. */
        public Settings {
            if (windowSqns < 1 || nakBackoff < 1 || nakRepeat < 1 || rdataWait < 1 || ncfRetries < 0 || dataRetries < 0
                    || spmrInterval < 1 || peerExpiry < 1 || maxSources < 1 || maxHeldBytes < 0) {
                throw new IllegalArgumentException("bad PGM receiver settings: " + windowSqns + ", " + nakBackoff + ", " + nakRepeat
                        + ", " + rdataWait + ", " + ncfRetries + ", " + dataRetries + ", " + spmrInterval + ", " + peerExpiry + ", "
                        + maxSources + ", " + maxHeldBytes);
            }
        }

        /**
         * libzmq's receiver: its timers and retries, the window it computes.
         *
         * @param windowSqns the window (see {@link PgmTransmitWindow#libzmqCapacity})
         * @param maxFrame   MAXMSGSIZE (-1 none)
         * @return the settings, with at most 1024 sources and 64 MiB held out of order
         */
        public static Settings libzmq(int windowSqns, long maxFrame) {
            return new Settings(windowSqns, 50, 200, 200, 50, 50, 25, 300_000, maxFrame, 1024, 64L << 20);
        }

        /**
         * The same with another window.
         *
         * @param sqns packets
         * @return the settings
         */
        public Settings withWindow(int sqns) {
            return new Settings(sqns, nakBackoff, nakRepeat, rdataWait, ncfRetries, dataRetries, spmrInterval, peerExpiry, maxFrame,
                    maxSources, maxHeldBytes);
        }
    }

    /** Where a receiver's results go; called during {@link #onDatagram} and {@link #tick}. */
    public interface Output {
        /**
         * A whole message, in order for its source.
         *
         * @param source the session it came from
         * @param frames its frames
         */
        void message(PgmPacket.Tsi source, List<byte[]> frames);

        /**
         * A datagram for a source's own address (NAK).
         *
         * @param datagram the packet
         * @param address  the source's IPv4 address from its SPM (4 bytes)
         */
        void unicast(byte[] datagram, byte[] address);

        /**
         * A datagram for the group (SPMR).
         *
         * @param datagram the packet
         */
        void multicast(byte[] datagram);
    }

    private enum State {
        /** Waiting its random back-off before a NAK. */
        BACK_OFF,
        /** NAKed; waiting for the NCF. */
        WAIT_NCF,
        /** Confirmed; waiting for the RDATA. */
        WAIT_DATA,
        /** Here, waiting for those before it. */
        HAVE,
        /** Given up. */
        LOST
    }

    /** One sequence number past the next to deliver: missing, or held out of order. */
    private static final class Slot {
        State state;
        long due;
        int ncfRetries;
        int dataRetries;
        byte[] tsdu;
    }

    /** What is known of one sender. */
    private final class Source {
        final PgmPacket.Tsi tsi;
        final PgmStreamDecoder decoder = new PgmStreamDecoder(settings.maxFrame());
        /** Its address from the last SPM (NAKs go there), or null before any. */
        byte[] nla;
        long lastSpmSqn = -1;
        long lastHeard;
        long lastSpmr = Long.MIN_VALUE;
        boolean defined;
        /** The next sequence number to deliver, unwrapped to 64 bits. */
        long next;
        /** The highest sequence number known to exist, unwrapped (next - 1 when none is pending). */
        long lead;
        /** Slots from next to lead that are not plain arrivals in order, by unwrapped number. */
        final NavigableMap<Long, Slot> pending = new TreeMap<>();
        boolean finished;
        long delivered;

        Source(PgmPacket.Tsi tsi) {
            this.tsi = tsi;
        }

        /** A 32-bit sequence number as the unwrapped number nearest to {@link #next}. */
        long unwrap(long sqn) {
            return next + (int) ((sqn - next) & MASK);
        }
    }

    private final int dataPort;
    private final byte[] groupNla;
    private final Settings settings;
    private final RandomGenerator random;
    private final Map<PgmPacket.Tsi, Source> sources = new HashMap<>();
    private long heldBytes;
    /** Missing or held sequence numbers across sources (each a small object). */
    private long pendingSlots;
    private long malformed;
    private long ignored;
    private long delivered;
    private long lost;
    private long naksSent;
    private long repaired;
    private long duplicates;
    private long evicted;

    /**
     * @param dataPort the endpoint's port: sessions for another port are ignored
     * @param groupNla the group (4 bytes), written in NAKs
     * @param settings timers, retries, limits
     * @param random   for NAK back-offs
     */
    public PgmReceiver(int dataPort, byte[] groupNla, Settings settings, RandomGenerator random) {
        this.dataPort = dataPort;
        this.groupNla = groupNla.clone();
        this.settings = settings;
        this.random = random;
    }

    // ------------------------------------------------------------------ input

    /**
     * A datagram that arrived on the data port.
     *
     * @param b   the datagram
     * @param off where it starts
     * @param len its length
     * @param now the time in milliseconds (any monotonic origin)
     * @param out where messages and NAKs go
     */
    public void onDatagram(byte[] b, int off, int len, long now, Output out) {
        PgmPacket p;
        try {
            p = PgmCodec.parse(b, off, len);
        } catch (PgmFormatException e) {
            malformed++;
            return;
        }
        if (p.dataPort() != dataPort) {
            ignored++;
            return;
        }
        if (p instanceof PgmPacket.Spm spm) {
            onSpm(spm, now, out);
        } else if (p instanceof PgmPacket.Data data) {
            onData(data, now, out);
        } else if (p instanceof PgmPacket.Nak nak && nak.confirm()) {
            onNcf(nak, now);
        } else {
            ignored++; // NAKs and SPMRs of other receivers, for a source
        }
    }

    private Source source(PgmPacket.Tsi tsi, long now) {
        Source s = sources.get(tsi);
        if (s == null) {
            if (sources.size() >= settings.maxSources() && !evict(now)) {
                return null;
            }
            s = new Source(tsi);
            sources.put(tsi, s);
        }
        s.lastHeard = now;
        return s;
    }

    /**
     * Makes room for a new source: forgets the one heard from longest ago among those that never
     * delivered a message (forged or idle sessions go first), else the one heard from longest ago,
     * unless it was heard within the last second. So a flood of forged sessions cannot keep a real
     * new source out for long, and cannot push out a source that is sending.
     *
     * @return whether room was made
     */
    private boolean evict(long now) {
        Source silent = null;
        Source oldest = null;
        for (Source s : sources.values()) {
            if (s.delivered == 0 && (silent == null || s.lastHeard < silent.lastHeard)) {
                silent = s;
            }
            if (oldest == null || s.lastHeard < oldest.lastHeard) {
                oldest = s;
            }
        }
        Source victim = silent != null ? silent : oldest;
        if (victim == null || (victim.delivered > 0 && now - victim.lastHeard < 1000)) {
            return false;
        }
        forget(victim);
        sources.remove(victim.tsi);
        evicted++;
        return true;
    }

    private void forget(Source s) {
        pendingSlots -= s.pending.size();
        for (Slot slot : s.pending.values()) {
            if (slot.state == State.HAVE) {
                heldBytes -= slot.tsdu.length;
            }
        }
    }

    private void onSpm(PgmPacket.Spm spm, long now, Output out) {
        if (spm.nla().length != 4) {
            ignored++; // IPv6 sources: not supported by this transport
            return;
        }
        Source s = source(spm.tsi(), now);
        if (s == null) {
            ignored++;
            return;
        }
        if (s.lastSpmSqn >= 0 && ((spm.sqn() - s.lastSpmSqn) & MASK) >= 0x80000000L) {
            return; // older than one already taken
        }
        s.lastSpmSqn = spm.sqn();
        s.nla = spm.nla();
        s.finished |= spm.fin();
        if (!s.defined) {
            s.defined = true;
            s.next = spm.lead() + 1; // the window starts after what was sent before we listened
            s.lead = s.next - 1;
            return;
        }
        long lead = s.unwrap(spm.lead());
        if (lead > s.lead) {
            extend(s, lead, now, out); // the last packets sent never arrived
        }
        trail(s, spm.trail(), out);
    }

    private void onData(PgmPacket.Data data, long now, Output out) {
        Source s = source(data.tsi(), now);
        if (s == null) {
            ignored++;
            return;
        }
        if (!s.defined) {
            s.defined = true;
            s.next = data.sqn();
            s.lead = s.next - 1;
        }
        if (s.nla == null) {
            askForSpm(s, now, out);
        }
        long sqn = s.unwrap(data.sqn());
        if (sqn < s.next) {
            duplicates++;
        } else if (sqn == s.next && s.lead < s.next) {
            // the usual case: the next in order, nothing missing or held (lead = next - 1)
            s.next++;
            s.lead = sqn;
            if (data.repair()) {
                repaired++;
            }
            deliver(s, data.tsdu(), out);
        } else {
            if (sqn > s.lead) {
                extend(s, sqn, now, out);
            }
            hold(s, sqn, data, out);
        }
        trail(s, data.trail(), out);
    }

    /** Keeps a packet that arrived before those ahead of it, then delivers what became contiguous. */
    private void hold(Source s, long sqn, PgmPacket.Data data, Output out) {
        Slot slot = s.pending.get(sqn);
        if (slot == null || slot.state == State.HAVE) {
            duplicates++; // not missing (a repeat of one held, or gone with a moved window)
            return;
        }
        byte[] tsdu = data.tsdu();
        if (heldBytes + tsdu.length > settings.maxHeldBytes() && sqn != s.next) {
            return; // no room: it stays missing and is NAKed again
        }
        if (data.repair()) {
            repaired++;
        }
        slot.state = State.HAVE;
        slot.tsdu = tsdu;
        heldBytes += tsdu.length;
        drain(s, out);
    }

    /**
     * Makes every number after the lead up to {@code to} missing (the caller fills {@code to} when
     * it is data at hand). When that does not fit in the window, the window moves first: what it
     * leaves behind is delivered if here and lost otherwise.
     */
    private void extend(Source s, long to, long now, Output out) {
        long newNext = to - settings.windowSqns() + 1;
        if (pendingSlots + (to - Math.max(s.lead, newNext - 1)) > maxPendingSlots()) {
            newNext = to; // slots for this gap would pass the bound across sources: give up what is before it
        }
        if (newNext > s.next) {
            while (s.next < newNext && s.next <= s.lead) {
                Slot slot = s.pending.remove(s.next);
                if (slot != null) {
                    pendingSlots--;
                }
                if (slot != null && slot.state == State.HAVE) {
                    heldBytes -= slot.tsdu.length;
                    deliver(s, slot.tsdu, out);
                } else {
                    loseOne(s);
                }
                s.next++;
            }
            if (s.next < newNext) {
                lost += newNext - s.next; // never even heard of: counted at once, however far the jump
                s.decoder.reset();
                s.next = newNext;
            }
            s.lead = Math.max(s.lead, s.next - 1);
        }
        for (long q = s.lead + 1; q <= to; q++) {
            Slot slot = new Slot();
            slot.state = State.BACK_OFF;
            slot.due = now + backoff();
            s.pending.put(q, slot);
            pendingSlots++;
        }
        s.lead = Math.max(s.lead, to);
    }

    /** The most sequence numbers kept missing or held across sources: a window, or one per 64 bytes of maxHeldBytes. */
    private long maxPendingSlots() {
        return Math.max(settings.windowSqns(), settings.maxHeldBytes() / 64);
    }

    private long backoff() {
        return 1 + random.nextLong(settings.nakBackoff());
    }

    /** The source can no longer repair what is before {@code trail}: those still missing are lost. */
    private void trail(Source s, long trail32, Output out) {
        long trail = s.unwrap(trail32);
        if (trail <= s.next || trail > s.lead + 1) {
            return;
        }
        boolean changed = false;
        for (Slot slot : s.pending.headMap(trail, false).values()) {
            if (slot.state != State.HAVE && slot.state != State.LOST) {
                slot.state = State.LOST;
                changed = true;
            }
        }
        if (changed) {
            drain(s, out);
        }
    }

    private void onNcf(PgmPacket.Nak ncf, long now) {
        Source s = sources.get(ncf.tsi());
        if (s == null || !s.defined) {
            return;
        }
        for (long sqn32 : ncf.sqns()) {
            Slot slot = s.pending.get(s.unwrap(sqn32));
            if (slot != null && (slot.state == State.BACK_OFF || slot.state == State.WAIT_NCF)) {
                slot.state = State.WAIT_DATA;
                slot.due = now + settings.rdataWait();
            }
        }
    }

    // ------------------------------------------------------------------ delivery

    /** Delivers from {@link Source#next} while the next is here or given up. */
    private void drain(Source s, Output out) {
        while (!s.pending.isEmpty()) {
            Map.Entry<Long, Slot> first = s.pending.firstEntry();
            if (first.getKey() != s.next) {
                if (first.getKey() < s.next) {
                    s.pending.pollFirstEntry(); // cannot happen; keeps the map honest
                    pendingSlots--;
                    continue;
                }
                return; // the next one arrived in order earlier: nothing held for it
            }
            Slot slot = first.getValue();
            if (slot.state == State.HAVE) {
                s.pending.pollFirstEntry();
                pendingSlots--;
                heldBytes -= slot.tsdu.length;
                deliver(s, slot.tsdu, out);
            } else if (slot.state == State.LOST) {
                s.pending.pollFirstEntry();
                pendingSlots--;
                loseOne(s);
            } else {
                return;
            }
            s.next++;
        }
    }

    private void loseOne(Source s) {
        lost++;
        s.decoder.reset();
    }

    private void deliver(Source s, byte[] tsdu, Output out) {
        List<List<byte[]>> messages;
        try {
            messages = s.decoder.feed(tsdu);
        } catch (PgmFormatException e) {
            malformed++;
            s.decoder.reset();
            return;
        }
        for (List<byte[]> m : messages) {
            delivered++;
            s.delivered++;
            out.message(s.tsi, m);
        }
    }

    // ------------------------------------------------------------------ timers

    /**
     * Sends the NAKs that are due, gives up what ran out of retries, asks for SPMs, forgets
     * sources not heard from.
     *
     * @param now the time in milliseconds
     * @param out where NAKs and late deliveries go
     */
    public void tick(long now, Output out) {
        Iterator<Source> it = sources.values().iterator();
        while (it.hasNext()) {
            Source s = it.next();
            if (now - s.lastHeard >= settings.peerExpiry()) {
                forget(s);
                it.remove();
                continue;
            }
            tick(s, now, out);
        }
    }

    private void tick(Source s, long now, Output out) {
        List<Long> nak = null;
        boolean lostAny = false;
        for (Map.Entry<Long, Slot> e : s.pending.entrySet()) {
            Slot slot = e.getValue();
            if (slot.state == State.HAVE || slot.state == State.LOST || slot.due > now) {
                continue;
            }
            switch (slot.state) {
                case BACK_OFF:
                    if (s.nla == null) {
                        slot.due = now + settings.spmrInterval(); // no address to NAK to yet
                        askForSpm(s, now, out);
                        break;
                    }
                    if (nak == null) {
                        nak = new ArrayList<>();
                    }
                    nak.add(e.getKey());
                    slot.state = State.WAIT_NCF;
                    slot.due = now + settings.nakRepeat();
                    break;
                case WAIT_NCF:
                case WAIT_DATA:
                    boolean spent = slot.state == State.WAIT_NCF
                            ? ++slot.ncfRetries > settings.ncfRetries()
                            : ++slot.dataRetries > settings.dataRetries();
                    if (spent) {
                        slot.state = State.LOST;
                        lostAny = true;
                    } else {
                        slot.state = State.BACK_OFF; // no NCF, or no RDATA after it: NAK again after a back-off
                        slot.due = now + backoff();
                    }
                    break;
                default:
                    break;
            }
        }
        if (nak != null) {
            for (int from = 0; from < nak.size(); from += NAK_BATCH) {
                int to = Math.min(nak.size(), from + NAK_BATCH);
                long[] sqns = new long[to - from];
                for (int i = from; i < to; i++) {
                    sqns[i - from] = nak.get(i) & MASK;
                }
                out.unicast(PgmCodec.encode(new PgmPacket.Nak(s.tsi, dataPort, false, sqns, s.nla, groupNla)), s.nla);
                naksSent++;
            }
        }
        if (lostAny) {
            drain(s, out);
        }
    }

    private void askForSpm(Source s, long now, Output out) {
        if (s.lastSpmr != Long.MIN_VALUE && now - s.lastSpmr < settings.spmrInterval()) {
            return;
        }
        s.lastSpmr = now;
        out.multicast(PgmCodec.encode(new PgmPacket.Spmr(s.tsi, dataPort)));
    }

    /**
     * When {@link #tick} should run next: within {@link #TICK} ms while any source has numbers
     * missing (NAK timers run at that granularity, finer than OpenPGM's 50 ms back-off needs), else
     * within a second (expiry). Costs one look per source, whatever the number of packets held.
     *
     * @param now the time in milliseconds
     * @return a time
     */
    public long nextTick(long now) {
        for (Source s : sources.values()) {
            if (!s.pending.isEmpty()) {
                return now + TICK;
            }
        }
        return now + 1000;
    }

    // ------------------------------------------------------------------ figures

    /** Sources known now. */
    public int sources() {
        return sources.size();
    }

    /** Messages delivered. */
    public long delivered() {
        return delivered;
    }

    /** Packets given up (each resets its source's stream, as libzmq does on OpenPGM's data loss). */
    public long lost() {
        return lost;
    }

    /** NAK packets sent. */
    public long naksSent() {
        return naksSent;
    }

    /** Missing packets that arrived as RDATA. */
    public long repaired() {
        return repaired;
    }

    /** Data packets received again after they were delivered or held. */
    public long duplicates() {
        return duplicates;
    }

    /** Datagrams that were not well-formed PGM (bad checksum, truncated, unknown type...). */
    public long malformed() {
        return malformed;
    }

    /** Well-formed datagrams not for a receiver (other ports, other receivers' NAKs, too many sources). */
    public long ignored() {
        return ignored;
    }

    /** Sources forgotten to make room for new ones. */
    public long evicted() {
        return evicted;
    }

    /** Sequence numbers missing or held out of order now, across sources. */
    public long pendingSlots() {
        return pendingSlots;
    }

    /** Bytes of data held out of order now. */
    public long heldBytes() {
        return heldBytes;
    }
}
