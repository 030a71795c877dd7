package org.zmq4j.patterns.sequenced;

import java.util.Map;
import java.util.TreeMap;

/**
 * One publisher's stream of one prefix, as a subscriber sees it, without sockets: what arrived
 * (live or replayed), what is missing, what to ask for, what to hand over in order.
 * <p>
 * {@code after} is the sequence number up to which every message of the prefix was delivered (or
 * reported lost). A message whose link to the previous message of its prefix points at or below
 * {@code after} is next in line; one that points above it shows a gap, and the tracker asks for a
 * replay of everything after {@code after} up to just before the first message it holds. A replay
 * answer (END) says how far it got: everything held up to there is complete and is delivered, and
 * what the publisher no longer kept is reported as a gap. A STATUS whose last number for the prefix
 * is beyond {@code after} twice running (the data may simply be on its way the first time) shows a
 * lost tail, asked for the same way. Messages that arrive out of order wait in a bounded window;
 * beyond it the newest are dropped, to be replayed later.
 *
 * <p>Not thread-safe: the subscriber's thread.
 */
final class StreamTracker {
    /** What the tracker asks of its owner. */
    interface Actions {
        void requestReplay(StreamTracker tracker, long after, long upTo);

        void deliver(SequencedEvent event);

        /** A gap was found (messages held past a hole, or a lost tail): a replay is asked for it. */
        default void gapDetected(StreamTracker tracker) {
        }

        /** A gap found earlier is filled, entirely by replay (nothing of it was reported lost). */
        default void gapRepaired(StreamTracker tracker) {
        }

        /** A message that was delivered already, or is held already, came again and was dropped. */
        default void duplicate(StreamTracker tracker) {
        }

        /** The number of messages held out of order changed by {@code delta}. */
        default void heldChanged(int delta) {
        }
    }

    /** A message held until the ones before it are in. */
    record Held(long previous, SequencedEvent.Message message) {
    }

    private final String prefix;
    private final int maxPending;
    private final long retryMillis;
    private final Actions actions;
    private final TreeMap<Long, Held> pending = new TreeMap<>();
    private String publisher;
    private long epoch;
    private long after = -1;
    private long asked = -1;
    private long askedUpTo;
    private long askedDeadline;
    private long suspectedTail;
    private long duplicates;
    private long dropped;
    private long lost;
    private long lowestDropped = Long.MAX_VALUE;
    /** The last sequence number of the gap being repaired, -1 when none is. */
    private long gapEnd = -1;
    /** Whether part of that gap was reported lost. */
    private boolean gapLost;
    /** How many held messages {@link Actions#heldChanged} has been told of. */
    private int reportedHeld;

    StreamTracker(String prefix, int maxPending, long retryMillis, Actions actions) {
        this.prefix = prefix;
        this.maxPending = maxPending;
        this.retryMillis = retryMillis;
        this.actions = actions;
    }

    String prefix() {
        return prefix;
    }

    long after() {
        return after;
    }

    long epoch() {
        return epoch;
    }

    int pending() {
        return pending.size();
    }

    long duplicates() {
        return duplicates;
    }

    /** Messages dropped because the window was full (replayed later). */
    long dropped() {
        return dropped;
    }

    /** Sequence numbers reported lost. */
    long lost() {
        return lost;
    }

    /** The highest sequence number known to exist in this stream (held, asked for, or in a STATUS). */
    long knownEnd() {
        long end = after;
        if (!pending.isEmpty()) {
            end = Math.max(end, pending.lastKey());
        }
        if (asked >= 0) {
            end = Math.max(end, askedUpTo);
        }
        return Math.max(end, suspectedTail);
    }

    /** Whether something is known to be missing (held messages, an open request, a suspected tail). */
    boolean incomplete() {
        return !pending.isEmpty() || asked >= 0 || suspectedTail > after;
    }

    /**
     * The stream (re)starts: epoch {@code epoch} of {@code publisher}, wanting what comes after
     * {@code start}; the publisher is at {@code publisherNow}.
     */
    void begin(String publisher, long epoch, long start, long publisherNow, long now) {
        boolean sameEpoch = this.epoch == epoch && after >= 0;
        this.publisher = publisher;
        if (!sameEpoch) {
            if (this.epoch != epoch) {
                pending.clear();
            }
            this.epoch = epoch;
            after = start;
            asked = -1;
            suspectedTail = 0;
            gapEnd = -1; // a gap of the previous epoch was reported as one
        }
        pending.headMap(after, true).clear();
        advance(now);
        if (asked < 0 && publisherNow > after && pending.isEmpty()) {
            ask(after, publisherNow, now);
        }
        reportHeld();
    }

    /** A message of this stream, live ({@code replayed} false) or by replay; {@code previous} -1 when it carries no link. */
    void onMessage(long sequence, long previous, SequencedEvent.Message m, long now) {
        long linked = previous < 0 ? sequence - 1 : previous; // no link: take it as following its predecessor
        if (after >= 0 && sequence > after && linked <= after && pending.isEmpty()) {
            after = sequence; // next in line, nothing held: the common case
            actions.deliver(m);
            if (gapEnd >= 0) {
                settleGap();
            }
            return;
        }
        if (after >= 0 && sequence <= after || pending.containsKey(sequence)) {
            duplicates++;
            actions.duplicate(this);
            return;
        }
        pending.put(sequence, new Held(linked, m));
        if (pending.size() > maxPending) {
            lowestDropped = Math.min(lowestDropped, pending.pollLastEntry().getKey());
            dropped++;
        }
        if (after >= 0) {
            advance(now);
        }
        reportHeld();
    }

    /** A replay answer: every message of the prefix in (requestAfter, through] was sent; lostFrom..lostTo are gone. */
    void onEnd(long requestAfter, long through, long lostFrom, long lostTo, long now) {
        if (after < 0) {
            return;
        }
        long wanted = -1;
        if (requestAfter == asked) {
            asked = -1;
            wanted = askedUpTo;
        }
        if (through >= lowestDropped) {
            through = lowestDropped - 1; // a message of the answer was dropped from the full window: ask for it again
            if (lostTo > through) {
                lostTo = through;
            }
        }
        if (lostFrom > 0 && lostTo >= lostFrom && lostTo > after) {
            long from = Math.max(lostFrom, after + 1);
            lost += lostTo - from + 1;
            actions.deliver(new SequencedEvent.Gap(publisher, epoch, prefix, from, lostTo));
            after = lostTo;
            if (gapEnd >= 0 && from <= gapEnd) {
                gapLost = true;
            }
        }
        if (through > after) {
            for (Map.Entry<Long, Held> e = pending.firstEntry(); e != null && e.getKey() <= through; e = pending.firstEntry()) {
                pending.pollFirstEntry();
                if (e.getKey() > after) {
                    deliver(e.getKey(), e.getValue());
                }
            }
            after = through;
        }
        if (after >= lowestDropped - 1 || pending.isEmpty()) {
            lowestDropped = Long.MAX_VALUE;
        }
        advance(now);
        if (asked < 0 && wanted > after) {
            ask(after, wanted, now); // the answer stopped early (a full pipe, a long range): the rest
        }
        settleGap();
        reportHeld();
    }

    /** Tells the owner how the number of held messages moved since it was last told. */
    private void reportHeld() {
        int held = pending.size();
        if (held != reportedHeld) {
            actions.heldChanged(held - reportedHeld);
            reportedHeld = held;
        }
    }

    /** The publisher's STATUS: the last message of the prefix it sent is {@code last}. */
    void onStatus(long last, long now) {
        if (after < 0 || last <= after) {
            suspectedTail = 0;
            return;
        }
        if (asked >= 0 || !pending.isEmpty()) {
            return; // being repaired already
        }
        if (suspectedTail > after && last >= suspectedTail) {
            gap(last);
            ask(after, last, now);
        } else {
            suspectedTail = last;
        }
    }

    /** Time passes: an unanswered request is asked again. */
    void tick(long now) {
        if (asked >= 0 && now - askedDeadline >= 0) {
            ask(asked, askedUpTo, now);
        }
    }

    private void advance(long now) {
        Map.Entry<Long, Held> e;
        while ((e = pending.firstEntry()) != null) {
            if (e.getKey() <= after) {
                pending.pollFirstEntry();
            } else if (e.getValue().previous() <= after) {
                pending.pollFirstEntry();
                deliver(e.getKey(), e.getValue());
            } else {
                break;
            }
        }
        if (!pending.isEmpty() && asked < 0) {
            gap(pending.firstKey() - 1);
            ask(after, pending.firstKey() - 1, now);
        }
        settleGap();
    }

    /** A hole up to {@code upTo} is to be repaired: a new gap, unless it is part of the one being repaired. */
    private void gap(long upTo) {
        settleGap(); // the one before may just have been filled
        if (gapEnd >= 0) {
            gapEnd = Math.max(gapEnd, upTo); // the same gap: an early-stopped answer, a longer hole
            return;
        }
        gapEnd = upTo;
        gapLost = false;
        actions.gapDetected(this);
    }

    /** Closes the gap being repaired once everything up to its end is in. */
    private void settleGap() {
        if (gapEnd >= 0 && after >= gapEnd) {
            gapEnd = -1;
            if (!gapLost) {
                actions.gapRepaired(this);
            }
        }
    }

    private void deliver(long sequence, Held h) {
        after = sequence;
        actions.deliver(h.message());
    }

    private void ask(long from, long upTo, long now) {
        asked = from;
        askedUpTo = upTo;
        askedDeadline = now + retryMillis;
        suspectedTail = 0;
        actions.requestReplay(this, from, upTo);
    }
}
