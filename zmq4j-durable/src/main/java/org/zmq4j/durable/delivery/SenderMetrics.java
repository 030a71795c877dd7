package org.zmq4j.durable.delivery;

import java.util.List;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.MetricsSource;
import org.zmq4j.durable.journal.FileJournal;

/**
 * A {@link DurableSender}'s numbers for {@link org.zmq4j.Context#metrics()} (kind
 * {@code durable_sender}, named after the sender's id): its window, what it transmitted, and its
 * journal's fdatasyncs.
 *
 * <p>Thread-safety: reads volatile fields and counters the window, the loop and the journal
 * publish; {@link #metrics()} any thread, without a lock.
 */
final class SenderMetrics implements MetricsSource {
    private static final double NANOS = 1e9;

    private final String id;
    private final SendWindow window;
    private final SenderCore core;
    private final FileJournal journal;

    SenderMetrics(String id, SendWindow window, SenderCore core, FileJournal journal) {
        this.id = id;
        this.window = window;
        this.core = core;
        this.journal = journal;
    }

    @Override
    public ComponentMetrics metrics() {
        long fsyncs = journal.fsyncCount();
        long fsyncNanos = journal.fsyncNanos();
        return new ComponentMetrics("durable_sender", id, List.of(
                Measurement.gauge("unacknowledged_messages", "messages journaled and not acknowledged by the receiver",
                        window.unacknowledged()),
                Measurement.gauge("oldest_unacknowledged_age_seconds",
                        "how long the oldest unacknowledged message has waited (0 when none)",
                        window.oldestUnacknowledgedAgeNanos(System.nanoTime()) / NANOS),
                Measurement.gauge("connected", "1 while a connection to the receiver is up", core.connected() ? 1 : 0),
                Measurement.counter("sent_total", "messages taken by send() (journaled)", window.appendedCount()),
                Measurement.counter("transmitted_total", "messages transmitted to the receiver for the first time",
                        core.transmitted()),
                Measurement.counter("resent_total", "messages transmitted again (after a reconnect, a WHO, a silence)",
                        core.resent()),
                Measurement.counter("acknowledged_total", "messages the receiver acknowledged", window.acknowledgedCount()),
                Measurement.counter("resyncs_total", "times acknowledgements stopped and the sender asked where the receiver is",
                        core.resyncs()),
                Measurement.counter("fsync_total", "fdatasyncs of the journal", fsyncs),
                Measurement.counter("fsync_seconds_total", "time the journal's fdatasyncs took", fsyncNanos / NANOS),
                Measurement.gauge("last_fsync_seconds", "time the last fdatasync of the journal took",
                        journal.lastFsyncNanos() / NANOS)));
    }
}
