package org.zmq4j.patterns.ppp;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Paranoid Pirate queue's logic, sans-IO (rfc 6 and the zguide's {@code ppqueue}): workers that
 * said READY, or spoke since, wait in least-recently-used order with an expiry; a request from the
 * frontend goes to the first of them; the queue heartbeats the waiting workers and forgets the
 * silent ones. Messages carry their routing id as their first frame, in and out. One thread; no
 * locks.
 */
final class QueueCore {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.ppp.queue");

    /** One message to send, routing id first; to the frontend (clients) or the backend (workers). */
    record Out(boolean toFrontend, List<byte[]> frames) {
    }

    private final long heartbeatMillis;
    private final long expiryMillis;
    private final QueueMetrics metrics;
    /** Waiting workers, least recently used first: routing id to expiry time. */
    private final LinkedHashMap<ByteBuffer, Long> waiting = new LinkedHashMap<>();
    private long nextHeartbeat;

    QueueCore(long heartbeatMillis, int liveness, long now) {
        this(heartbeatMillis, liveness, now, new QueueMetrics());
    }

    /** A core that counts what it does in {@code metrics} (the queue's, which outlive one run). */
    QueueCore(long heartbeatMillis, int liveness, long now, QueueMetrics metrics) {
        this.metrics = metrics;
        this.heartbeatMillis = heartbeatMillis;
        this.expiryMillis = heartbeatMillis * liveness;
        this.nextHeartbeat = now + heartbeatMillis;
    }

    /** Whether a worker waits: only then may the frontend be read. */
    boolean hasWorker() {
        return !waiting.isEmpty();
    }

    int waitingWorkers() {
        return waiting.size();
    }

    long nextTick() {
        return nextHeartbeat;
    }

    /**
     * A message from a worker: READY or HEARTBEAT, or a reply for the frontend. Any of them puts the
     * worker at the end of the waiting line with a fresh expiry (as the zguide's queue does).
     */
    List<Out> onBackend(List<byte[]> message, long now) {
        if (message.size() < 2) {
            return List.of();
        }
        byte[] id = message.get(0);
        List<byte[]> rest = message.subList(1, message.size());
        ByteBuffer key = ByteBuffer.wrap(id.clone());
        if (Ppp.is(rest, Ppp.READY) || Ppp.is(rest, Ppp.HEARTBEAT)) {
            ready(key, now);
            return List.of();
        }
        if (Ppp.bodyStart(rest) > 0) { // an address stack, its terminator, a body: a reply
            ready(key, now);
            metrics.replies.increment();
            return List.of(new Out(true, new ArrayList<>(rest)));
        }
        metrics.malformed.increment();
        LOG.log(Level.WARNING, "dropping a message from worker " + hex(id) + " that is neither READY, HEARTBEAT nor a reply");
        return List.of();
    }

    private void ready(ByteBuffer key, long now) {
        waiting.remove(key);
        waiting.put(key, now + expiryMillis);
    }

    /** A request from a client (routing id first); call only when {@link #hasWorker()}. */
    List<Out> onFrontend(List<byte[]> message) {
        if (Ppp.bodyStart(message.subList(1, message.size())) < 0) {
            metrics.malformed.increment();
            LOG.log(Level.DEBUG, () -> "dropping a request without an envelope terminator from " + hex(message.get(0)));
            return List.of();
        }
        Iterator<Map.Entry<ByteBuffer, Long>> first = waiting.entrySet().iterator();
        ByteBuffer worker = first.next().getKey();
        first.remove();
        List<byte[]> out = new ArrayList<>(message.size() + 1);
        out.add(worker.array());
        out.addAll(message);
        metrics.requests.increment();
        return List.of(new Out(false, out));
    }

    /** Heartbeats to the waiting workers and expiry of the silent ones, once per interval. */
    List<Out> onTick(long now) {
        if (now - nextHeartbeat < 0) {
            return List.of();
        }
        nextHeartbeat = now + heartbeatMillis;
        List<Out> out = new ArrayList<>(waiting.size());
        for (Iterator<Map.Entry<ByteBuffer, Long>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ByteBuffer, Long> w = it.next();
            if (now - w.getValue() >= 0) {
                LOG.log(Level.INFO, "worker " + hex(w.getKey().array()) + " silent for " + expiryMillis + " ms: dropped");
                it.remove();
                metrics.workerExpirations.increment();
            } else {
                out.add(new Out(false, List.of(w.getKey().array(), new byte[] {Ppp.HEARTBEAT})));
            }
        }
        return out;
    }

    static String hex(byte[] id) {
        StringBuilder b = new StringBuilder("0x");
        for (int i = 0; i < Math.min(id.length, 16); i++) {
            b.append(Character.forDigit((id[i] >> 4) & 0xF, 16)).append(Character.forDigit(id[i] & 0xF, 16));
        }
        return b.toString();
    }
}
