package org.zmq4j.micrometer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.Context;
import org.zmq4j.ContextMetrics;
import org.zmq4j.HandshakeFailureReason;
import org.zmq4j.IoThreadMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.SocketMetrics;

/**
 * A {@link Context}'s metrics as Micrometer meters: every open socket's counters and queues, the I/O
 * threads' load, and the numbers of the components added to the Context
 * ({@link Context#addMetricsSource}).
 * <pre>{@code
 * ZmqMetrics zmq = new ZmqMetrics(ctx, Tags.of("context", "main"));
 * zmq.bindTo(registry);   // meters now, and a refresh every second from now on
 * ...
 * zmq.close();            // stops the refreshes and removes the meters
 * }</pre>
 *
 * <h2>Meters</h2>
 * Every meter has the tags given to the constructor. A socket's meters have the tags
 * {@code socket.id} (its {@link SocketMetrics#id()}, unique in the process) and {@code socket.type}
 * ({@code PUSH}...):
 * <ul>
 * <li>function counters {@code zmq4j.socket.messages.sent}, {@code zmq4j.socket.messages.received}
 * (whole messages); {@code zmq4j.socket.payload.sent}, {@code zmq4j.socket.payload.received}
 * (payload bytes of every frame, base unit bytes); {@code zmq4j.socket.dropped.hwm},
 * {@code zmq4j.socket.unroutable}, {@code zmq4j.socket.send.would.block},
 * {@code zmq4j.socket.receive.would.block}; {@code zmq4j.socket.send.blocked} (time sends waited for
 * room, base unit seconds);</li>
 * <li>connection event counters {@code zmq4j.socket.connected}, {@code zmq4j.socket.accepted},
 * {@code zmq4j.socket.disconnected}, {@code zmq4j.socket.connect.retries},
 * {@code zmq4j.socket.heartbeat.timeouts}, and {@code zmq4j.socket.handshake.failures} with a
 * {@code reason} tag for every {@link HandshakeFailureReason};</li>
 * <li>gauges {@code zmq4j.socket.peers}, {@code zmq4j.socket.connections},
 * {@code zmq4j.socket.queued.out}, {@code zmq4j.socket.queued.in} (messages queued, every
 * connection added up), {@code zmq4j.socket.send.hwm}, {@code zmq4j.socket.receive.hwm}.</li>
 * </ul>
 * The Context: gauges {@code zmq4j.context.sockets} and {@code zmq4j.context.connections}. Each I/O
 * thread, tagged {@code thread} with its name: gauge {@code zmq4j.io.thread.busy} (the share of its
 * life spent working, 0 to 1), function counter {@code zmq4j.io.thread.busy.time} (seconds; its
 * rate is the recent busy ratio), function counter {@code zmq4j.io.thread.wakeups}, gauge
 * {@code zmq4j.io.thread.connections}.
 * <p>
 * Each {@link Measurement} of a component becomes {@code zmq4j.<kind>.<name>} with the name's
 * underscores turned into dots and a counter's {@code _total} suffix dropped
 * ({@code majordomo_broker} / {@code service_requests_total} gives
 * {@code zmq4j.majordomo_broker.service.requests}); a counter becomes a function counter, a gauge a
 * gauge; it is tagged {@code component} with the component's name and with the measurement's labels,
 * and gets base unit seconds or bytes when its name ends so.
 *
 * <h2>Sockets come and go</h2>
 * {@link #refresh()} registers the meters of every socket (I/O thread, measurement) seen since the
 * last refresh and removes from the registry the meters of those that are gone, so a closed socket
 * leaves no meter behind. {@link #bindTo} refreshes once and starts a daemon thread that refreshes
 * every {@link #DEFAULT_REFRESH_INTERVAL} (or the interval given to the constructor);
 * {@link #close()} stops it and removes every meter this binder registered. Between a socket's close
 * and the next refresh its meters keep their last values.
 *
 * <h2>Snapshots</h2>
 * The meters do not read the sockets one by one: they read one snapshot of
 * {@link Context#metrics()}, kept for {@link #DEFAULT_SNAPSHOT_MAX_AGE} (or the age given to the
 * constructor) and taken again by the first meter read after that. A scrape of hundreds of meters
 * costs one snapshot; a value is at most that old, or as old as the last {@link #refresh()}, which
 * takes a new snapshot.
 * <p>
 * Meter names are the same for every Context: to bind several Contexts to one registry, give each
 * binder a distinguishing tag ({@code context=...}), or their Context meters collide (the first one
 * registered wins). Some registries (Prometheus) want every meter of one name to have the same tag
 * keys; the measurements of one component kind should therefore keep the same labels.
 * <p>
 * Thread-safety: thread-safe. {@link #bindTo}, {@link #refresh()} and {@link #close()} may be called
 * from any thread and are serialized with each other and with the refresher thread; the meters may
 * be read from any thread meanwhile. A binder may be bound to several registries.
 */
public final class ZmqMetrics implements MeterBinder, AutoCloseable {
    /** How often the sockets are looked at again by default: every second. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);

    /** How long a snapshot serves the meters by default: 200 ms. */
    public static final Duration DEFAULT_SNAPSHOT_MAX_AGE = Duration.ofMillis(200);

    /** Micrometer's base unit of time; {@link BaseUnits} has none for seconds. */
    private static final String SECONDS = "seconds";

    private static final System.Logger LOG = System.getLogger("org.zmq4j.micrometer");

    private final Context context;
    private final Tags tags;
    private final Duration refreshInterval;
    private final long maxAgeNanos;

    private final Object snapshotLock = new Object();
    private volatile Snapshot snapshot;

    private final List<Binding> bindings = new ArrayList<>(); // guarded by this
    private ScheduledExecutorService refresher; // guarded by this
    private boolean closed; // guarded by this

    /**
     * Meters without extra tags, refreshed every second.
     *
     * @param context the Context
     */
    public ZmqMetrics(Context context) {
        this(context, Tags.empty());
    }

    /**
     * Meters with extra tags, refreshed every second.
     *
     * @param context the Context
     * @param tags    added to every meter, such as {@code context=main}
     */
    public ZmqMetrics(Context context, Iterable<Tag> tags) {
        this(context, tags, DEFAULT_REFRESH_INTERVAL, DEFAULT_SNAPSHOT_MAX_AGE);
    }

    /**
     * Meters with extra tags, a refresh interval and a snapshot age of one's choosing.
     *
     * @param context         the Context
     * @param tags            added to every meter
     * @param refreshInterval how often a daemon thread calls {@link #refresh()} once bound; zero for
     *                        no thread (the caller refreshes)
     * @param snapshotMaxAge  how long one snapshot of {@link Context#metrics()} serves the meters;
     *                        zero for a new one at every read
     * @throws IllegalArgumentException for a negative duration
     */
    public ZmqMetrics(Context context, Iterable<Tag> tags, Duration refreshInterval, Duration snapshotMaxAge) {
        this.context = Objects.requireNonNull(context, "context");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (refreshInterval.isNegative() || snapshotMaxAge.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative: " + refreshInterval + ", " + snapshotMaxAge);
        }
        this.maxAgeNanos = snapshotMaxAge.toNanos();
    }

    /**
     * Registers the meters of the Context and of everything it has now, and starts the refresher
     * thread if it is not running yet. Binding the same registry again does nothing.
     *
     * @param registry the registry
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("ZmqMetrics is closed");
        }
        for (Binding b : bindings) {
            if (b.registry == registry) {
                return;
            }
        }
        bindings.add(new Binding(registry));
        refresh();
        if (refresher == null && !refreshInterval.isZero()) {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "zmq4j-micrometer-refresh");
                t.setDaemon(true);
                return t;
            });
            long nanos = refreshInterval.toNanos();
            refresher.scheduleWithFixedDelay(this::refreshQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Takes a new snapshot, registers the meters of the sockets, I/O threads and measurements that
     * have none yet in every bound registry, and removes the meters of those that are gone. The
     * refresher thread calls it; call it to see a change at once. Nothing happens after
     * {@link #close()}.
     */
    public synchronized void refresh() {
        if (closed) {
            return;
        }
        Snapshot s = takeSnapshot();
        Map<String, Registrar> wanted = new LinkedHashMap<>();
        wanted.put("context", this::registerContext);
        for (SocketMetrics m : s.metrics.sockets()) {
            wanted.put("socket/" + m.id(), (r, into) -> registerSocket(r, into, m));
        }
        for (IoThreadMetrics t : s.metrics.ioThreadLoad()) {
            wanted.put("thread/" + t.name(), (r, into) -> registerThread(r, into, t));
        }
        for (ComponentMetrics c : s.metrics.components()) {
            for (Measurement m : c.measurements()) {
                wanted.put("measurement/" + key(c, m), (r, into) -> registerMeasurement(r, into, c, m));
            }
        }
        for (Binding b : bindings) {
            b.groups.entrySet().removeIf(g -> {
                if (wanted.containsKey(g.getKey())) {
                    return false;
                }
                g.getValue().forEach(b.registry::remove);
                return true;
            });
            wanted.forEach((key, registrar) -> {
                if (!b.groups.containsKey(key)) {
                    List<Meter> meters = new ArrayList<>();
                    registrar.register(b.registry, meters);
                    b.groups.put(key, meters);
                }
            });
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) { // a failed refresh must not end the schedule
            LOG.log(System.Logger.Level.WARNING, "zmq4j meter refresh failed: " + e, e);
        }
    }

    /**
     * Stops the refresher thread and removes every meter this binder registered from every registry
     * it was bound to. Idempotent; the Context stays open.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (refresher != null) {
            refresher.shutdownNow();
        }
        for (Binding b : bindings) {
            for (List<Meter> meters : b.groups.values()) {
                meters.forEach(b.registry::remove);
            }
            b.groups.clear();
        }
        bindings.clear();
    }

    // ------------------------------------------------------------------ the meters

    /** Registers the meters of one thing in one registry, adding each to {@code into}. */
    @FunctionalInterface
    private interface Registrar {
        void register(MeterRegistry registry, List<Meter> into);
    }

    /** The meters registered in one registry, by the key of what they measure. Guarded by the binder. */
    private static final class Binding {
        final MeterRegistry registry;
        final Map<String, List<Meter>> groups = new HashMap<>();

        Binding(MeterRegistry registry) {
            this.registry = registry;
        }
    }

    /** A thing's latest value in the current snapshot, or its last one once it has gone. Thread-safe. */
    private static final class Latest<T> {
        private volatile T last;

        Latest(T first) {
            this.last = first;
        }

        T from(T now) {
            if (now == null) {
                return last;
            }
            last = now;
            return now;
        }
    }

    private void registerContext(MeterRegistry r, List<Meter> into) {
        gauge(r, into, "zmq4j.context.sockets", "Open sockets of the Context", null, tags,
                () -> snapshot().metrics.sockets().size());
        gauge(r, into, "zmq4j.context.connections", "Connections of every socket of the Context", null, tags,
                () -> snapshot().metrics.connections());
    }

    private void registerSocket(MeterRegistry r, List<Meter> into, SocketMetrics first) {
        int id = first.id();
        Latest<SocketMetrics> latest = new Latest<>(first);
        Tags t = tags.and("socket.id", String.valueOf(id), "socket.type", first.type().name());
        SocketValue v = f -> () -> f.applyAsDouble(latest.from(snapshot().sockets.get(id)));
        counter(r, into, "zmq4j.socket.messages.sent", "Whole messages sent", null, t, v.of(SocketMetrics::messagesSent));
        counter(r, into, "zmq4j.socket.messages.received", "Whole messages received", null, t, v.of(SocketMetrics::messagesReceived));
        counter(r, into, "zmq4j.socket.payload.sent", "Payload bytes sent, all frames", BaseUnits.BYTES, t,
                v.of(SocketMetrics::bytesSent));
        counter(r, into, "zmq4j.socket.payload.received", "Payload bytes received, all frames", BaseUnits.BYTES, t,
                v.of(SocketMetrics::bytesReceived));
        counter(r, into, "zmq4j.socket.dropped.hwm", "Copies of messages dropped because a peer's queue was at SNDHWM", null, t,
                v.of(SocketMetrics::droppedAtHwm));
        counter(r, into, "zmq4j.socket.unroutable", "ROUTER messages for a routing id no peer has, dropped", null, t,
                v.of(SocketMetrics::unroutable));
        counter(r, into, "zmq4j.socket.send.would.block", "Sends that returned without sending (EAGAIN)", null, t,
                v.of(SocketMetrics::sendWouldBlock));
        counter(r, into, "zmq4j.socket.receive.would.block", "Receives that returned nothing (EAGAIN)", null, t,
                v.of(SocketMetrics::receiveWouldBlock));
        counter(r, into, "zmq4j.socket.send.blocked", "Time sends spent waiting for room", SECONDS, t,
                v.of(m -> m.sendBlocked().toNanos() / 1e9));
        counter(r, into, "zmq4j.socket.connected", "Connections made by connect(), reconnects included", null, t,
                v.of(m -> m.events().connected()));
        counter(r, into, "zmq4j.socket.accepted", "Connections accepted on bound endpoints", null, t,
                v.of(m -> m.events().accepted()));
        counter(r, into, "zmq4j.socket.disconnected", "Connections lost or closed", null, t,
                v.of(m -> m.events().disconnected()));
        counter(r, into, "zmq4j.socket.connect.retries", "Reconnects scheduled", null, t, v.of(m -> m.events().connectRetries()));
        counter(r, into, "zmq4j.socket.heartbeat.timeouts", "Connections dropped because heartbeats went unanswered", null, t,
                v.of(m -> m.events().heartbeatTimeouts()));
        for (HandshakeFailureReason reason : HandshakeFailureReason.values()) {
            counter(r, into, "zmq4j.socket.handshake.failures", "Failed ZMTP handshakes by reason", null,
                    t.and("reason", reason.name()), v.of(m -> m.events().handshakeFailures().getOrDefault(reason, 0L)));
        }
        gauge(r, into, "zmq4j.socket.peers", "Peers now: connections past their handshake, inproc peers", null, t,
                v.of(SocketMetrics::peers));
        gauge(r, into, "zmq4j.socket.connections", "Connections now", null, t, v.of(m -> m.connections().size()));
        gauge(r, into, "zmq4j.socket.queued.out", "Messages queued for peers, not yet taken by their connections", null, t,
                v.of(SocketMetrics::queuedOut));
        gauge(r, into, "zmq4j.socket.queued.in", "Messages received, not yet read by the application", null, t,
                v.of(SocketMetrics::queuedIn));
        gauge(r, into, "zmq4j.socket.send.hwm", "SNDHWM (0: none)", null, t, v.of(SocketMetrics::sendHwm));
        gauge(r, into, "zmq4j.socket.receive.hwm", "RCVHWM (0: none)", null, t, v.of(SocketMetrics::receiveHwm));
    }

    /** Turns a value of a socket's metrics into a reader of its latest value. */
    @FunctionalInterface
    private interface SocketValue {
        Reader of(ToDoubleFunction<SocketMetrics> f);
    }

    /** Reads a meter's value. */
    @FunctionalInterface
    private interface Reader {
        double read();
    }

    private void registerThread(MeterRegistry r, List<Meter> into, IoThreadMetrics first) {
        String name = first.name();
        Latest<IoThreadMetrics> latest = new Latest<>(first);
        Tags t = tags.and("thread", name);
        java.util.function.Supplier<IoThreadMetrics> now = () -> latest.from(snapshot().threads.get(name));
        gauge(r, into, "zmq4j.io.thread.busy", "Share of its life the I/O thread spent working, 0 to 1", null, t,
                () -> now.get().busyRatio());
        counter(r, into, "zmq4j.io.thread.busy.time", "Time the I/O thread spent working", SECONDS, t,
                () -> now.get().busy().toNanos() / 1e9);
        counter(r, into, "zmq4j.io.thread.wakeups", "Times the I/O thread came out of its selector", null, t,
                () -> now.get().wakeups());
        gauge(r, into, "zmq4j.io.thread.connections", "Connections the I/O thread serves", null, t,
                () -> now.get().connections());
    }

    private void registerMeasurement(MeterRegistry r, List<Meter> into, ComponentMetrics c, Measurement first) {
        String key = key(c, first);
        Latest<Double> latest = new Latest<>(first.value());
        Reader value = () -> latest.from(snapshot().measurements.get(key));
        String base = first.kind() == Measurement.Kind.COUNTER && first.name().endsWith("_total")
                ? first.name().substring(0, first.name().length() - "_total".length())
                : first.name();
        String unit = base.endsWith("_seconds") ? SECONDS : base.endsWith("_bytes") ? BaseUnits.BYTES : null;
        String name = "zmq4j." + c.kind() + "." + base.replace('_', '.');
        Tags t = tags.and("component", c.name());
        for (Map.Entry<String, String> label : first.labels().entrySet()) {
            t = t.and(label.getKey(), label.getValue());
        }
        if (first.kind() == Measurement.Kind.COUNTER) {
            counter(r, into, name, first.help(), unit, t, value);
        } else {
            gauge(r, into, name, first.help(), unit, t, value);
        }
    }

    private static String key(ComponentMetrics c, Measurement m) {
        return c.kind() + '\u0000' + c.name() + '\u0000' + m.name() + '\u0000' + m.labels();
    }

    private static void counter(MeterRegistry r, List<Meter> into, String name, String help, String unit, Tags tags, Reader value) {
        try {
            // the function holds the reader strongly: the meter lives until this binder removes it
            into.add(FunctionCounter.builder(name, value, Reader::read).description(help).baseUnit(unit).tags(tags).register(r));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot register counter " + name + " " + tags + ": " + e, e);
        }
    }

    private static void gauge(MeterRegistry r, List<Meter> into, String name, String help, String unit, Tags tags, Reader value) {
        try {
            into.add(Gauge.builder(name, value, Reader::read).description(help).baseUnit(unit).tags(tags).strongReference(true)
                    .register(r));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot register gauge " + name + " " + tags + ": " + e, e);
        }
    }

    // ------------------------------------------------------------------ the snapshot

    /** One snapshot of the Context's metrics, indexed. Immutable. */
    private static final class Snapshot {
        final long takenNanos;
        final ContextMetrics metrics;
        final Map<Integer, SocketMetrics> sockets = new HashMap<>();
        final Map<String, IoThreadMetrics> threads = new HashMap<>();
        final Map<String, Double> measurements = new HashMap<>();

        Snapshot(long takenNanos, ContextMetrics metrics) {
            this.takenNanos = takenNanos;
            this.metrics = metrics;
            for (SocketMetrics s : metrics.sockets()) {
                sockets.put(s.id(), s);
            }
            for (IoThreadMetrics t : metrics.ioThreadLoad()) {
                threads.put(t.name(), t);
            }
            for (ComponentMetrics c : metrics.components()) {
                for (Measurement m : c.measurements()) {
                    measurements.put(key(c, m), m.value());
                }
            }
        }
    }

    /** The current snapshot, taken again first if it is older than the maximum age. Never throws. */
    private Snapshot snapshot() {
        Snapshot s = snapshot;
        if (s != null && System.nanoTime() - s.takenNanos < maxAgeNanos) {
            return s;
        }
        synchronized (snapshotLock) {
            s = snapshot;
            if (s != null && System.nanoTime() - s.takenNanos < maxAgeNanos) {
                return s; // another reader took it meanwhile
            }
            return takeSnapshot();
        }
    }

    /** A snapshot taken now; the last one (or an empty one) if the Context fails to give one. */
    private Snapshot takeSnapshot() {
        synchronized (snapshotLock) {
            Snapshot s;
            try {
                s = new Snapshot(System.nanoTime(), context.metrics());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "zmq4j metrics snapshot failed: " + e, e);
                s = new Snapshot(System.nanoTime(), snapshot != null ? snapshot.metrics : new ContextMetrics(0, List.of()));
            }
            snapshot = s;
            return s;
        }
    }

    @Override
    public String toString() {
        return "ZmqMetrics" + tags;
    }
}
