package org.zmq4j.patterns.sequenced;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.patterns.internal.Multipart;

/**
 * A subscriber to {@link SequencedPublisher}s that hands over each publisher's messages of each
 * subscribed prefix in sequence order, once each, repairing what it missed (the publisher's HWM
 * dropped it, the connection was down, it joined late and asked for the past) by replay from the
 * publisher's retention. What cannot be repaired because the publisher no longer has it arrives as
 * a {@link SequencedEvent.Gap} naming the exact range; a publisher that restarted without its
 * retention shows as a {@link SequencedEvent.NewEpoch}, never as a gap or a duplicate.
 * <pre>{@code
 * try (SequencedSubscriber sub = SequencedSubscriber.builder().subscribe("EUR", StartAt.last(100))
 *         .connect(ctx, "tcp://pricer:5556", "tcp://pricer:5557")) {
 *     SequencedEvent e;
 *     while ((e = sub.receive(Duration.ofSeconds(1))) != null) {
 *         if (e instanceof SequencedEvent.Message m) { ... m.sequence(), m.topic(), m.payload() ... }
 *         else if (e instanceof SequencedEvent.Gap g) { ... g.from() .. g.to() are gone ... }
 *     }
 * }
 * }</pre>
 * <b>What is ordered:</b> the messages of one publisher that match one prefix, by that publisher's
 * sequence numbers. Messages of different publishers, and of one publisher's different prefixes,
 * are not ordered with respect to each other (each is handed over as soon as it is in order
 * within its own stream). Prefixes of one subscriber must not overlap (not "a" and "ab").
 *
 * <p>Thread-safety: one thread at a time, as a socket (the work, replay included, happens inside
 * {@link #receive}); {@link #connect} too.
 *
 * <p>Metrics: until {@link #close()} its numbers are among its Context's
 * {@link Context#metrics() components}, kind {@code sequenced_subscriber}: {@code publishers}, {@code pending_messages},
 * {@code messages_total}, {@code gaps_detected_total}, {@code gaps_repaired_total},
 * {@code messages_lost_total}, {@code replay_requests_total}, {@code duplicates_total} and more.
 */
public final class SequencedSubscriber implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.sequenced");

    private final Context ctx;
    private final Map<String, StartAt> prefixes;
    private final byte[][] prefixBytes;
    private final String[] prefixStrings;
    private final long heartbeatMillis;
    private final int maxPending;
    private final Socket data;
    private final Poller poller = new Poller();
    private final List<Link> links = new ArrayList<>();
    private final Map<String, Link> byPublisher = new HashMap<>();
    private final ArrayDeque<SequencedEvent> ready = new ArrayDeque<>();
    private long nextTick;
    private long lastReplayRead;
    private final SubscriberMetrics metrics = new SubscriberMetrics();
    private boolean named;

    /** One publisher: its replay DEALER and, once it said who it is, its streams. */
    private final class Link implements StreamTracker.Actions {
        final String replayEndpoint;
        final Socket dealer;
        final Map<String, StreamTracker> trackers = new LinkedHashMap<>();
        final StreamTracker[] byIndex = new StreamTracker[prefixes.size()];
        String publisher;
        byte[] publisherBytes;
        long epoch;
        long lastHeard;
        long lastHello;

        Link(String replayEndpoint) {
            this.replayEndpoint = replayEndpoint;
            dealer = ctx.socket(SocketType.DEALER);
            dealer.setOption(Option.LINGER, 0);
            dealer.setOption(Option.RCVHWM, 0);
            dealer.connect(replayEndpoint);
            int i = 0;
            for (String p : prefixes.keySet()) {
                byIndex[i] = new StreamTracker(p, maxPending, 5 * heartbeatMillis, this);
                trackers.put(p, byIndex[i++]);
            }
        }

        void hello(long now) {
            List<byte[]> f = ReplayWire.frames(ReplayWire.HELLO);
            prefixes.forEach((p, start) -> {
                f.add(p.getBytes(StandardCharsets.UTF_8));
                f.add(ReplayWire.start(start));
            });
            send(f);
            lastHello = now;
        }

        /** Sends a command; false when it could not leave (not connected yet, or full). */
        boolean send(List<byte[]> frames) {
            for (int i = 0; i < frames.size(); i++) {
                if (!dealer.send(frames.get(i), Socket.DONTWAIT | (i < frames.size() - 1 ? Socket.SNDMORE : 0)) && i == 0) {
                    return false; // not connected yet or full: the hello or the retry covers it
                }
            }
            return true;
        }

        @Override
        public void requestReplay(StreamTracker t, long after, long upTo) {
            if (send(ReplayWire.frames(ReplayWire.REPLAY, ReplayWire.number(epoch), t.prefix().getBytes(StandardCharsets.UTF_8),
                    ReplayWire.number(after), ReplayWire.number(upTo)))) {
                metrics.replayRequests.increment();
            }
        }

        @Override
        public void deliver(SequencedEvent event) {
            ready.add(event);
        }

        @Override
        public void gapDetected(StreamTracker t) {
            metrics.gapsDetected.increment();
        }

        @Override
        public void gapRepaired(StreamTracker t) {
            metrics.gapsRepaired.increment();
        }

        @Override
        public void duplicate(StreamTracker t) {
            metrics.duplicates.increment();
        }

        @Override
        public void heldChanged(int delta) {
            metrics.held.add(delta);
        }

        void onReply(List<byte[]> m, long now) {
            lastHeard = now;
            if (ReplayWire.is(m, ReplayWire.DATA) && m.size() >= 3 && publisher != null) {
                onData(this, m.subList(1, m.size()), true, now);
            } else if (ReplayWire.is(m, ReplayWire.WELCOME) && m.size() >= 5 && m.size() % 2 == 1) {
                welcome(m, now);
            } else if (ReplayWire.is(m, ReplayWire.STATUS) && m.size() >= 4 && m.size() % 2 == 0) {
                long e = ReplayWire.number(m, 1);
                if (e != epoch) {
                    hello(now);
                    return;
                }
                for (int i = 4; i + 1 < m.size(); i += 2) {
                    StreamTracker t = trackers.get(new String(m.get(i), StandardCharsets.UTF_8));
                    if (t != null) {
                        t.onStatus(ReplayWire.number(m, i + 1), now);
                    }
                }
            } else if (ReplayWire.is(m, ReplayWire.END) && m.size() == 7) {
                long e = ReplayWire.number(m, 1);
                StreamTracker t = trackers.get(new String(m.get(2), StandardCharsets.UTF_8));
                if (e != epoch) {
                    hello(now);
                } else if (t != null) {
                    t.onEnd(ReplayWire.number(m, 3), ReplayWire.number(m, 4), ReplayWire.number(m, 5), ReplayWire.number(m, 6), now);
                }
            } else if (ReplayWire.is(m, ReplayWire.ERROR)) {
                LOG.log(Level.WARNING, "sequenced publisher at " + replayEndpoint + " refused: "
                        + (m.size() > 1 ? new String(m.get(1), StandardCharsets.UTF_8) : "?"));
            } else {
                metrics.malformed.increment();
            }
        }

        private void welcome(List<byte[]> m, long now) {
            String id = new String(m.get(1), StandardCharsets.UTF_8);
            long e = ReplayWire.number(m, 2);
            long publisherNow = ReplayWire.number(m, 3);
            Link other = byPublisher.get(id);
            if (other != null && other != this) {
                LOG.log(Level.ERROR, "two publishers named '" + id + "' (" + other.replayEndpoint + ", " + replayEndpoint
                        + "): ignoring the second");
                return;
            }
            boolean restarted = publisher != null && e != epoch;
            if (restarted) {
                for (StreamTracker t : trackers.values()) {
                    if (t.incomplete()) {
                        ready.add(new SequencedEvent.Gap(publisher, epoch, t.prefix(), t.after() + 1, t.knownEnd()));
                    }
                }
                ready.add(new SequencedEvent.NewEpoch(id, e, epoch));
            }
            publisher = id;
            publisherBytes = m.get(1).clone();
            epoch = e;
            byPublisher.put(id, this);
            metrics.publishers(byPublisher.size());
            for (int i = 5; i + 1 < m.size(); i += 2) {
                StreamTracker t = trackers.get(new String(m.get(i), StandardCharsets.UTF_8));
                if (t != null) {
                    // after a restart the new epoch is followed from its first message, whatever the start was
                    t.begin(id, e, restarted ? 0 : ReplayWire.number(m, i + 1), publisherNow, now);
                }
            }
        }
    }

    private SequencedSubscriber(Context ctx, Builder b) {
        this.ctx = ctx;
        this.prefixes = new LinkedHashMap<>(b.prefixes);
        this.prefixBytes = new byte[prefixes.size()][];
        this.prefixStrings = prefixes.keySet().toArray(new String[0]);
        for (int i = 0; i < prefixStrings.length; i++) {
            prefixBytes[i] = prefixStrings[i].getBytes(StandardCharsets.UTF_8);
        }
        this.heartbeatMillis = b.heartbeat.toMillis();
        this.maxPending = b.maxPending;
        data = ctx.socket(SocketType.SUB);
        data.setOption(Option.LINGER, 0);
        data.setOption(Option.RCVHWM, b.rcvhwm);
        for (byte[] p : prefixBytes) {
            data.setOption(Option.SUBSCRIBE, p);
        }
        poller.register(data, Poller.POLLIN);
        if (b.name != null) {
            named = true;
            metrics.name(b.name);
        }
        ctx.addMetricsSource(metrics); // kind sequenced_subscriber, until close()
    }

    /** How to build a subscriber. */
    public static Builder builder() {
        return new Builder();
    }

    /** Follows one more publisher: its data (PUB) and replay (ROUTER) endpoints. */
    public SequencedSubscriber connect(String dataEndpoint, String replayEndpoint) {
        Link l = new Link(Objects.requireNonNull(replayEndpoint, "replayEndpoint"));
        data.connect(Objects.requireNonNull(dataEndpoint, "dataEndpoint"));
        links.add(l);
        if (!named) {
            named = true;
            metrics.name(dataEndpoint);
        }
        poller.register(l.dealer, Poller.POLLIN);
        l.hello(now());
        return this;
    }

    /**
     * The next event, waiting up to {@code timeout}; null when none came. The replay work happens
     * here too: call it regularly (a subscriber silent for ten of the publisher's heartbeats is
     * forgotten, and greets it again).
     */
    public SequencedEvent receive(Duration timeout) {
        SequencedEvent e = ready.poll();
        if (e != null) {
            return metrics.handedOut(e); // the common case under load: no clock, no poll
        }
        long t = now();
        long deadline = t + timeout.toMillis();
        boolean polled = false;
        while (true) {
            if (work(t, polled)) {
                polled = false;
                e = ready.poll();
                if (e != null) {
                    return metrics.handedOut(e);
                }
            } else {
                if (t - deadline > 0) {
                    return null;
                }
                poller.poll(Math.max(0, Math.min(deadline, nextTick) - t));
                polled = true;
            }
            t = now();
        }
    }

    /**
     * Reads what arrived; whether anything did. The replay channels are read after a poll, and at
     * least every millisecond while data flows (a DEALER read that finds nothing costs about what a
     * data message does).
     */
    private boolean work(long now, boolean polled) {
        boolean any = false;
        List<byte[]> m;
        Link last = null;
        for (int i = 0; i < 1000 && ready.isEmpty() && (m = Multipart.recvNow(data)) != null; i++) { // until an event is ready: a short queue
            any = true;
            if (m.size() < 2 || !Header.plausible(m.get(1))) {
                metrics.malformed.increment();
                continue;
            }
            byte[] h = m.get(1);
            Link l = last != null && Header.publishedBy(h, last.publisherBytes) ? last : linkOf(h);
            if (l == null) {
                metrics.unknown.increment(); // before its WELCOME: the start covers it by replay
                continue;
            }
            last = l;
            if (Header.epochOf(h) != l.epoch) {
                if (now - l.lastHello > heartbeatMillis) {
                    l.hello(now); // a restarted publisher: its WELCOME starts the new epoch
                }
                continue;
            }
            track(l, m, false, now);
        }
        if (!polled && now == lastReplayRead) {
            return any;
        }
        lastReplayRead = now;
        for (Link l : links) {
            for (int i = 0; i < 1000 && (m = Multipart.recvNow(l.dealer)) != null; i++) {
                any = true;
                try {
                    l.onReply(m, now);
                } catch (IllegalArgumentException e) {
                    metrics.malformed.increment();
                }
            }
        }
        if (now - nextTick >= 0) {
            any = true;
            nextTick = now + heartbeatMillis;
            for (Link l : links) {
                if (l.publisher == null || now - l.lastHeard > 3 * heartbeatMillis) {
                    if (now - l.lastHello >= 3 * heartbeatMillis) {
                        l.hello(now); // not greeted yet, or the publisher went quiet (restarted, or forgot us)
                    }
                } else {
                    l.send(ReplayWire.frames(ReplayWire.ALIVE));
                }
                for (StreamTracker t : l.trackers.values()) {
                    t.tick(now);
                }
            }
        }
        return any;
    }

    private Link linkOf(byte[] header) {
        for (Link l : links) {
            if (l.publisherBytes != null && Header.publishedBy(header, l.publisherBytes)) {
                return l;
            }
        }
        return null;
    }

    private void onData(Link l, List<byte[]> frames, boolean replayed, long now) {
        byte[] h = frames.get(1);
        if (!Header.plausible(h)) {
            metrics.malformed.increment();
            return;
        }
        if (Header.epochOf(h) == l.epoch && Header.publishedBy(h, l.publisherBytes)) {
            metrics.replayed.increment();
            track(l, frames, replayed, now);
        }
    }

    private void track(Link l, List<byte[]> m, boolean replayed, long now) {
        byte[] topic = m.get(0);
        byte[] h = m.get(1);
        for (int i = 0; i < prefixBytes.length; i++) {
            if (PrefixRegistry.startsWith(topic, prefixBytes[i])) {
                long previous = Header.previousOf(h, prefixBytes[i]);
                long seq = Header.sequenceOf(h);
                if (previous == -2 || seq < 1 || previous >= seq) {
                    metrics.malformed.increment();
                    return;
                }
                List<byte[]> payload;
                if (m.size() == 2) {
                    payload = List.of(Header.bodyOf(h));
                } else {
                    List<byte[]> all = new ArrayList<>(m.size() - 1);
                    all.add(Header.bodyOf(h));
                    all.addAll(m.subList(2, m.size()));
                    payload = java.util.Collections.unmodifiableList(all);
                }
                SequencedEvent.Message msg = new SequencedEvent.Message(l.publisher, l.epoch, seq, prefixStrings[i], topic,
                        payload, replayed);
                l.byIndex[i].onMessage(seq, previous, msg, now);
                return; // prefixes do not overlap
            }
        }
    }

    /** Malformed messages dropped (data or replay channel). */
    public long malformed() {
        return metrics.malformed.get();
    }

    /** Messages received by replay. */
    public long replayed() {
        return metrics.replayed.get();
    }

    /** Duplicates discarded, over every stream. */
    public long duplicates() {
        long d = 0;
        for (Link l : links) {
            for (StreamTracker t : l.trackers.values()) {
                d += t.duplicates();
            }
        }
        return d;
    }

    private static long now() {
        return System.nanoTime() / 1_000_000L;
    }

    /** Closes the sockets; the subscriber's numbers leave the Context's metrics. */
    @Override
    public void close() {
        ctx.removeMetricsSource(metrics);
        poller.close();
        data.close();
        for (Link l : links) {
            l.dealer.close();
        }
    }

    /** How to build a {@link SequencedSubscriber}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, StartAt> prefixes = new LinkedHashMap<>();
        private Duration heartbeat = Duration.ofSeconds(1);
        private int maxPending = 100_000;
        private int rcvhwm = 1000;
        private String name;

        private Builder() {
        }

        /**
         * The name the subscriber's numbers carry in {@link Context#metrics()} (kind
         * {@code sequenced_subscriber}); by default its first data endpoint.
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Subscribes to {@code prefix} ("" for everything) from now on. */
        public Builder subscribe(String prefix) {
            return subscribe(prefix, StartAt.now());
        }

        /** Subscribes to {@code prefix}, starting at {@code start}. Prefixes must not overlap. */
        public Builder subscribe(String prefix, StartAt start) {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(start, "start");
            if (prefix.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("a prefix is at most 255 bytes: " + prefix);
            }
            for (String p : prefixes.keySet()) {
                if (p.startsWith(prefix) || prefix.startsWith(p)) {
                    throw new IllegalArgumentException("prefix '" + prefix + "' overlaps '" + p
                            + "': subscribe to the shorter one only");
                }
            }
            prefixes.put(prefix, start);
            return this;
        }

        /** The heartbeat this subscriber keeps with publishers (default 1 s; use the publishers'). */
        public Builder heartbeat(Duration d) {
            if (d.toMillis() <= 0) {
                throw new IllegalArgumentException("the heartbeat must be positive, not " + d);
            }
            heartbeat = d;
            return this;
        }

        /** Messages held per stream while earlier ones are replayed (default 100,000). */
        public Builder maxPending(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxPending must be positive, not " + n);
            }
            maxPending = n;
            return this;
        }

        /** The data socket's RCVHWM (default 1000). */
        public Builder rcvhwm(int n) {
            rcvhwm = n;
            return this;
        }

        /** Builds the subscriber and follows its first publisher. */
        public SequencedSubscriber connect(Context ctx, String dataEndpoint, String replayEndpoint) {
            if (prefixes.isEmpty()) {
                throw new IllegalArgumentException("subscribe to a prefix first (\"\" for everything)");
            }
            return new SequencedSubscriber(Objects.requireNonNull(ctx, "ctx"), this).connect(dataEndpoint, replayEndpoint);
        }
    }
}
