package org.zmq4j.durable.titanic;

import java.util.List;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.MetricsSource;
import org.zmq4j.durable.journal.FileJournal;

/**
 * A {@link TitanicServer}'s numbers for {@link org.zmq4j.Context#metrics()} (kind {@code titanic},
 * named after its store directory).
 *
 * <p>Thread-safety: reads what the store publishes (volatile counts, counters) and the journal's
 * fdatasync counts; {@link #metrics()} any thread, never waiting for the store's lock.
 */
final class TitanicMetrics implements MetricsSource {
    private static final double NANOS = 1e9;

    private final String name;
    private final TitanicStore store;
    private final FileJournal journal;

    TitanicMetrics(String name, TitanicStore store, FileJournal journal) {
        this.name = name;
        this.store = store;
        this.journal = journal;
    }

    @Override
    public ComponentMetrics metrics() {
        return new ComponentMetrics("titanic", name, List.of(
                Measurement.gauge("open_requests", "requests stored and not closed", store.openRequests()),
                Measurement.gauge("pending_requests", "open requests without a reply yet", store.pendingRequests()),
                Measurement.counter("requests_total", "requests stored (titanic.request)", store.requestsStored()),
                Measurement.counter("replies_total", "replies of services stored", store.repliesStored()),
                Measurement.counter("closed_requests_total", "requests closed (titanic.close)", store.requestsClosed()),
                Measurement.counter("fsync_total", "fdatasyncs of the store's journal", journal.fsyncCount()),
                Measurement.counter("fsync_seconds_total", "time the store's fdatasyncs took", journal.fsyncNanos() / NANOS)));
    }
}
