package org.zmq4j.patterns.ppp;

import java.util.List;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.MetricsSource;
import org.zmq4j.patterns.internal.Counter;

/**
 * A Paranoid Pirate queue's numbers for {@link org.zmq4j.Context#metrics()} (kind {@code ppp_queue},
 * named after its frontend endpoint). The queue holds no requests of its own (they wait in the
 * clients' queues while no worker does), so there is no queue length to show; the workers it knows
 * are the waiting ones (a busy worker is silent until its reply).
 *
 * <p>Thread-safety: the counters and the gauge are written by the queue's loop; {@link #metrics()}
 * any thread, without a lock.
 */
final class QueueMetrics implements MetricsSource {
    /** Requests passed to a worker. */
    final Counter requests = new Counter();
    /** Replies passed back to a client. */
    final Counter replies = new Counter();
    /** Waiting workers dropped for silence. */
    final Counter workerExpirations = new Counter();
    /** Messages dropped as malformed (a request without an envelope, a worker's unknown message). */
    final Counter malformed = new Counter();

    private volatile int workers;
    private volatile String name = "ppqueue";

    /** The loop's count of waiting workers. */
    void workers(int n) {
        if (n != workers) {
            workers = n;
        }
    }

    int workers() {
        return workers;
    }

    void name(String endpoint) {
        name = endpoint;
    }

    @Override
    public ComponentMetrics metrics() {
        return new ComponentMetrics("ppp_queue", name, List.of(
                Measurement.gauge("workers", "workers waiting for a request (busy ones are not known until they reply)",
                        workers),
                Measurement.counter("requests_total", "requests passed to a worker", requests.get()),
                Measurement.counter("replies_total", "replies passed back to a client", replies.get()),
                Measurement.counter("worker_expirations_total", "waiting workers dropped for missing heartbeats",
                        workerExpirations.get()),
                Measurement.counter("malformed_messages_total", "messages dropped as malformed", malformed.get())));
    }
}
