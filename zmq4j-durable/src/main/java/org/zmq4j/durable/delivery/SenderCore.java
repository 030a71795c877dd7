package org.zmq4j.durable.delivery;

import java.lang.System.Logger.Level;

import org.zmq4j.patterns.internal.Counter;

/**
 * The durable sender's protocol, sans I/O: says HELLO on every new connection, transmits in order
 * once the receiver answered (WELCOME says where it is), goes back to the receiver's position
 * after a WELCOME, a WHO or a silence of {@code ackTimeout} with messages unacknowledged (go-back-N),
 * and hands acknowledgements to the {@link SendWindow}. Times are in nanoseconds of any monotonic
 * clock the caller chooses.
 *
 * <p>Thread-safety: not thread-safe; the sender's loop thread owns it.
 */
final class SenderCore {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.durable.sender");

    /** What the core sends through. */
    interface Link {
        void command(byte[] frame);

        /** @return false when the message cannot leave now (HWM, no connection): try later */
        boolean data(long seq, byte[] payload);
    }

    private final String id;
    private final long epoch;
    private final SendWindow window;
    private final long ackTimeout;
    private boolean synced;
    /** Volatile: read for metrics. */
    private volatile boolean connected;
    private long nextToSend;
    private long helloAt;
    private long lastProgress;
    /** The highest sequence transmitted so far (sending it or one below again is a resend). */
    private long highestSent = -1;
    private final Counter resyncs = new Counter();
    private final Counter transmitted = new Counter();
    private final Counter resent = new Counter();

    SenderCore(String id, long epoch, SendWindow window, long ackTimeoutNanos) {
        this.id = id;
        this.epoch = epoch;
        this.window = window;
        this.ackTimeout = ackTimeoutNanos;
    }

    /** A connection is up (handshake done): HELLO. */
    void connected(long now, Link link) {
        connected = true;
        hello(now, link);
    }

    /** The connection dropped: nothing is transmitted until the next WELCOME. */
    void disconnected() {
        connected = false;
        synced = false;
    }

    private void hello(long now, Link link) {
        synced = false;
        helloAt = now;
        link.command(Ddp.hello(epoch, id));
    }

    /** The receiver's WELCOME: {@code acked} is stored for good, {@code delivered} is what it holds. */
    void welcome(long acked, long delivered, long now) {
        long next = window.published();
        if (delivered >= next || acked >= next) {
            String msg = "durable sender '" + id + "': the receiver has message " + Math.max(acked, delivered)
                    + " but the journal ends at " + (next - 1) + ": the journal lost records the receiver took"
                    + " (fsync policy os and a machine crash, or an older copy of the journal); start a new journal";
            LOG.log(Level.ERROR, msg);
            window.fail(msg);
            return;
        }
        if (acked >= 0) {
            window.acknowledge(acked);
        }
        long resume = Math.max(delivered + 1, window.acked() + 1);
        long first = window.firstAvailable();
        if (resume < first) {
            LOG.log(Level.WARNING, "durable sender ''{0}'': the receiver resumes at {1} but the journal starts at {2}"
                    + " (its progress was lost?): sending from {2}", id, resume, first);
            resume = first;
        }
        nextToSend = resume;
        synced = true;
        lastProgress = now;
    }

    /** The receiver's ACK. */
    void ack(long seq, long now) {
        if (seq > window.acked()) {
            if (seq >= window.published()) {
                LOG.log(Level.WARNING, "durable sender ''{0}'': ACK {1} for a message never sent; ignored", id, seq);
                return;
            }
            window.acknowledge(seq);
            lastProgress = now;
            if (nextToSend <= seq) {
                nextToSend = seq + 1;
            }
        }
    }

    /** The receiver does not know this connection (it restarted, or lost it): HELLO again. */
    void who(long now, Link link) {
        if (connected) {
            hello(now, link);
        }
    }

    /**
     * Transmits, in order, what is published and below {@code durableUpTo}.
     *
     * @return true when everything transmittable left; false when the link pushed back
     */
    boolean pump(long durableUpTo, Link link) {
        if (!synced) {
            return true;
        }
        long end = Math.min(durableUpTo, window.published());
        while (nextToSend < end) {
            if (!link.data(nextToSend, window.payload(nextToSend))) {
                return false;
            }
            if (nextToSend > highestSent) {
                highestSent = nextToSend;
                transmitted.increment();
            } else {
                resent.increment();
            }
            nextToSend++;
        }
        return true;
    }

    /** Timers: HELLO again when unanswered, or when messages stay unacknowledged for {@code ackTimeout}. */
    void tick(long now, Link link) {
        if (!connected) {
            return;
        }
        if (!synced) {
            if (now - helloAt >= ackTimeout) {
                hello(now, link);
            }
            return;
        }
        boolean waiting = window.published() - 1 > window.acked();
        if (waiting && now - lastProgress >= ackTimeout) {
            resyncs.increment();
            LOG.log(Level.DEBUG, "durable sender ''{0}'': no acknowledgement for {1} ms; asking where the receiver is",
                    id, ackTimeout / 1_000_000);
            lastProgress = now;
            hello(now, link);
        } else if (!waiting) {
            lastProgress = now;
        }
    }

    /** When {@link #tick} next has something to do. */
    long nextDeadline(long now) {
        if (!connected) {
            return now + ackTimeout;
        }
        return (synced ? lastProgress : helloAt) + ackTimeout;
    }

    boolean synced() {
        return synced;
    }

    long nextToSend() {
        return nextToSend;
    }

    /** HELLOs sent because acknowledgements stopped (any thread). */
    long resyncs() {
        return resyncs.get();
    }

    /** Messages transmitted for the first time by this sender (any thread). */
    long transmitted() {
        return transmitted.get();
    }

    /** Messages transmitted again: go-back-N after a WELCOME, a WHO or a silence (any thread). */
    long resent() {
        return resent.get();
    }

    /** Whether a connection to the receiver is up (any thread). */
    boolean connected() {
        return connected;
    }
}
