package org.zmq4j.patterns.mdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.MetricsSource;
import org.zmq4j.patterns.internal.Counter;

/**
 * A Majordomo broker's numbers for {@link org.zmq4j.Context#metrics()} (kind
 * {@code majordomo_broker}, named after its first bound endpoint): counters the broker's loop adds
 * to as it goes, and the services and workers as of the loop's last {@linkplain Snapshot snapshot}
 * (taken at most every 100 ms while something changes).
 *
 * <p>Thread-safety: the counters and {@link #publish} are the loop's; {@link #metrics()} any thread,
 * without a lock.
 */
final class BrokerMetrics implements MetricsSource {
    /** One service's row: its workers, the idle ones among them, the requests waiting for one. */
    record ServiceRow(String service, int workers, int idleWorkers, int queuedRequests) {
    }

    /** The broker's services and workers at one moment; immutable. */
    record Snapshot(int workers, int idleWorkers, int queuedRequests, List<ServiceRow> services) {
        static final Snapshot EMPTY = new Snapshot(0, 0, 0, List.of());
    }

    /** Requests for a service from clients (mmi.* apart), refused ones included. */
    final Counter requests = new Counter();
    /** Requests answered 503 at once: the service's queue was full, or too many services. */
    final Counter rejected = new Counter();
    /** Requests for the broker's own mmi.* services. */
    final Counter mmiRequests = new Counter();
    /** Requests handed to a worker. */
    final Counter dispatched = new Counter();
    /** Final replies of workers passed to their clients. */
    final Counter replies = new Counter();
    /** Partial replies (MDP/0.2) of workers passed on. */
    final Counter partialReplies = new Counter();
    /** Requests dropped after waiting their time (requestTtl) for a worker. */
    final Counter requestsExpired = new Counter();
    /** Requests lost with the worker serving them (expired, disconnected, or broke the protocol). */
    final Counter requestsLost = new Counter();
    /** READYs accepted. */
    final Counter registrations = new Counter();
    /** Workers dropped for missing heartbeats (or the busy timeout). */
    final Counter workerExpirations = new Counter();
    /** Workers that said DISCONNECT, or were disconnected for breaking the protocol. */
    final Counter workerDisconnects = new Counter();

    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile String name = "majordomo";

    /** The loop's new view of services and workers. */
    void publish(Snapshot s) {
        snapshot = s;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** Names the broker after its endpoint (the first bound). */
    void name(String endpoint) {
        name = endpoint;
    }

    @Override
    public ComponentMetrics metrics() {
        Snapshot s = snapshot;
        List<Measurement> m = new ArrayList<>(16 + 3 * s.services().size());
        m.add(Measurement.gauge("services", "services known (with workers, or requests waiting)", s.services().size()));
        m.add(Measurement.gauge("workers", "workers registered, idle or busy", s.workers()));
        m.add(Measurement.gauge("idle_workers", "workers waiting for a request", s.idleWorkers()));
        m.add(Measurement.gauge("queued_requests", "requests waiting for a worker, all services", s.queuedRequests()));
        for (ServiceRow r : s.services()) {
            Map<String, String> label = Map.of("service", r.service());
            m.add(new Measurement("service_workers", "the service's workers, idle or busy", Measurement.Kind.GAUGE, label,
                    r.workers()));
            m.add(new Measurement("service_idle_workers", "the service's workers waiting for a request",
                    Measurement.Kind.GAUGE, label, r.idleWorkers()));
            m.add(new Measurement("service_queued_requests", "the service's requests waiting for a worker",
                    Measurement.Kind.GAUGE, label, r.queuedRequests()));
        }
        m.add(Measurement.counter("requests_total", "requests from clients for a service (mmi.* apart)", requests.get()));
        m.add(Measurement.counter("rejected_requests_total", "requests answered 503 at once (queue full, too many services)",
                rejected.get()));
        m.add(Measurement.counter("mmi_requests_total", "requests for the broker's mmi.* services", mmiRequests.get()));
        m.add(Measurement.counter("dispatched_requests_total", "requests handed to a worker", dispatched.get()));
        m.add(Measurement.counter("replies_total", "final replies of workers passed to their clients", replies.get()));
        m.add(Measurement.counter("partial_replies_total", "partial replies (MDP/0.2) passed to their clients",
                partialReplies.get()));
        m.add(Measurement.counter("requests_expired_total", "requests dropped after waiting their time for a worker",
                requestsExpired.get()));
        m.add(Measurement.counter("requests_lost_total", "requests lost with the worker serving them", requestsLost.get()));
        m.add(Measurement.counter("worker_registrations_total", "workers that said READY", registrations.get()));
        m.add(Measurement.counter("worker_expirations_total", "workers dropped for missing heartbeats",
                workerExpirations.get()));
        m.add(Measurement.counter("worker_disconnects_total", "workers that disconnected or were disconnected",
                workerDisconnects.get()));
        return new ComponentMetrics("majordomo_broker", name, m);
    }
}
