package org.zmq4j.io;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.zmq4j.pgm.PgmPacket;
import org.zmq4j.pgm.PgmRateLimiter;
import org.zmq4j.pgm.PgmReceiver;
import org.zmq4j.pgm.PgmSource;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * One {@code epgm://} endpoint of a socket on an I/O thread, as libzmq's {@code pgm_sender} (PUB,
 * XPUB) or {@code pgm_receiver} (SUB, XSUB): a UDP channel bound to the port on every address
 * (SO_REUSEPORT, as OpenPGM, so that it shares the port with libzmq and other receivers on this
 * host) and joined to the group, driving the sans-IO {@link PgmSource} or {@link PgmReceiver}.
 * <p>
 * Sending: messages are read from the peer's outbound pipe, several to a packet, cut into ODATA
 * and sent to the group at most at RATE ({@link PgmRateLimiter}); while the rate holds them back
 * the pipe fills and the socket drops at SNDHWM, as libzmq's PUB does. NAKs and SPMRs arriving on
 * the channel are answered (NCF, RDATA, SPM) at once; SPMs go out on OpenPGM's schedule. Closing
 * sends what is queued for up to LINGER, then three SPMs with OPT_FIN.
 * <p>
 * Receiving: datagrams go into the receiver; whole messages into the inbound pipe. When the pipe
 * is at RCVHWM the engine stops reading (the kernel buffer holds or drops the rest, and what it
 * drops is NAKed), and resumes when the socket reads. NAKs go unicast to the source's address.
 * Subscriptions the socket sends are dropped: PGM carries none, the SUB filters, as in libzmq.
 * <p>
 * Datagrams of any content are checked by the codec and dropped when malformed; nothing in them
 * can throw out of the I/O thread. Timers (SPMs, NAK back-offs) run on the I/O thread.
 *
 * <p>Thread-safety: {@link #close} and the pipe wake-ups may be called from any thread; all else
 * runs on the engine's I/O thread ({@link DatagramEngine}).
 */
public final class PgmEngine extends DatagramEngine {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.pgm");
    /** Datagrams handled per readiness event or flush before letting other handlers run. */
    private static final int BATCH = 256;
    /** The largest datagram read (a UDP payload). */
    private static final int MAX_DATAGRAM = 65_535;

    private final InetSocketAddress group;
    private final int port;
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM + 1);

    /** The sending side, or null. */
    private final PgmSource source;
    private final PgmRateLimiter rate;
    /** ODATA cut and numbered, waiting for the rate or the kernel. */
    private final ArrayDeque<byte[]> unsent = new ArrayDeque<>();
    private final List<byte[]> frames = new ArrayList<>();
    /** The receiving side, or null. */
    private final PgmReceiver receiver;
    private final PgmReceiver.Output output = new ReceiverOutput();

    private boolean rateWaiting;
    private Timer timer;
    private long timerDue = Long.MAX_VALUE;
    private long sendErrors;

    /**
     * A sending engine.
     *
     * @param host     the socket
     * @param channel  open, bound, joined, non-blocking
     * @param peer     the peer to serve (attached by the caller)
     * @param group    the group and port
     * @param source   the session
     * @param rate     the rate
     * @param endpoint the endpoint as given
     * @param bound    whether it was given to bind (monitor CLOSED on close)
     * @return the engine, not started
     */
    public static PgmEngine sender(SessionHost host, DatagramChannel channel, Peer peer, InetSocketAddress group, PgmSource source,
                                   PgmRateLimiter rate, String endpoint, boolean bound) {
        return new PgmEngine(host, channel, peer, group, source, rate, null, endpoint, bound);
    }

    /**
     * A receiving engine.
     *
     * @param host     the socket
     * @param channel  open, bound, joined, non-blocking
     * @param peer     the peer to serve (attached by the caller)
     * @param group    the group and port
     * @param receiver the receiver
     * @param endpoint the endpoint as given
     * @param bound    whether it was given to bind (monitor CLOSED on close)
     * @return the engine, not started
     */
    public static PgmEngine receiver(SessionHost host, DatagramChannel channel, Peer peer, InetSocketAddress group, PgmReceiver receiver,
                                     String endpoint, boolean bound) {
        return new PgmEngine(host, channel, peer, group, null, null, receiver, endpoint, bound);
    }

    private PgmEngine(SessionHost host, DatagramChannel channel, Peer peer, InetSocketAddress group, PgmSource source,
                      PgmRateLimiter rate, PgmReceiver receiver, String endpoint, boolean bound) {
        super(host, channel, peer, endpoint, endpoint, bound, LOG);
        this.group = group;
        this.port = group.getPort();
        this.source = source;
        this.rate = rate;
        this.receiver = receiver;
    }

    @Override
    protected boolean sending() {
        return source != null;
    }

    private static long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    @Override
    protected int initialInterest() {
        return SelectionKey.OP_READ; // a source reads NAKs and SPMRs
    }

    @Override
    protected void registered() {
        if (sending()) {
            sendAll(source.start());
        }
        rearm();
    }

    @Override
    protected boolean hasQueued() {
        return !unsent.isEmpty() || peer.out().hasMessage();
    }

    @Override
    protected void closing() {
        if (timer != null) {
            timer.cancel();
        }
        if (sending()) {
            sendAll(source.finish()); // OPT_FIN: receivers know the session ended
        }
    }

    @Override
    protected String figures() {
        if (sending()) {
            return " (NAKs answered " + source.naksAnswered() + ", malformed " + source.malformed() + ")";
        }
        return " (delivered " + receiver.delivered() + ", lost " + receiver.lost() + ", NAKs " + receiver.naksSent() + ", repaired "
                + receiver.repaired() + ", malformed " + receiver.malformed() + ")";
    }

    // ------------------------------------------------------------------ timers

    /** Schedules the timer for the session's next due work, if sooner than the one set. */
    private void rearm() {
        if (closed()) {
            return;
        }
        long now = nowMillis();
        long due = sending() ? source.nextTick() : receiver.nextTick(now);
        if (timer != null && timerDue <= due) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerDue = due;
        timer = io.schedule(Math.max(0, due - now), this::onTimer);
    }

    private void onTimer() {
        timer = null;
        timerDue = Long.MAX_VALUE;
        if (closed()) {
            return;
        }
        long now = nowMillis();
        if (sending()) {
            sendAll(source.tick(now));
        } else {
            receiver.tick(now, output);
            peer.in().flush();
        }
        rearm();
    }

    // ------------------------------------------------------------------ sending

    /** Sends ODATA until the rate, the kernel or the pipe stops it, then goes idle (I/O thread). */
    @Override
    protected void flush() {
        if (closed() || key == null) {
            return;
        }
        Pipe out = peer.out();
        if (!sending()) {
            do {
                while (out.read() != null) {
                    // subscriptions: PGM carries none
                }
            } while (goIdle());
            return;
        }
        if (writeBlocked || rateWaiting) {
            return;
        }
        for (int sent = 0; sent < BATCH; sent++) {
            if (unsent.isEmpty() && !cut(out)) {
                if (!goIdle()) {
                    return;
                }
                continue;
            }
            byte[] packet = unsent.peekFirst();
            long nowNanos = System.nanoTime();
            if (!rate.tryAcquire(packet.length, nowNanos)) {
                rateWaiting = true;
                long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(rate.waitNanos(packet.length, nowNanos) + 999_999));
                io.schedule(waitMillis, () -> {
                    rateWaiting = false;
                    flush();
                });
                return;
            }
            if (!sendNow(packet, group)) {
                awaitWritable(); // kept; sent again on OP_WRITE (its tokens are spent, as the kernel will take it)
                return;
            }
            unsent.pollFirst();
        }
        flushLater();
    }

    /**
     * Reads messages from the pipe until a packet's worth is queued or the pipe is empty, and cuts
     * them into ODATA.
     *
     * @return false when there was nothing to read
     */
    private boolean cut(Pipe out) {
        int room = source.packetRoom();
        boolean empty = false;
        while (source.queuedBytes() < room) {
            byte[] f = out.read();
            if (f == null) {
                empty = true;
                break;
            }
            frames.add(f);
            if ((out.lastFlags() & Pipe.MORE) == 0) {
                source.queue(List.copyOf(frames));
                frames.clear();
            }
        }
        if (source.queuedBytes() == 0) {
            return false;
        }
        // full packets while messages keep coming; the short rest only when the pipe ran dry, as libzmq
        unsent.addAll(source.flush(nowMillis(), empty));
        rearm();
        return !unsent.isEmpty();
    }

    /** Sends NCFs, RDATA and SPMs now, past the rate (they are few); the kernel may drop them. */
    private void sendAll(List<byte[]> packets) {
        for (byte[] p : packets) {
            sendNow(p, group);
        }
    }

    /** @return false when the kernel's buffer is full */
    private boolean sendNow(byte[] packet, InetSocketAddress to) {
        try {
            return channel.send(ByteBuffer.wrap(packet), to) != 0;
        } catch (IOException e) {
            if (sendErrors++ == 0) {
                LOG.log(Level.WARNING, "epgm send to " + to + " failed (further failures logged at DEBUG): " + e);
            } else {
                LOG.log(Level.DEBUG, () -> "epgm send to " + to + " failed: " + e);
            }
            if (!channel.isOpen()) {
                finish("channel closed: " + e.getMessage());
            }
            return true; // lost, as a datagram can be
        }
    }

    // ------------------------------------------------------------------ receiving

    /** Reads datagrams until none is waiting (or, receiving, the pipe is full). */
    @Override
    protected void receive() {
        Pipe in = peer.in();
        long now = nowMillis(); // one clock read per batch: the NAK timers work in 10 ms steps
        try {
            for (int i = 0; i < BATCH && !closed(); i++) {
                if (!sending() && !in.isReaderClosed() && !in.hasRoom()) {
                    pauseInput();
                    break;
                }
                buffer.clear();
                try {
                    if (channel.receive(buffer) == null) {
                        break;
                    }
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, () -> "epgm receive on " + endpoint() + " failed: " + e);
                    if (!channel.isOpen()) {
                        finish("channel closed: " + e.getMessage());
                    }
                    break;
                }
                int n = buffer.position();
                if (n > MAX_DATAGRAM || n < 16) {
                    continue; // not PGM
                }
                byte[] b = buffer.array();
                int type = b[4] & 0x0F;
                if (sending()) {
                    if (type == PgmPacket.TYPE_NAK || type == PgmPacket.TYPE_SPMR) {
                        sendAll(source.onDatagram(b, 0, n)); // all else is data, ours looped back or others'
                    }
                } else if (type != PgmPacket.TYPE_NAK && type != PgmPacket.TYPE_SPMR) {
                    receiver.onDatagram(b, 0, n, now, output);
                }
            }
        } finally {
            if (!sending()) {
                in.flush();
            }
        }
        rearm();
    }

    /** Where the receiver's messages, NAKs and SPMRs go. */
    private final class ReceiverOutput implements PgmReceiver.Output {
        @Override
        public void message(PgmPacket.Tsi from, List<byte[]> message) {
            Pipe in = peer.in();
            if (in.isReaderClosed()) {
                return;
            }
            int last = message.size() - 1;
            for (int i = 0; i <= last; i++) {
                in.writeBatched(message.get(i), i < last ? Pipe.MORE : 0);
            }
        }

        @Override
        public void unicast(byte[] datagram, byte[] address) {
            try {
                sendNow(datagram, new InetSocketAddress(InetAddress.getByAddress(address), port));
            } catch (UnknownHostException e) {
                // a 4-byte address always makes an InetAddress
            }
        }

        @Override
        public void multicast(byte[] datagram) {
            sendNow(datagram, group);
        }
    }

    @Override
    public String toString() {
        return "PgmEngine[" + endpoint() + (sending() ? ", sending" : ", receiving") + "]";
    }
}
