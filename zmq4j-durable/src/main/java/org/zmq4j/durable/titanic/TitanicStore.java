package org.zmq4j.durable.titanic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.zmq4j.durable.journal.Journal;
import org.zmq4j.patterns.internal.Counter;

/**
 * Titanic's requests and replies in one {@link Journal} (not a file per request): a record per
 * request, per reply and per close, replayed on start into an index of the open requests; bodies
 * are read back from the journal when asked for. Segments go once every request in them is closed.
 * <pre>
 *   REQUEST  0x01 | uuid (16) | service length (1) | service | frames (4) | { length (4) | bytes }
 *   REPLY    0x02 | uuid (16) | frames (4) | { length (4) | bytes }
 *   CLOSE    0x03 | uuid (16)
 * </pre>
 *
 * <p>Thread-safety: thread-safe (synchronized); each method that stores returns once the record is
 * durable under the journal's policy.
 */
final class TitanicStore {
    private static final byte REQUEST = 0x01;
    private static final byte REPLY = 0x02;
    private static final byte CLOSE = 0x03;
    private static final HexFormat HEX = HexFormat.of();

    /** An open request. */
    private static final class Entry {
        final String service;
        final long requestIndex;
        long replyIndex = -1;

        Entry(String service, long requestIndex) {
            this.service = service;
            this.requestIndex = requestIndex;
        }
    }

    /** A request waiting for its reply, as the dispatcher takes it. */
    record Pending(String uuid, String service, List<byte[]> body) {
    }

    private final Journal journal;
    private final Map<String, Entry> open = new HashMap<>();
    /** Requests without a reply, oldest first. */
    private final LinkedHashSet<String> pending = new LinkedHashSet<>();
    /** Journal indices of the open requests' records, to know what may be released. */
    private final TreeSet<Long> live = new TreeSet<>();
    /** Requests, replies and closes stored since this store opened; written under the lock. */
    private final Counter requests = new Counter();
    private final Counter replies = new Counter();
    private final Counter closes = new Counter();
    /** {@link #counts()} as of the last change, for other threads (no lock: a store may hold it through an fsync). */
    private volatile int openCount;
    private volatile int pendingCount;

    TitanicStore(Journal journal) throws IOException {
        this.journal = journal;
        journal.replay(journal.firstIndex(), (index, r) -> {
            byte kind = r.get();
            byte[] id = new byte[16];
            r.get(id);
            String uuid = HEX.formatHex(id);
            switch (kind) {
                case REQUEST -> {
                    byte[] service = new byte[r.get() & 0xff];
                    r.get(service);
                    open.put(uuid, new Entry(new String(service, StandardCharsets.UTF_8), index));
                    pending.add(uuid);
                    live.add(index);
                }
                case REPLY -> {
                    Entry e = open.get(uuid);
                    if (e != null) {
                        e.replyIndex = index;
                        pending.remove(uuid);
                        live.add(index);
                    }
                }
                case CLOSE -> forget(uuid);
                default -> throw new IOException("titanic store " + journal + ": record " + index + " of unknown kind " + kind);
            }
        });
        published();
    }

    /** Publishes the counts for {@link #openRequests()} and {@link #pendingRequests()}. Under the lock. */
    private void published() {
        openCount = open.size();
        pendingCount = pending.size();
    }

    /** Open requests, as of the last change (any thread, no lock). */
    int openRequests() {
        return openCount;
    }

    /** Open requests without a reply, as of the last change (any thread, no lock). */
    int pendingRequests() {
        return pendingCount;
    }

    /** Requests stored since this store opened (any thread). */
    long requestsStored() {
        return requests.get();
    }

    /** Replies stored since this store opened (any thread). */
    long repliesStored() {
        return replies.get();
    }

    /** Requests closed since this store opened (any thread). */
    long requestsClosed() {
        return closes.get();
    }

    private void forget(String uuid) {
        Entry e = open.remove(uuid);
        if (e != null) {
            pending.remove(uuid);
            live.remove(e.requestIndex);
            live.remove(e.replyIndex);
        }
    }

    private static ByteBuffer record(byte kind, String uuid, String service, List<byte[]> frames) {
        byte[] svc = service == null ? null : service.getBytes(StandardCharsets.UTF_8);
        int size = 17 + (svc == null ? 0 : 1 + svc.length) + (frames == null ? 0 : 4);
        if (frames != null) {
            for (byte[] f : frames) {
                size += 4 + f.length;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(kind).put(HEX.parseHex(uuid));
        if (svc != null) {
            b.put((byte) svc.length).put(svc);
        }
        if (frames != null) {
            b.putInt(frames.size());
            for (byte[] f : frames) {
                b.putInt(f.length).put(f);
            }
        }
        return b.flip();
    }

    private static List<byte[]> frames(ByteBuffer r) {
        int n = r.getInt();
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] f = new byte[r.getInt()];
            r.get(f);
            out.add(f);
        }
        return out;
    }

    private long durably(ByteBuffer record) throws IOException {
        long index = journal.append(record);
        try {
            if (!journal.awaitDurable(index, java.time.Duration.ofMinutes(1))) {
                throw new IOException("titanic store " + journal + ": record " + index + " not durable after a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while storing", e);
        }
        return index;
    }

    /** Stores a new request (durably) and returns its UUID (32 lower-case hex digits). */
    synchronized String request(String service, List<byte[]> body, String uuid) throws IOException {
        long index = durably(record(REQUEST, uuid, service, body));
        open.put(uuid, new Entry(service, index));
        pending.add(uuid);
        live.add(index);
        requests.increment();
        published();
        notifyAll();
        return uuid;
    }

    /** Stores the reply of {@code uuid} (durably); false when the request is closed meanwhile. */
    synchronized boolean reply(String uuid, List<byte[]> reply) throws IOException {
        Entry e = open.get(uuid);
        if (e == null || e.replyIndex >= 0) {
            return false;
        }
        e.replyIndex = durably(record(REPLY, uuid, null, reply));
        pending.remove(uuid);
        live.add(e.replyIndex);
        replies.increment();
        published();
        return true;
    }

    /** Closes {@code uuid} (idempotent); releases the journal's segments nothing open needs. */
    synchronized void close(String uuid) throws IOException {
        if (!open.containsKey(uuid)) {
            return;
        }
        durably(record(CLOSE, uuid, null, null));
        forget(uuid);
        closes.increment();
        published();
        journal.release(live.isEmpty() ? journal.nextIndex() : live.first());
    }

    /** Whether {@code uuid} is open. */
    synchronized boolean known(String uuid) {
        return open.containsKey(uuid);
    }

    /** The reply of {@code uuid}, or null when there is none yet (or the request is unknown). */
    synchronized List<byte[]> replyOf(String uuid) throws IOException {
        Entry e = open.get(uuid);
        if (e == null || e.replyIndex < 0) {
            return null;
        }
        ByteBuffer r = ByteBuffer.wrap(journal.read(e.replyIndex));
        r.position(17);
        return frames(r);
    }

    /**
     * The oldest requests without a reply whose service is not in {@code skip}, waiting up to
     * {@code millis} for one when there is none.
     */
    synchronized Pending nextPending(java.util.Set<String> skip, long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            for (String uuid : pending) {
                Entry e = open.get(uuid);
                if (!skip.contains(e.service)) {
                    ByteBuffer r = ByteBuffer.wrap(journal.read(e.requestIndex));
                    r.position(17);
                    r.position(r.position() + 1 + (r.get(17) & 0xff));
                    return new Pending(uuid, e.service, frames(r));
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Open requests, and how many of them wait for a reply. */
    synchronized int[] counts() {
        return new int[] {open.size(), pending.size()};
    }

    synchronized void wakeDispatcher() {
        notifyAll();
    }
}
