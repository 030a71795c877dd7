package org.zmq4j.patterns.sequenced;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.zmq4j.patterns.internal.Counter;

/**
 * The publisher's side of the replay channel, without sockets: says who the publisher is
 * (WELCOME), where each subscriber's stream starts, tells every subscriber the last sequence number
 * of each of its prefixes (STATUS, each heartbeat: how a subscriber learns it missed the tail of a
 * stream), and replays from the {@link Retention} what a subscriber asks for (REPLAY: the messages
 * of a prefix in a range, then END saying how far the answer got and what is no longer kept).
 * A reply stops early when the subscriber's pipe is full; the subscriber asks again from there.
 *
 * <p>Not thread-safe: the replay thread's.
 */
final class ReplayService {
    /** Sends a message to a subscriber; false when its pipe is full (nothing was sent). */
    interface Out {
        boolean send(byte[] routingId, List<byte[]> frames);
    }

    private static final int MAX_PREFIXES_PER_SUBSCRIBER = 64;
    private static final int MAX_SCAN = PrefixRegistry.MAX_SCAN;

    private final byte[] id;
    private final long epoch;
    private final Retention retention;
    private final PrefixRegistry registry;
    private final LongSupplier current;
    private final int maxBatch;
    private final long silenceMillis;
    private final int maxSubscribers;
    private final Out out;
    private final Map<java.nio.ByteBuffer, Subscriber> subscribers = new LinkedHashMap<>();
    private final Counter malformed = new Counter();
    private final Counter replayed = new Counter();
    private final Counter replayRequests = new Counter();
    /** The subscribers' count, for other threads. */
    private volatile int subscriberCount;

    private static final class Subscriber {
        final byte[] routingId;
        final List<PrefixRegistry.Tracked> prefixes;
        long lastHeard;

        Subscriber(byte[] routingId, List<PrefixRegistry.Tracked> prefixes, long now) {
            this.routingId = routingId;
            this.prefixes = prefixes;
            this.lastHeard = now;
        }
    }

    ReplayService(String id, long epoch, Retention retention, PrefixRegistry registry, LongSupplier current, int maxBatch,
            long silenceMillis, int maxSubscribers, Out out) {
        this.id = id.getBytes(StandardCharsets.UTF_8);
        this.epoch = epoch;
        this.retention = retention;
        this.registry = registry;
        this.current = current;
        this.maxBatch = maxBatch;
        this.silenceMillis = silenceMillis;
        this.maxSubscribers = maxSubscribers;
        this.out = out;
    }

    /** Subscribers now (any thread). */
    int subscribers() {
        return subscriberCount;
    }

    /** Malformed commands answered with an error (any thread). */
    long malformed() {
        return malformed.get();
    }

    /** Messages sent by replay since start (any thread). */
    long replayed() {
        return replayed.get();
    }

    /** REPLAY requests taken since start (any thread). */
    long replayRequests() {
        return replayRequests.get();
    }

    /** A command from the subscriber {@code routingId}. */
    void onMessage(byte[] routingId, List<byte[]> frames, long now) {
        try {
            if (ReplayWire.is(frames, ReplayWire.HELLO)) {
                hello(routingId, frames, now);
            } else if (ReplayWire.is(frames, ReplayWire.ALIVE)) {
                Subscriber s = subscribers.get(ByteBuffer.wrap(routingId));
                if (s != null) {
                    s.lastHeard = now;
                }
            } else if (ReplayWire.is(frames, ReplayWire.REPLAY)) {
                replay(routingId, frames, now);
            } else {
                throw new IllegalArgumentException("unknown command");
            }
        } catch (IllegalArgumentException e) {
            malformed.increment();
            out.send(routingId, ReplayWire.frames(ReplayWire.ERROR, e.getMessage().getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void hello(byte[] routingId, List<byte[]> frames, long now) {
        int n = (frames.size() - 1) / 2;
        if (frames.size() % 2 != 1 || n < 1 || n > MAX_PREFIXES_PER_SUBSCRIBER) {
            throw new IllegalArgumentException("SQ-HELLO: 1 to " + MAX_PREFIXES_PER_SUBSCRIBER + " (prefix, start) pairs");
        }
        ByteBuffer key = ByteBuffer.wrap(routingId.clone());
        if (!subscribers.containsKey(key) && subscribers.size() >= maxSubscribers) {
            throw new IllegalArgumentException("SQ-HELLO: " + maxSubscribers + " subscribers already");
        }
        List<PrefixRegistry.Tracked> tracked = new ArrayList<>(n);
        long first = retention.first(); // before the sequence: the oldest kept is never beyond now + 1
        long now0 = current.getAsLong();
        List<byte[]> welcome = ReplayWire.frames(ReplayWire.WELCOME, id, ReplayWire.number(epoch), ReplayWire.number(now0),
                ReplayWire.number(first));
        for (int i = 0; i < n; i++) {
            byte[] prefix = frames.get(1 + 2 * i);
            if (prefix.length > 255) {
                throw new IllegalArgumentException("SQ-HELLO: a prefix is at most 255 bytes");
            }
            StartAt start = ReplayWire.start(frames.get(2 + 2 * i));
            PrefixRegistry.Tracked t = registry.register(prefix);
            if (t == null) {
                throw new IllegalArgumentException("SQ-HELLO: the publisher tracks its most prefixes already");
            }
            tracked.add(t);
            welcome.add(prefix);
            welcome.add(ReplayWire.number(after(prefix, start, now0)));
        }
        subscribers.put(key, new Subscriber(routingId, tracked, now));
        subscriberCount = subscribers.size();
        out.send(routingId, welcome);
    }

    /** Where a stream that starts at {@code start} begins: the sequence number after which messages are wanted. */
    private long after(byte[] prefix, StartAt start, long now0) {
        switch (start.mode()) {
            case NOW:
                return now0;
            case FROM:
                return Math.max(0, start.value() - 1); // FROM 0 (not sent by zmq4j) as FROM 1
            default:
                long first = retention.first();
                long found = 0;
                long g = now0;
                for (; g >= first && g >= 1 && found < start.value() && now0 - g < MAX_SCAN; g--) {
                    Retention.Retained r = retention.get(g);
                    if (r == null) {
                        break;
                    }
                    if (PrefixRegistry.startsWith(r.topic(), prefix)) {
                        found++;
                    }
                }
                return found == start.value() ? g : Math.max(g, Math.min(now0, first - 1));
        }
    }

    private void replay(byte[] routingId, List<byte[]> frames, long now) {
        if (frames.size() != 5) {
            throw new IllegalArgumentException("SQ-REPLAY: epoch, prefix, after, upTo");
        }
        replayRequests.increment();
        long askedEpoch = ReplayWire.number(frames, 1);
        byte[] prefix = frames.get(2);
        long after = ReplayWire.number(frames, 3);
        long upTo = ReplayWire.number(frames, 4);
        Subscriber s = subscribers.get(ByteBuffer.wrap(routingId));
        if (s != null) {
            s.lastHeard = now;
        }
        if (askedEpoch != epoch || after < 0 || upTo < after) {
            end(routingId, prefix, after, after, 0, 0); // another epoch: the END's tells the subscriber which
            return;
        }
        long first = retention.first();
        long last = Math.min(upTo, Math.min(retention.last(), current.getAsLong()));
        long lostFrom = 0;
        long lostTo = 0;
        long through = after;
        if (after + 1 < first) {
            lostFrom = after + 1;
            lostTo = Math.min(upTo, first - 1);
            through = lostTo;
        }
        int sent = 0;
        for (long g = through + 1, scanned = 0; g <= last && sent < maxBatch && scanned < MAX_SCAN; g++, scanned++) {
            Retention.Retained r = retention.get(g);
            if (r == null) {
                break; // dropped meanwhile: the next request finds it lost
            }
            if (PrefixRegistry.startsWith(r.topic(), prefix)) {
                List<byte[]> data = new ArrayList<>(r.frames().size() + 2);
                data.add(ReplayWire.name(ReplayWire.DATA));
                data.add(r.topic());
                data.addAll(r.frames());
                if (!out.send(routingId, data)) {
                    break; // the subscriber's pipe is full: it asks again from 'through'
                }
                sent++;
            }
            through = g;
        }
        replayed.add(sent);
        end(routingId, prefix, after, through, lostFrom, lostTo);
    }

    private void end(byte[] routingId, byte[] prefix, long after, long through, long lostFrom, long lostTo) {
        out.send(routingId, ReplayWire.frames(ReplayWire.END, ReplayWire.number(epoch), prefix, ReplayWire.number(after),
                ReplayWire.number(through), ReplayWire.number(lostFrom), ReplayWire.number(lostTo)));
    }

    /** Each heartbeat: STATUS to every subscriber; those silent too long are forgotten. */
    void tick(long now) {
        byte[] first = ReplayWire.number(retention.first()); // before the sequence, as in WELCOME
        long now0 = current.getAsLong();
        for (Iterator<Subscriber> it = subscribers.values().iterator(); it.hasNext();) {
            Subscriber s = it.next();
            if (now - s.lastHeard > silenceMillis) {
                it.remove();
                subscriberCount = subscribers.size();
                continue;
            }
            List<byte[]> status = ReplayWire.frames(ReplayWire.STATUS, ReplayWire.number(epoch), ReplayWire.number(now0), first);
            for (PrefixRegistry.Tracked t : s.prefixes) {
                long last = t.last.get();
                status.add(t.prefix);
                // the publishing thread sets a prefix's last just before the sequence read above: never beyond it
                long shown = last >= 0 ? Math.min(last, now0) : PrefixRegistry.lastMatch(retention, t.prefix, now0);
                status.add(ReplayWire.number(shown));
            }
            out.send(s.routingId, status);
        }
    }
}
