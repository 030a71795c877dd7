package org.zmq4j.patterns.clone;

import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.MetricsSource;
import org.zmq4j.patterns.internal.Counter;

/**
 * A {@link CloneServer}'s numbers for {@link org.zmq4j.Context#metrics()} (kind
 * {@code clone_server}, named after its snapshot endpoint).
 *
 * <p>Thread-safety: the counters are the server loop's; the gauges read the server's volatile
 * fields; {@link #metrics()} any thread, without a lock.
 */
final class CloneServerMetrics implements MetricsSource {
    /** Snapshots begun for clients (ICANHAZ? answered). */
    final Counter snapshots = new Counter();
    /** KVSETs from clients taken off the collector. */
    final Counter clientUpdates = new Counter();

    private final String name;
    private final LongSupplier sequence;
    private final IntSupplier keys;
    private final LongSupplier published;
    private final LongSupplier malformed;
    private final IntSupplier active;

    CloneServerMetrics(String name, LongSupplier sequence, IntSupplier keys, LongSupplier published, LongSupplier malformed,
            IntSupplier active) {
        this.name = name;
        this.sequence = sequence;
        this.keys = keys;
        this.published = published;
        this.malformed = malformed;
        this.active = active;
    }

    @Override
    public ComponentMetrics metrics() {
        return new ComponentMetrics("clone_server", name, List.of(
                Measurement.gauge("kvmsg_sequence", "the last sequence number published (active) or followed (passive)",
                        sequence.getAsLong()),
                Measurement.gauge("keys", "keys in the map", keys.getAsInt()),
                Measurement.gauge("active", "1 while this server serves clients", active.getAsInt()),
                Measurement.counter("snapshots_total", "snapshots sent to clients", snapshots.get()),
                Measurement.counter("updates_total", "updates published (KVPUB: client updates and expiries)",
                        published.getAsLong()),
                Measurement.counter("client_updates_total", "updates received from clients (KVSET)", clientUpdates.get()),
                Measurement.counter("malformed_messages_total", "malformed messages dropped", malformed.getAsLong())));
    }
}
