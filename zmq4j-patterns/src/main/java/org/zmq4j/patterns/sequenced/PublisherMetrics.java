package org.zmq4j.patterns.sequenced;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.MetricsSource;

/**
 * A {@link SequencedPublisher}'s numbers for {@link org.zmq4j.Context#metrics()} (kind
 * {@code sequenced_publisher}, named after the publisher's id).
 *
 * <p>Thread-safety: reads what the publishing thread and the replay thread publish (an atomic
 * sequence, opaque counters, a volatile count) and the retention's bounds (thread-safe, briefly
 * locked); {@link #metrics()} any thread.
 */
final class PublisherMetrics implements MetricsSource {
    private final String id;
    private final AtomicLong published;
    private final long firstSequence;
    private final ReplayService service;
    private final Retention retention;

    /**
     * @param published the last sequence number published
     * @param service   the replay channel's logic
     */
    PublisherMetrics(String id, AtomicLong published, ReplayService service, Retention retention) {
        this.id = id;
        this.published = published;
        this.firstSequence = published.get();
        this.service = service;
        this.retention = retention;
    }

    private long retained() {
        try {
            long first = retention.first();
            long last = retention.last();
            return Math.max(0, last - first + 1);
        } catch (RuntimeException closing) {
            return 0; // a retention closed under us (the publisher closing)
        }
    }

    @Override
    public ComponentMetrics metrics() {
        return new ComponentMetrics("sequenced_publisher", id, List.of(
                Measurement.gauge("sequence", "the last sequence number published", published.get()),
                Measurement.gauge("subscribers", "subscribers on the replay channel", service.subscribers()),
                Measurement.gauge("retained_messages", "messages the retention keeps for replay", retained()),
                Measurement.counter("messages_total", "messages published since start", published.get() - firstSequence),
                Measurement.counter("replay_requests_total", "replay requests from subscribers", service.replayRequests()),
                Measurement.counter("replayed_messages_total", "messages sent by replay", service.replayed()),
                Measurement.counter("malformed_commands_total", "replay-channel commands refused as malformed",
                        service.malformed())));
    }
}
