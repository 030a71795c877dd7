package org.zmq4j.patterns.clone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The Clone cores and kvmsg without sockets: sequencing, TTL, snapshots, the passive server's pending list, the client's gaps and failover. */
class CloneServerCoreTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Kvmsg set(String key, String value) {
        return Kvmsg.set(key, b(value), 0);
    }

    @Test
    void kvmsgRoundTripsAndRejectsMalformedFrames() {
        Kvmsg m = new Kvmsg("/a/b", 42, Kvmsg.newUuid(), Map.of("ttl", "3"), b("v"));
        Kvmsg back = Kvmsg.parse(m.frames());
        assertEquals("/a/b", back.key());
        assertEquals(42, back.sequence());
        assertArrayEquals(m.uuid(), back.uuid());
        assertEquals(Map.of("ttl", "3"), back.properties());
        assertEquals(3.0, back.ttlSeconds());
        assertArrayEquals(b("v"), back.value());
        List<byte[]> f = new ArrayList<>(m.frames());
        f.set(1, new byte[7]);
        assertThrows(IllegalArgumentException.class, () -> Kvmsg.parse(f));
        assertThrows(IllegalArgumentException.class, () -> Kvmsg.parse(m.frames().subList(0, 4)));
        List<byte[]> g = new ArrayList<>(m.frames());
        g.set(2, new byte[5]);
        assertThrows(IllegalArgumentException.class, () -> Kvmsg.parse(g));
        List<byte[]> h = new ArrayList<>(m.frames());
        h.set(3, b("novalue\n"));
        assertThrows(IllegalArgumentException.class, () -> Kvmsg.parse(h));
    }

    @Test
    void theActiveServerSequencesStoresExpiresAndSnapshotsASubtree() {
        CloneServerCore core = new CloneServerCore(true, 100, 100);
        assertEquals(1, core.collect(set("/a/1", "x"), 0).sequence());
        assertEquals(2, core.collect(set("/b/1", "y"), 0).sequence());
        assertEquals(3, core.collect(Kvmsg.set("/a/tmp", b("t"), 2), 0).sequence());
        List<Kvmsg> snap = core.snapshot("/a/", 500);
        assertEquals(List.of("/a/1", "/a/tmp", "KTHXBAI"), snap.stream().map(Kvmsg::key).toList());
        assertEquals("2", snap.get(1).property("ttl"), "the snapshot gives the whole seconds left, rounded up");
        assertEquals(3, snap.get(2).sequence());
        assertArrayEquals(b("/a/"), snap.get(2).value());
        assertEquals(List.of(), core.expire(1999));
        List<Kvmsg> gone = core.expire(2000);
        assertEquals(1, gone.size());
        assertEquals("/a/tmp", gone.get(0).key());
        assertEquals(4, gone.get(0).sequence());
        assertTrue(gone.get(0).isDelete());
        assertNull(core.get("/a/tmp"));
        assertEquals(5, core.collect(new Kvmsg("/a/1", 0, Kvmsg.newUuid(), null, null), 0).sequence(), "a delete");
        assertEquals(1, core.size());
        Kvmsg hugz = core.hugz();
        assertEquals("HUGZ", hugz.key());
        assertEquals(5, hugz.sequence());
    }

    @Test
    void overwritingAnEphemeralKeyCancelsItsExpiry() {
        CloneServerCore core = new CloneServerCore(true, 100, 100);
        core.collect(Kvmsg.set("k", b("1"), 1), 0);
        core.collect(set("k", "2"), 10);
        assertEquals(List.of(), core.expire(5000));
        assertArrayEquals(b("2"), core.get("k").value());
    }

    @Test
    void theMapRefusesNewKeysBeyondItsBound() {
        CloneServerCore core = new CloneServerCore(true, 100, 2);
        core.collect(set("a", "1"), 0);
        core.collect(set("b", "1"), 0);
        assertNull(core.collect(set("c", "1"), 0));
        assertEquals(1, core.refusedKeys());
        assertEquals(3, core.collect(set("a", "2"), 0).sequence(), "an existing key may change");
    }

    @Test
    void aPassiveServerFollowsItsPeerAndPublishesOnlyWhatThePeerNeverDid() {
        CloneServerCore core = new CloneServerCore(false, 100, 100);
        core.beginSync();
        Kvmsg early = set("k0", "v").withSequence(8);
        assertEquals(CloneServerCore.PeerResult.APPLIED, core.fromPeer(early, 0), "held during the snapshot");
        core.syncEntry(set("old", "o").withSequence(3), 0);
        assertEquals(CloneServerCore.PeerResult.APPLIED, core.endSync(7, 0));
        assertEquals(8, core.sequence());
        assertEquals(2, core.size());

        Kvmsg a = set("a", "1");
        Kvmsg b = set("b", "2");
        Kvmsg c = set("c", "3");
        assertNull(core.collect(a, 0), "held: the active publishes it");
        assertEquals(CloneServerCore.PeerResult.APPLIED, core.fromPeer(a.withSequence(9), 0));
        assertEquals(CloneServerCore.PeerResult.APPLIED, core.fromPeer(b.withSequence(10), 0), "the peer's copy first");
        assertNull(core.collect(b, 0), "the client's late copy is cancelled, not held");
        assertNull(core.collect(c, 0));
        assertEquals(1, core.pendingCount());
        assertEquals(CloneServerCore.PeerResult.IGNORED, core.fromPeer(a.withSequence(9), 0), "a duplicate");
        assertEquals(CloneServerCore.PeerResult.GAP, core.fromPeer(set("z", "z").withSequence(12), 0));

        List<Kvmsg> published = core.becomeActive(0);
        assertEquals(1, published.size(), "only c, which the peer never published");
        assertEquals("c", published.get(0).key());
        assertEquals(11, published.get(0).sequence());
        assertTrue(core.active());
    }

    @Test
    void aPassiveServerSeesATailGapInTheHugz() {
        CloneServerCore core = new CloneServerCore(false, 100, 100);
        core.beginSync();
        core.endSync(5, 0);
        assertEquals(CloneServerCore.PeerResult.IGNORED, core.fromPeer(new Kvmsg("HUGZ", 5, null, null, null), 0));
        assertEquals(CloneServerCore.PeerResult.GAP, core.fromPeer(new Kvmsg("HUGZ", 6, null, null, null), 0));
    }

    @Test
    void thePendingListIsBounded() {
        CloneServerCore core = new CloneServerCore(false, 3, 100);
        for (int i = 0; i < 5; i++) {
            core.collect(set("k" + i, "v"), 0);
        }
        assertEquals(3, core.pendingCount());
        assertEquals(2, core.droppedPending());
        assertEquals(List.of("k2", "k3", "k4"), core.becomeActive(0).stream().map(Kvmsg::key).toList());
    }

    /** Records what the client core asks for. */
    private static final class Recorder implements CloneClientCore.Actions {
        final List<String> log = new ArrayList<>();
        final List<CloneChange> changes = new ArrayList<>();

        @Override
        public void askSnapshot(int server) {
            log.add("ask " + server);
        }

        @Override
        public void changed(CloneChange change, Kvmsg update) {
            changes.add(change);
        }

        @Override
        public void synced(int server, long sequence, int keys) {
            log.add("synced " + server + " " + sequence + " " + keys);
        }

        @Override
        public void silent(int from, int to) {
            log.add("silent " + from + " " + to);
        }

        @Override
        public void gap(int server, long at, long seen) {
            log.add("gap " + at + " " + seen);
        }
    }

    @Test
    void aClientOfTheWholeMapResyncsOnAGapAndFailsOverOnSilence() {
        Recorder r = new Recorder();
        NavigableMap<String, Kvmsg> map = new TreeMap<>();
        CloneClientCore c = new CloneClientCore(2, "", 5000, map, r);
        c.start(0);
        c.onSnapshot(set("a", "1").withSequence(1), 10);
        c.onSnapshot(new Kvmsg("KTHXBAI", 4, null, null, null), 10);
        assertEquals(List.of("ask 0", "synced 0 4 1"), r.log);
        c.onUpdate(set("b", "2").withSequence(5), 20);
        c.onUpdate(set("b", "2").withSequence(5), 20); // duplicate: discarded
        assertEquals(2, r.changes.size());
        c.onUpdate(set("c", "3").withSequence(7), 30);
        assertEquals("gap 5 7", r.log.get(2));
        assertEquals(CloneClientCore.State.SYNCING, c.state());
        c.onSnapshot(set("a", "1").withSequence(1), 40);
        c.onSnapshot(set("c", "3").withSequence(7), 40);
        c.onSnapshot(new Kvmsg("KTHXBAI", 7, null, null, null), 40);
        assertEquals(List.of("a", "c"), List.copyOf(map.keySet()), "b was deleted meanwhile: the snapshot says so");
        CloneChange last = r.changes.get(r.changes.size() - 1);
        assertEquals("b", last.key());
        assertTrue(last.deleted() && last.snapshot());
        c.onTick(5039);
        assertEquals(CloneClientCore.State.ACTIVE, c.state());
        c.onTick(5040);
        assertEquals("silent 0 1", r.log.get(r.log.size() - 2));
        assertEquals("ask 1", r.log.get(r.log.size() - 1));
        assertEquals(1, c.current());
    }

    @Test
    void aSubtreeClientTakesSequenceGapsForFilteredUpdates() {
        Recorder r = new Recorder();
        CloneClientCore c = new CloneClientCore(1, "/x/", 5000, new TreeMap<>(), r);
        c.start(0);
        c.onSnapshot(new Kvmsg("KTHXBAI", 4, null, null, b("/x/")), 0);
        c.onUpdate(set("/x/a", "1").withSequence(9), 0);
        c.onUpdate(new Kvmsg("HUGZ", 12, null, null, null), 0);
        assertEquals(9, c.sequence());
        assertEquals(CloneClientCore.State.ACTIVE, c.state());
    }
}
