package org.zmq4j.monitor.jmx;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.zmq4j.Context;
import org.zmq4j.ContextMetrics;
import org.zmq4j.SocketMetrics;

/**
 * The snapshot of a Context's metrics its beans share: taken again when asked for and older than
 * the maximum age, or when {@link #takeNow()} is called. Thread-safe: the snapshot is immutable and
 * published through a volatile field; taking one is serialized so that a burst of attribute reads
 * (JConsole reads all of a bean's attributes at once) costs one {@link Context#metrics()}.
 */
final class Snapshots {
    /** One snapshot: the metrics, the sockets by id, and when it was taken. */
    record Snapshot(long takenNanos, Instant takenAt, ContextMetrics metrics, Map<Integer, SocketMetrics> sockets) {
    }

    private final Context context;
    private final long maxAgeNanos;
    private final Object lock = new Object();
    private volatile Snapshot current;

    Snapshots(Context context, long maxAgeNanos) {
        this.context = context;
        this.maxAgeNanos = maxAgeNanos;
    }

    /** The current snapshot, taken again first if it is older than the maximum age. */
    Snapshot get() {
        Snapshot s = current;
        if (s != null && System.nanoTime() - s.takenNanos() < maxAgeNanos) {
            return s;
        }
        synchronized (lock) {
            s = current;
            if (s != null && System.nanoTime() - s.takenNanos() < maxAgeNanos) {
                return s; // another reader took it meanwhile
            }
            return take();
        }
    }

    /** A snapshot taken now, which the next {@link #get()} calls return. */
    Snapshot takeNow() {
        synchronized (lock) {
            return take();
        }
    }

    private Snapshot take() {
        ContextMetrics m = context.metrics();
        Map<Integer, SocketMetrics> byId = new LinkedHashMap<>();
        for (SocketMetrics s : m.sockets()) {
            byId.put(s.id(), s);
        }
        Snapshot s = new Snapshot(System.nanoTime(), Instant.now(), m, Collections.unmodifiableMap(byId));
        current = s;
        return s;
    }
}
