package org.zmq4j.durable.delivery;

import java.util.List;
import java.util.function.IntSupplier;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.MetricsSource;
import org.zmq4j.durable.journal.FileJournal;
import org.zmq4j.patterns.internal.Counter;

/**
 * A {@link DurableReceiver}'s numbers for {@link org.zmq4j.Context#metrics()} (kind
 * {@code durable_receiver}, named after its endpoint).
 *
 * <p>Thread-safety: the counters are the receiver loop's; {@link #metrics()} any thread, without a
 * lock.
 */
final class ReceiverMetrics implements MetricsSource {
    private static final double NANOS = 1e9;

    /** Acknowledgements stored for good (and so sent to their senders). */
    final Counter acknowledged = new Counter();
    /** Malformed messages dropped. */
    final Counter malformed = new Counter();

    private final String endpoint;
    private final ReceiverCore core;
    private final FileJournal journal;
    private final IntSupplier waiting;

    /** @param waiting messages delivered and not taken by {@code receive} yet */
    ReceiverMetrics(String endpoint, ReceiverCore core, FileJournal journal, IntSupplier waiting) {
        this.endpoint = endpoint;
        this.core = core;
        this.journal = journal;
        this.waiting = waiting;
    }

    @Override
    public ComponentMetrics metrics() {
        return new ComponentMetrics("durable_receiver", endpoint, List.of(
                Measurement.gauge("senders", "senders known", core.senders()),
                Measurement.gauge("waiting_messages", "messages delivered and not yet taken by receive()", waiting.getAsInt()),
                Measurement.counter("delivered_total", "messages handed to the application", core.delivered()),
                Measurement.counter("acknowledged_total", "acknowledgements stored for good and sent", acknowledged.get()),
                Measurement.counter("duplicates_total", "messages dropped as delivered already", core.duplicates()),
                Measurement.counter("out_of_order_total", "messages dropped because one before them was missing",
                        core.gaps()),
                Measurement.counter("refused_senders_total", "new senders refused (maxSenders)", core.refused()),
                Measurement.counter("malformed_messages_total", "malformed messages dropped", malformed.get()),
                Measurement.counter("fsync_total", "fdatasyncs of the state journal", journal.fsyncCount()),
                Measurement.counter("fsync_seconds_total", "time the state journal's fdatasyncs took",
                        journal.fsyncNanos() / NANOS),
                Measurement.gauge("last_fsync_seconds", "time the last fdatasync of the state journal took",
                        journal.lastFsyncNanos() / NANOS)));
    }
}
