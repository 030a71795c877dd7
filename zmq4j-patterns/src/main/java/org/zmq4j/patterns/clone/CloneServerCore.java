package org.zmq4j.patterns.clone;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Clone server decides, without sockets or threads: the map, the sequence, ephemeral keys,
 * and the two roles of a Binary Star pair.
 * <ul>
 * <li><b>Active</b>: every KVSET from the collector gets the next sequence number, is stored and
 * is returned for publishing as a KVPUB; expired keys are deleted the same way; snapshots are
 * served from the map.</li>
 * <li><b>Passive</b>: the map follows the active peer's KVPUBs (after a snapshot of the peer's
 * map: {@link #beginSync}, {@link #syncEntry}, {@link #endSync}); a sequence gap or a HUGZ ahead
 * of the map asks for a new snapshot. The clients' KVSETs, which reach both servers, wait in a
 * pending list until the peer publishes them (matched by UUID); on takeover
 * ({@link #becomeActive}) the ones the peer never published are applied and published. So an
 * update is lost in a failover only if it reached neither the backup's collector nor, through
 * the active's KVPUB, the backup's subscriber. A KVSET without a UUID cannot be matched and is not
 * held by a passive server.</li>
 * </ul>
 * The zguide's model six keeps the peer's update on the pending list when it arrives before the
 * client's copy, and republishes it at takeover; here such UUIDs go to a separate, bounded list of
 * confirmations that only cancels the client's late copy.
 *
 * <p>Not thread-safe: one thread (the server loop's). Times are milliseconds of a monotonic clock.
 */
final class CloneServerCore {
    /** What a peer's KVPUB or HUGZ did to a passive server's map. */
    enum PeerResult {
        /** Stored (or held until the snapshot ends). */
        APPLIED,
        /** Not newer than the map: ignored. */
        IGNORED,
        /** Updates were missed: a new snapshot of the peer's map is needed. */
        GAP
    }

    private final KvStore store = new KvStore();
    private final int maxPending;
    private final int maxKeys;
    private final LinkedHashMap<Kvmsg.UuidKey, Kvmsg> pending = new LinkedHashMap<>();
    private final LinkedHashMap<Kvmsg.UuidKey, Boolean> confirmed = new LinkedHashMap<>();
    private final ArrayDeque<Kvmsg> syncBacklog = new ArrayDeque<>();
    private long sequence;
    private boolean active;
    private boolean syncing;
    private boolean synced;
    private long droppedPending;
    private long refusedKeys;

    /**
     * @param active     whether the server starts active (a standalone server) or passive
     * @param maxPending the most client updates a passive server holds (the oldest go first)
     * @param maxKeys    the most keys the map holds: a KVSET of a new key beyond is refused
     */
    CloneServerCore(boolean active, int maxPending, int maxKeys) {
        this.active = active;
        this.synced = active;
        this.maxPending = maxPending;
        this.maxKeys = maxKeys;
    }

    boolean active() {
        return active;
    }

    /** The last sequence number published (active) or followed (passive). */
    long sequence() {
        return sequence;
    }

    int size() {
        return store.size();
    }

    int pendingCount() {
        return pending.size();
    }

    boolean syncing() {
        return syncing;
    }

    /** Whether a passive server's map is a full copy of its peer's (a snapshot completed). */
    boolean synced() {
        return synced;
    }

    long droppedPending() {
        return droppedPending;
    }

    long refusedKeys() {
        return refusedKeys;
    }

    /**
     * A client's KVSET from the collector (the key is not a reserved one).
     *
     * @return the KVPUB to publish, or null (passive: held or dropped; or refused: map full)
     */
    Kvmsg collect(Kvmsg set, long now) {
        if (active) {
            return publish(set, now);
        }
        Kvmsg.UuidKey id = set.uuidKey();
        if (id == null || confirmed.remove(id) != null) {
            return null; // unmatchable, or the peer published it already
        }
        pending.put(id, set);
        if (pending.size() > maxPending) {
            Iterator<Kvmsg.UuidKey> oldest = pending.keySet().iterator();
            oldest.next();
            oldest.remove();
            droppedPending++;
        }
        return null;
    }

    private Kvmsg publish(Kvmsg set, long now) {
        if (!set.isDelete() && store.get(set.key()) == null && store.size() >= maxKeys) {
            refusedKeys++;
            return null;
        }
        Kvmsg pub = set.withSequence(++sequence);
        store.apply(pub, now);
        return pub;
    }

    /** Deletes the keys whose TTL ran out (active only): the KVPUBs to publish. */
    List<Kvmsg> expire(long now) {
        if (!active) {
            return List.of();
        }
        List<Kvmsg> out = new ArrayList<>();
        for (String key : store.expire(now)) {
            out.add(new Kvmsg(key, ++sequence, null, null, null));
        }
        return out;
    }

    /** When {@link #expire} has work next, or {@code Long.MAX_VALUE}. */
    long nextExpiry() {
        return store.nextExpiry();
    }

    /** The heartbeat: HUGZ with the current sequence, as the zguide's servers send it. */
    Kvmsg hugz() {
        return new Kvmsg(Chp.HUGZ, sequence, null, null, null);
    }

    /**
     * A snapshot of {@code subtree}: a KVSYNC per key (its UUID and properties, the {@code ttl} one
     * giving the whole seconds left, rounded up), then KTHXBAI with the current sequence and the subtree.
     */
    List<Kvmsg> snapshot(String subtree, long now) {
        List<KvStore.Entry> entries = store.subtree(subtree);
        List<Kvmsg> out = new ArrayList<>(entries.size() + 1);
        for (KvStore.Entry e : entries) {
            Kvmsg m = e.update();
            if (e.expiresAt() != 0) {
                Map<String, String> props = new LinkedHashMap<>(m.properties());
                props.put(Chp.TTL, Long.toString(Math.max(1, (e.expiresAt() - now + 999) / 1000))); // whole seconds, as set
                m = m.withProperties(props);
            }
            out.add(m);
        }
        out.add(new Kvmsg(Chp.KTHXBAI, sequence, null, null, subtree.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    /** Takes over: applies and returns (for publishing) the client updates the peer never published. */
    List<Kvmsg> becomeActive(long now) {
        active = true;
        syncing = false;
        syncBacklog.clear();
        List<Kvmsg> out = new ArrayList<>(pending.size());
        for (Kvmsg set : pending.values()) {
            Kvmsg pub = publish(set, now);
            if (pub != null) {
                out.add(pub);
            }
        }
        pending.clear();
        confirmed.clear();
        return out;
    }

    /** Stands by: the map is to follow the peer's, starting with a snapshot ({@link #beginSync}). */
    void becomePassive() {
        active = false;
    }

    /** A snapshot of the peer's whole map begins: the map is emptied, the peer's updates are held. */
    void beginSync() {
        store.clear();
        syncBacklog.clear();
        syncing = true;
        synced = false;
    }

    /** One KVSYNC of the peer's snapshot. */
    void syncEntry(Kvmsg kvsync, long now) {
        store.apply(kvsync, now);
    }

    /**
     * The peer's KTHXBAI: the map is the peer's at {@code seq}; the updates held meanwhile are
     * applied.
     *
     * @return {@link PeerResult#GAP} when even these skip a number (another snapshot is needed)
     */
    PeerResult endSync(long seq, long now) {
        syncing = false;
        synced = true;
        sequence = seq;
        PeerResult result = PeerResult.APPLIED;
        Kvmsg held;
        while (result != PeerResult.GAP && (held = syncBacklog.poll()) != null) {
            result = follow(held, now);
        }
        syncBacklog.clear();
        return result;
    }

    /** A KVPUB or HUGZ from the active peer's publisher (passive only). */
    PeerResult fromPeer(Kvmsg pub, long now) {
        boolean hugz = Chp.HUGZ.equals(pub.key());
        if (!hugz) {
            confirm(pub);
        }
        if (syncing) {
            if (!hugz) {
                syncBacklog.add(pub);
                if (syncBacklog.size() > maxPending) {
                    syncBacklog.poll(); // the gap shows when the snapshot ends
                }
            }
            return PeerResult.APPLIED;
        }
        return synced ? follow(pub, now) : PeerResult.IGNORED;
    }

    private PeerResult follow(Kvmsg pub, long now) {
        if (Chp.HUGZ.equals(pub.key())) {
            return pub.sequence() > sequence ? PeerResult.GAP : PeerResult.IGNORED;
        }
        if (pub.sequence() <= sequence) {
            return PeerResult.IGNORED;
        }
        if (pub.sequence() != sequence + 1) {
            return PeerResult.GAP;
        }
        sequence = pub.sequence();
        store.apply(pub, now);
        return PeerResult.APPLIED;
    }

    private void confirm(Kvmsg pub) {
        Kvmsg.UuidKey id = pub.uuidKey();
        if (id == null || pending.remove(id) != null) {
            return;
        }
        confirmed.put(id, Boolean.TRUE); // the client's copy is still on its way: it will find this
        if (confirmed.size() > maxPending) {
            Iterator<Kvmsg.UuidKey> oldest = confirmed.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The stored entry of {@code key} (tests). */
    Kvmsg get(String key) {
        KvStore.Entry e = store.get(key);
        return e == null ? null : e.update();
    }
}
