package org.zmq4j.patterns.clone;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a Clone client decides, without sockets or threads (the zguide's {@code clone} agent, model
 * six): ask the current server for a snapshot of the subtree, then follow its updates; when the
 * server stays silent (no update and no HUGZ) for the server TTL, move on to the next server and
 * ask it. A client of the whole map (empty subtree) also notices missed updates, as a gap in the
 * sequence or a HUGZ ahead of it, and asks the same server for a new snapshot. A client of a
 * subtree cannot: the server's filter makes gaps in its sequence normal.
 * <p>
 * The map holds what the server published only (a client's own update shows once the server
 * publishes it). A snapshot replaces the map; the differences are reported as changes.
 *
 * <p>Not thread-safe: one thread (the client's agent). The {@link #map()} it writes is a
 * concurrent map that any thread may read.
 */
final class CloneClientCore {
    /** What the core asks of its owner. */
    interface Actions {
        /** Ask server {@code server} for a snapshot, on a new snapshot connection. */
        void askSnapshot(int server);

        /** A change of the map, in the server's order. */
        void changed(CloneChange change, Kvmsg update);

        /** A snapshot completed: the map is the server's at {@code sequence}. */
        void synced(int server, long sequence, int keys);

        /** Server {@code from} was silent for the server TTL; {@code to} is asked next. */
        void silent(int from, int to);

        /** A gap in the updates of server {@code server}: it is asked for a new snapshot. */
        void gap(int server, long at, long seen);
    }

    enum State {
        IDLE, SYNCING, ACTIVE
    }

    private final int servers;
    private final boolean wholeMap;
    private final long serverTtlMillis;
    private final Actions actions;
    private final NavigableMap<String, Kvmsg> map;
    private final TreeMap<String, Kvmsg> incoming = new TreeMap<>();
    private State state = State.IDLE;
    private int current;
    private long sequence;
    private long expiry;

    /**
     * @param servers         how many servers there are (1 or more)
     * @param subtree         the subtree followed ("" for the whole map)
     * @param serverTtlMillis how long a server may stay silent before the next is asked
     * @param map             the map to keep (read by other threads)
     */
    CloneClientCore(int servers, String subtree, long serverTtlMillis, NavigableMap<String, Kvmsg> map, Actions actions) {
        if (servers < 1) {
            throw new IllegalArgumentException("a Clone client needs a server");
        }
        this.servers = servers;
        this.wholeMap = subtree.isEmpty();
        this.serverTtlMillis = serverTtlMillis;
        this.map = map;
        this.actions = actions;
    }

    State state() {
        return state;
    }

    /** The server asked or followed now. */
    int current() {
        return current;
    }

    /** The sequence of the last update applied (or of the last snapshot). */
    long sequence() {
        return sequence;
    }

    /** When the current server counts as silent. */
    long expiry() {
        return expiry;
    }

    /** Starts with the first server. */
    void start(long now) {
        current = 0;
        ask(now);
    }

    private void ask(long now) {
        state = State.SYNCING;
        incoming.clear();
        expiry = now + serverTtlMillis;
        actions.askSnapshot(current);
    }

    /** A message on the current server's snapshot connection. */
    void onSnapshot(Kvmsg kv, long now) {
        if (state != State.SYNCING) {
            return;
        }
        expiry = now + serverTtlMillis;
        if (!Chp.KTHXBAI.equals(kv.key())) {
            if (!kv.isDelete() && !Chp.reserved(kv.key())) {
                incoming.put(kv.key(), kv);
            }
            return;
        }
        long seq = kv.sequence();
        for (Map.Entry<String, Kvmsg> e : incoming.entrySet()) {
            Kvmsg old = map.put(e.getKey(), e.getValue());
            if (old == null || !Arrays.equals(old.value(), e.getValue().value())) {
                actions.changed(new CloneChange(e.getKey(), e.getValue().value(), seq, true), e.getValue());
            }
        }
        for (String key : map.keySet().toArray(new String[0])) {
            if (!incoming.containsKey(key)) {
                map.remove(key);
                actions.changed(new CloneChange(key, null, seq, true), null);
            }
        }
        incoming.clear();
        sequence = seq;
        state = State.ACTIVE;
        actions.synced(current, seq, map.size());
    }

    /** A message on the current server's updates connection (KVPUB or HUGZ). */
    void onUpdate(Kvmsg kv, long now) {
        if (state != State.ACTIVE) {
            return;
        }
        expiry = now + serverTtlMillis;
        if (Chp.HUGZ.equals(kv.key())) {
            if (wholeMap && kv.sequence() > sequence) {
                resync(kv.sequence(), now);
            }
            return;
        }
        if (kv.sequence() <= sequence || Chp.reserved(kv.key())) {
            return; // older than the map (RFC: discard)
        }
        if (wholeMap && kv.sequence() != sequence + 1) {
            resync(kv.sequence(), now);
            return;
        }
        sequence = kv.sequence();
        if (kv.isDelete()) {
            if (map.remove(kv.key()) != null) {
                actions.changed(new CloneChange(kv.key(), null, sequence, false), kv);
            }
        } else {
            map.put(kv.key(), kv);
            actions.changed(new CloneChange(kv.key(), kv.value(), sequence, false), kv);
        }
    }

    private void resync(long seen, long now) {
        actions.gap(current, sequence, seen);
        ask(now);
    }

    /** Time passes: a silent server is left for the next. */
    void onTick(long now) {
        if (state != State.IDLE && now - expiry >= 0) {
            int from = current;
            current = (current + 1) % servers;
            actions.silent(from, current);
            ask(now);
        }
    }
}
