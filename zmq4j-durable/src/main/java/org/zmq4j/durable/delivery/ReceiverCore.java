package org.zmq4j.durable.delivery;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.zmq4j.patterns.internal.Counter;

/**
 * The durable receiver's protocol, sans I/O: per sender (by id, bound to a connection by HELLO) the
 * epoch, the last sequence delivered to the application and the last stored for good; in-order DATA
 * is delivered, duplicates dropped (and answered with an ACK so the sender moves on), a gap dropped
 * and answered once with a WELCOME so the sender goes back; DATA on a connection without HELLO gets
 * a WHO. At most {@code maxSenders} senders are known; more are refused (logged).
 *
 * <p>Thread-safety: not thread-safe; the receiver's loop thread owns it.
 */
final class ReceiverCore {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.durable.receiver");

    /** What the core does to the outside. */
    interface Link {
        void send(byte[] route, byte[] command);

        void deliver(String id, long epoch, long seq, byte[] payload);
    }

    /** One sender's state. */
    static final class Peer {
        final String id;
        long epoch;
        long delivered;
        long acked;
        boolean fresh;
        byte[] route;
        boolean rewindSent;
        boolean ackDue;

        Peer(String id, long epoch, long acked, boolean fresh) {
            this.id = id;
            this.epoch = epoch;
            this.delivered = acked;
            this.acked = acked;
            this.fresh = fresh;
        }
    }

    private final Map<String, Peer> byId = new HashMap<>();
    private final Map<ByteBuffer, Peer> byRoute = new HashMap<>();
    private final List<Peer> due = new ArrayList<>();
    private final int maxSenders;
    private final Counter delivered = new Counter();
    private final Counter duplicates = new Counter();
    private final Counter gaps = new Counter();
    private final Counter refused = new Counter();
    /** The senders known, for other threads. */
    private volatile int senders;

    ReceiverCore(Map<String, ProgressLog.Position> stored, int maxSenders) {
        this.maxSenders = maxSenders;
        stored.forEach((id, p) -> byId.put(id, new Peer(id, p.epoch(), p.seq(), false)));
        senders = byId.size();
    }

    void hello(byte[] route, Ddp.Hello h, Link link) {
        Peer p = byId.get(h.id());
        if (p == null) {
            if (byId.size() >= maxSenders) {
                refused.increment();
                LOG.log(Level.WARNING, "durable receiver: refused sender ''{0}'': {1} senders known already (maxSenders)",
                        h.id(), maxSenders);
                return;
            }
            p = new Peer(h.id(), h.epoch(), -1, true);
            byId.put(h.id(), p);
            senders = byId.size();
        } else if (p.epoch != h.epoch()) {
            LOG.log(Level.INFO, "durable receiver: sender ''{0}'' has a new journal (epoch {1} -> {2}): a new stream",
                    h.id(), Long.toHexString(p.epoch), Long.toHexString(h.epoch()));
            p.epoch = h.epoch();
            p.delivered = -1;
            p.acked = -1;
            p.fresh = true;
        }
        if (p.route != null) {
            byRoute.remove(ByteBuffer.wrap(p.route));
        }
        p.route = route;
        byRoute.put(ByteBuffer.wrap(route), p);
        p.rewindSent = false;
        link.send(route, Ddp.welcome(p.fresh ? -1 : p.acked, p.fresh ? -1 : p.delivered));
    }

    void data(byte[] route, long seq, byte[] payload, Link link) {
        Peer p = byRoute.get(ByteBuffer.wrap(route));
        if (p == null) {
            link.send(route, Ddp.who());
            return;
        }
        if (p.fresh || seq == p.delivered + 1) {
            p.fresh = false;
            p.delivered = seq;
            p.rewindSent = false;
            delivered.increment();
            link.deliver(p.id, p.epoch, seq, payload);
        } else if (seq <= p.delivered) {
            duplicates.increment();
            if (seq <= p.acked) {
                markDue(p);
            }
        } else {
            gaps.increment();
            if (!p.rewindSent) {
                p.rewindSent = true;
                link.send(route, Ddp.welcome(p.acked, p.delivered));
            }
        }
    }

    /** The application's acknowledgement of {@code seq} from {@code id} is stored for good: ACK it. */
    void stored(String id, long epoch, long seq) {
        Peer p = byId.get(id);
        if (p != null && p.epoch == epoch && seq > p.acked) {
            p.acked = seq;
            markDue(p);
        }
    }

    private void markDue(Peer p) {
        if (!p.ackDue) {
            p.ackDue = true;
            due.add(p);
        }
    }

    /** Sends one ACK to every sender that has one due. */
    void flushAcks(Link link) {
        for (Peer p : due) {
            p.ackDue = false;
            if (p.route != null && p.acked >= 0) {
                link.send(p.route, Ddp.withNumber(Ddp.ACK, p.acked));
            }
        }
        due.clear();
    }

    /** Sender id to the last sequence acknowledged (a copy). */
    Map<String, Long> acknowledged() {
        Map<String, Long> m = new HashMap<>();
        byId.forEach((id, p) -> m.put(id, p.acked));
        return m;
    }

    /** Messages handed to the application (any thread, as the rest below). */
    long delivered() {
        return delivered.get();
    }

    /** Messages dropped as delivered already. */
    long duplicates() {
        return duplicates.get();
    }

    /** Messages dropped because one before them was missing (the sender is sent back). */
    long gaps() {
        return gaps.get();
    }

    /** HELLOs of new senders refused (maxSenders). */
    long refused() {
        return refused.get();
    }

    /** The senders known (with a stored position, or that said HELLO). */
    int senders() {
        return senders;
    }
}
