package org.zmq4j.durable.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.zmq4j.ZmqException;
import org.zmq4j.durable.journal.Journal;
import org.zmq4j.patterns.internal.Counter;

/**
 * A durable sender's messages between {@code send} and the receiver's acknowledgement: each is
 * journaled (sequence = journal index) and kept in a ring for (re)transmission; a full window
 * (capacity messages unacknowledged) makes {@link #append} wait. Messages older than the ring (after
 * a restart) are read back from the journal.
 *
 * <p>Thread-safety: {@link #append}, {@link #awaitAcknowledged} from any thread; {@link #payload},
 * {@link #acknowledge} and {@link #published} from the sender's loop thread (they are thread-safe too).
 */
final class SendWindow {
    private final Journal journal;
    private final String what;
    private final int capacity;
    private final byte[][] ring;
    private final int mask;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Highest acknowledged sequence (-1 and below: none). Guarded by lock, read anywhere. */
    private volatile long acked;
    /** Sequences below this are in the ring or the journal (written after the ring slot). */
    private volatile long published;
    /** The lowest sequence the ring holds. */
    private long ringBase;
    private long releasedUpTo;
    private volatile String failure;
    private volatile boolean closed;
    /** When each message of the ring was appended (System.nanoTime()), by slot: for the oldest's age. */
    private final java.util.concurrent.atomic.AtomicLongArray appendedAt;
    /** The first sequence this window appended; older ones came from the journal at open. */
    private final long firstAppended;
    private final long openedAt = System.nanoTime();
    /** Messages appended (journaled) by this window; written under the lock. */
    private final Counter appended = new Counter();
    /** Messages acknowledged since this window opened (by WELCOME or ACK); the loop's. */
    private final Counter acknowledgedCount = new Counter();

    SendWindow(Journal journal, int capacity, String what) {
        this.journal = journal;
        this.what = what;
        this.capacity = capacity;
        int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.ring = new byte[size][];
        this.mask = size - 1;
        this.appendedAt = new java.util.concurrent.atomic.AtomicLongArray(size);
        this.published = journal.nextIndex();
        this.firstAppended = published;
        this.ringBase = published;
        this.acked = journal.firstIndex() - 1; // until the receiver says more (WELCOME)
        this.releasedUpTo = journal.firstIndex();
    }

    /**
     * Journals {@code payload} (a copy is kept) and returns its sequence, waiting while the window is full.
     *
     * @throws ZmqException EAGAIN when the window stayed full for {@code timeoutNanos} (negative: forever),
     *                      ETERM when the sender closes meanwhile
     */
    long append(byte[] payload, long timeoutNanos) throws InterruptedException {
        byte[] copy = payload.clone();
        lock.lockInterruptibly();
        try {
            long left = timeoutNanos;
            while (journal.nextIndex() - (acked + 1) >= capacity) {
                checkUsable();
                if (timeoutNanos >= 0 && left <= 0) {
                    throw new ZmqException(ZmqException.Errno.EAGAIN, what + ": the window of " + capacity
                            + " unacknowledged messages stayed full for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                            + " ms (is the receiver up?)");
                }
                if (timeoutNanos < 0) {
                    changed.await(1, TimeUnit.SECONDS);
                } else {
                    left = changed.awaitNanos(left);
                }
            }
            checkUsable();
            long seq;
            try {
                seq = journal.append(copy);
            } catch (IOException e) {
                throw new UncheckedIOException(what + ": the journal refused the message", e);
            }
            ring[(int) (seq & mask)] = copy;
            appendedAt.lazySet((int) (seq & mask), System.nanoTime());
            appended.increment();
            published = seq + 1; // volatile: a reader that sees it sees the slot and the time
            return seq;
        } finally {
            lock.unlock();
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        if (closed) {
            throw new ZmqException(ZmqException.Errno.ETERM, what + " is closed");
        }
    }

    /** Sequences below this can be transmitted once durable. */
    long published() {
        return published;
    }

    long acked() {
        return acked;
    }

    long firstAvailable() {
        return journal.firstIndex();
    }

    /** The payload of {@code seq} (in the ring, or read back from the journal). */
    byte[] payload(long seq) {
        if (seq >= ringBase) {
            byte[] p = ring[(int) (seq & mask)];
            if (p != null) {
                return p;
            }
        }
        try {
            return journal.read(seq);
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot read message " + seq + " back from the journal", e);
        }
    }

    /** Everything up to {@code seq} is acknowledged: frees its slots and room in the window. */
    void acknowledge(long seq) {
        if (seq <= acked) {
            return;
        }
        lock.lock();
        try {
            long to = Math.min(seq, published - 1);
            for (long s = Math.max(ringBase, acked + 1); s <= to; s++) {
                ring[(int) (s & mask)] = null;
            }
            ringBase = Math.max(ringBase, to + 1);
            acknowledgedCount.add(seq - acked);
            acked = seq;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (seq + 1 - releasedUpTo >= 1024) {
            try {
                journal.release(seq + 1);
                releasedUpTo = seq + 1;
            } catch (IOException e) {
                throw new UncheckedIOException(what + ": cannot delete acknowledged journal segments", e);
            }
        }
    }

    /** Messages appended through this window (any thread). */
    long appendedCount() {
        return appended.get();
    }

    /** Messages acknowledged since this window opened (any thread). */
    long acknowledgedCount() {
        return acknowledgedCount.get();
    }

    /** Messages appended and not acknowledged (any thread). */
    long unacknowledged() {
        return Math.max(0, published - 1 - acked);
    }

    /**
     * How long the oldest unacknowledged message has waited, in nanoseconds at {@code now}
     * ({@link System#nanoTime()}); 0 when none waits. A message journaled before this window opened
     * (a restart) counts from the opening. Any thread.
     */
    long oldestUnacknowledgedAgeNanos(long now) {
        long oldest = acked + 1;
        if (oldest >= published) {
            return 0;
        }
        long since = oldest < firstAppended ? openedAt : appendedAt.get((int) (oldest & mask));
        return Math.max(0, now - since);
    }

    /** Waits until {@code seq} is acknowledged. @return false on timeout */
    boolean awaitAcknowledged(long seq, long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = timeoutNanos;
            while (acked < seq) {
                checkUsable();
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Makes every waiting and later call fail with {@code message}. */
    void fail(String message) {
        lock.lock();
        try {
            failure = message;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    String failure() {
        return failure;
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
