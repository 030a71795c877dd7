package org.zmq4j.patterns.sequenced;

import java.util.List;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.MetricsSource;
import org.zmq4j.patterns.internal.Counter;

/**
 * A {@link SequencedSubscriber}'s numbers for {@link org.zmq4j.Context#metrics()} (kind
 * {@code sequenced_subscriber}, named as its builder said, or after its first data endpoint).
 *
 * <p>Thread-safety: the counters are the subscriber's (written by whichever thread calls
 * {@code receive}, one at a time); {@link #metrics()} any thread, without a lock.
 */
final class SubscriberMetrics implements MetricsSource {
    /** Messages handed to the application. */
    final Counter messages = new Counter();
    /** Gap events handed to the application. */
    final Counter gapEvents = new Counter();
    /** Sequence numbers those Gap events reported lost. */
    final Counter lost = new Counter();
    /** NewEpoch events handed to the application. */
    final Counter newEpochs = new Counter();
    /** Gaps found (a hole before held messages, a lost tail). */
    final Counter gapsDetected = new Counter();
    /** Gaps filled entirely by replay. */
    final Counter gapsRepaired = new Counter();
    /** REPLAY requests sent to publishers. */
    final Counter replayRequests = new Counter();
    /** Messages received on the replay channel. */
    final Counter replayed = new Counter();
    /** Messages dropped as already delivered or already held. */
    final Counter duplicates = new Counter();
    /** Malformed messages dropped. */
    final Counter malformed = new Counter();
    /** Data messages of a publisher that had not said who it is yet (its WELCOME's start covers them). */
    final Counter unknown = new Counter();
    /** Messages held now, out of order, until the ones before them arrive (a gauge: added to and taken from). */
    final Counter held = new Counter();

    private volatile int publishers;
    private volatile String name = "sequenced";

    void publishers(int n) {
        publishers = n;
    }

    void name(String n) {
        name = n;
    }

    /** Counts an event handed to the application; returns it. */
    SequencedEvent handedOut(SequencedEvent e) {
        if (e instanceof SequencedEvent.Message) {
            messages.increment();
        } else if (e instanceof SequencedEvent.Gap g) {
            gapEvents.increment();
            lost.add(g.to() - g.from() + 1);
        } else if (e instanceof SequencedEvent.NewEpoch) {
            newEpochs.increment();
        }
        return e;
    }

    @Override
    public ComponentMetrics metrics() {
        return new ComponentMetrics("sequenced_subscriber", name, List.of(
                Measurement.gauge("publishers", "publishers followed that said who they are", publishers),
                Measurement.gauge("pending_messages", "messages held out of order until the ones before them arrive",
                        held.get()),
                Measurement.counter("messages_total", "messages handed to the application, in order", messages.get()),
                Measurement.counter("gaps_detected_total", "gaps found in a stream (and asked for by replay)",
                        gapsDetected.get()),
                Measurement.counter("gaps_repaired_total", "gaps filled entirely by replay", gapsRepaired.get()),
                Measurement.counter("gaps_reported_total", "Gap events handed to the application", gapEvents.get()),
                Measurement.counter("messages_lost_total", "sequence numbers Gap events reported as no longer retained",
                        lost.get()),
                Measurement.counter("new_epochs_total", "publishers seen restarting in a new epoch", newEpochs.get()),
                Measurement.counter("replay_requests_total", "replay requests sent to publishers", replayRequests.get()),
                Measurement.counter("replayed_messages_total", "messages received by replay", replayed.get()),
                Measurement.counter("duplicates_total", "messages dropped as delivered or held already", duplicates.get()),
                Measurement.counter("malformed_messages_total", "malformed messages dropped", malformed.get()),
                Measurement.counter("unannounced_messages_total",
                        "data messages dropped before their publisher's welcome (replay covers them)", unknown.get())));
    }
}
