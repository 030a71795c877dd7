package org.zmq4j.patterns.clone;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * A server's map: the latest KVPUB of every key, sorted (so a subtree is a range), with the
 * ephemeral keys' expiry times in a queue. Times are the caller's clock, in milliseconds.
 *
 * <p>Not thread-safe: the server loop's.
 */
final class KvStore {
    /** A stored key: its last update and when it expires (0: never). */
    record Entry(Kvmsg update, long expiresAt) {
    }

    private record Expiry(long at, String key, Entry entry) {
    }

    private final TreeMap<String, Entry> map = new TreeMap<>();
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));

    /** Stores {@code update} (a deletion removes), expiring after {@code ttlMillis} when positive. */
    void apply(Kvmsg update, long ttlMillis, long now) {
        if (update.isDelete()) {
            map.remove(update.key());
            return;
        }
        Entry e = new Entry(update, ttlMillis > 0 ? Math.max(1, now + ttlMillis) : 0);
        map.put(update.key(), e);
        if (e.expiresAt != 0) {
            expiries.add(new Expiry(e.expiresAt, update.key(), e));
        }
    }

    /** Stores {@code update} with the TTL of its {@code ttl} property. */
    void apply(Kvmsg update, long now) {
        apply(update, ttlMillis(update), now);
    }

    static long ttlMillis(Kvmsg update) {
        return (long) Math.ceil(update.ttlSeconds() * 1000);
    }

    /** Removes and returns the keys whose time is up at {@code now}. */
    List<String> expire(long now) {
        List<String> gone = new ArrayList<>();
        Expiry x;
        while ((x = expiries.peek()) != null && x.at - now <= 0) {
            expiries.poll();
            if (map.get(x.key) == x.entry) { // not overwritten since
                map.remove(x.key);
                gone.add(x.key);
            }
        }
        return gone;
    }

    /** The time of the next expiry, or {@code Long.MAX_VALUE}. */
    long nextExpiry() {
        while (!expiries.isEmpty() && map.get(expiries.peek().key) != expiries.peek().entry) {
            expiries.poll(); // overwritten or deleted: forget it
        }
        return expiries.isEmpty() ? Long.MAX_VALUE : expiries.peek().at;
    }

    /** The entries whose key starts with {@code subtree}, in key order (a copy of the references). */
    List<Entry> subtree(String subtree) {
        Map<String, Entry> range = subtree.isEmpty() ? map : map.subMap(subtree, true, subtree + Character.MAX_VALUE, false);
        List<Entry> out = new ArrayList<>(range.size());
        for (Map.Entry<String, Entry> e : range.entrySet()) {
            if (e.getKey().startsWith(subtree)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    Entry get(String key) {
        return map.get(key);
    }

    int size() {
        return map.size();
    }

    void clear() {
        map.clear();
        expiries.clear();
    }
}
