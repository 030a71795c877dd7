package org.zmq4j.patterns.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Held.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.patterns.bstar.BinaryStarState;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.testkit.PyInteropTest;
import org.zmq4j.patterns.testkit.PyPeer;

/**
 * Clone against a CHP client and server written in Python from rfc 12 and the zguide's chapter 5
 * ({@code src/test/python/chp_peer.py}, pyzmq on libzmq), each way round: their clients on our
 * server (updates, deletes, TTL, late join, one map), our client on their server, and their client
 * failing over between our Binary Star pair. Their peers report any violation of the RFC as a
 * PROTOCOL ERROR, which fails the test.
 */
@Timeout(120)
class CloneInteropTest extends PyInteropTest {
    private static final Pattern ENTRY = Pattern.compile("\"([^\"]*)\": \"([^\"]*)\"");

    CloneInteropTest() {
        super("chp_peer.py");
    }

    private PyPeer pyClient(String... connects) throws Exception {
        String[] args = new String[2 + connects.length * 2];
        args[0] = "client";
        int i = 1;
        for (String c : connects) {
            args[i++] = "--connect";
            args[i++] = c;
        }
        args[i++] = "--server-ttl-ms=1500";
        PyPeer p = py(java.util.Arrays.copyOf(args, i));
        p.awaitOut("^READY", 30);
        return p;
    }

    /** Asks for a DUMP (the {@code n}th of this peer) and parses it. */
    private static Map<String, String> dump(PyPeer p, int n) throws Exception {
        p.tell("DUMP");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        java.util.List<String> maps;
        while ((maps = p.out().lines().filter(l -> l.startsWith("MAP ")).toList()).size() < n) {
            assertTrue(System.nanoTime() < deadline, "no MAP line " + n + ": " + p.describe());
            Thread.sleep(10);
        }
        String last = maps.get(n - 1);
        Map<String, String> map = new TreeMap<>();
        Matcher m = ENTRY.matcher(last.substring(last.indexOf('{')));
        while (m.find()) {
            map.put(m.group(1), m.group(2));
        }
        return map;
    }

    private static Map<String, String> strings(Map<String, byte[]> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void theirClientsOnOurServer() throws Exception {
        int port = Held.freePortBlock(3);
        CloneServer server = held.keep(CloneServer.start(held.ctx, CloneServerConfig.standalone(port).withBindHost("127.0.0.1")
                .withHugz(Duration.ofMillis(300))));
        String ep = "tcp://127.0.0.1:" + port;
        PyPeer a = pyClient(ep);
        PyPeer b = pyClient(ep);
        a.tell("SET alpha one");
        a.tell("SET beta two");
        a.tell("SET gone soon 1");
        b.tell("WAIT alpha one 10000");
        b.tell("WAIT gone soon 10000");
        b.awaitOut("^HAVE gone", 20);
        b.tell("DEL beta");
        a.tell("WAITGONE beta 10000");
        a.awaitOut("^GONE beta", 20);
        a.tell("WAITGONE gone 10000");
        a.awaitOut("^GONE gone", 20);
        assertEquals(Map.of("alpha", "one"), dump(a, 1));
        assertEquals(Map.of("alpha", "one"), dump(b, 1));
        PyPeer late = pyClient(ep);
        assertEquals(Map.of("alpha", "one"), dump(late, 1), "a late client's snapshot");
        try (CloneClient ours = CloneClient.builder().server(ep).connect(held.ctx)) {
            assertTrue(ours.awaitSynced(Duration.ofSeconds(10)));
            ours.set("gamma", "three".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            late.tell("WAIT gamma three 10000");
            late.awaitOut("^HAVE gamma", 20);
            assertEquals(strings(ours.entries()), dump(late, 2));
        }
        assertEquals(6, server.published(), "3 sets, a delete, an expiry, our set");
        assertNoProtocolErrors();
    }

    @Test
    void ourClientOnTheirServer() throws Exception {
        int port = Held.freePortBlock(3);
        PyPeer server = py("server", "--port", Integer.toString(port), "--hugz-ms", "300");
        server.awaitOut("^READY", 20);
        String ep = "tcp://127.0.0.1:" + port;
        PyPeer theirs = pyClient(ep);
        try (CloneClient ours = CloneClient.builder().server(ep).connect(held.ctx)) {
            assertTrue(ours.awaitSynced(Duration.ofSeconds(10)));
            long seq = ours.set("k1", "v1".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            assertTrue(seq > 0);
            ours.set("tmp", "t".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
            theirs.tell("SET k2 v2");
            await(() -> ours.get("k2") != null, "their update to reach our client");
            await(() -> ours.get("tmp") == null, "their server to expire the key");
            theirs.tell("WAITGONE tmp 10000");
            theirs.awaitOut("^GONE tmp", 20);
            assertEquals(Map.of("k1", "v1", "k2", "v2"), strings(ours.entries()));
            assertEquals(strings(ours.entries()), dump(theirs, 1));
            try (CloneClient late = CloneClient.builder().server(ep).connect(held.ctx)) {
                assertTrue(late.awaitSynced(Duration.ofSeconds(10)));
                assertEquals(strings(ours.entries()), strings(late.entries()), "a snapshot from their server");
            }
        }
        assertNoProtocolErrors();
    }

    @Test
    void theirClientFailsOverBetweenOurPair() throws Exception {
        int p = Held.freePortBlock(3);
        int q = Held.freePortBlock(3);
        String[] bstar = Held.freeEndpoints(2);
        CloneServer primary = held.keep(CloneServer.start(held.ctx,
                CloneTest.pairConfig(BinaryStarState.PRIMARY, p, q, bstar[0], bstar[1])));
        CloneServer backup = held.keep(CloneServer.start(held.ctx,
                CloneTest.pairConfig(BinaryStarState.BACKUP, q, p, bstar[1], bstar[0])));
        await(() -> primary.state() == BinaryStarState.ACTIVE && backup.state() == BinaryStarState.PASSIVE, "active and passive");
        PyPeer client = pyClient("tcp://127.0.0.1:" + p, "tcp://127.0.0.1:" + q);
        for (int i = 0; i < 20; i++) {
            client.tell("SET key" + i + " before" + i);
        }
        client.tell("WAIT key19 before19 10000");
        client.awaitOut("^HAVE key19", 20);
        await(() -> backup.sequence() == 20, "the backup to follow all 20");
        primary.close();
        client.awaitErr("FAILOVER", 20);
        await(() -> backup.state() == BinaryStarState.ACTIVE, "their client's snapshot request to make the backup active");
        client.tell("SET after failover"); // their client applies its own updates at once: ours checks the server has it
        try (CloneClient ours = CloneClient.builder().server("tcp://127.0.0.1:" + q).connect(held.ctx)) {
            assertTrue(ours.awaitSynced(Duration.ofSeconds(10)));
            await(() -> ours.get("after") != null, "the update through the backup");
            assertEquals(21, ours.entries().size());
            assertEquals(strings(ours.entries()), dump(client, 1));
        }
        assertNoProtocolErrors();
    }
}
