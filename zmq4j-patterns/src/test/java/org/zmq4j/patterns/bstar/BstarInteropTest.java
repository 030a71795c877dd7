package org.zmq4j.patterns.bstar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Held.await;
import static org.zmq4j.patterns.testkit.Held.strings;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.testkit.PyInteropTest;
import org.zmq4j.patterns.testkit.PyPeer;
import org.zmq4j.patterns.lazypirate.LazyPirateClient;

/**
 * A Binary Star pair with one node of this module and one written in Python from the zguide's
 * chapter 4 and the wire of its {@code bstar} ({@code src/test/python/bstar_peer.py}, pyzmq on
 * libzmq), each way round: failover on the client vote, a restarted node standing by, and no
 * split brain (their node exits with "FATAL" if it ever sees two actives or two passives).
 */
@Timeout(120)
class BstarInteropTest extends PyInteropTest {
    private static final String PY_BEAT = Long.toString(BinaryStarTest.BEAT.toMillis());

    BstarInteropTest() {
        super("bstar_peer.py");
    }


    private PyPeer pythonNode(String role, String frontend, String local, String peer) throws Exception {
        PyPeer p = py("node", role, "--frontend", frontend, "--statepub", local, "--statesub", peer, "--heartbeat-ms", PY_BEAT);
        p.awaitOut("^READY", 20);
        return p;
    }

    private BinaryStarServer javaNode(BinaryStarState role, String frontend, String local, String peer) {
        BinaryStarServer s = held.keep(new BinaryStarServer(held.ctx, role, frontend, local, peer, BinaryStarTest.BEAT));
        s.start(Held.echoTagged("java"));
        return s;
    }

    private static void assertNoFatal(PyPeer p) throws Exception {
        assertTrue(!p.err().contains("FATAL") && !p.err().contains("PROTOCOL ERROR"), p.describe());
    }

    @Test
    void ourPrimaryTheirBackup() throws Exception {
        String[] ep = BinaryStarTest.endpoints();
        BinaryStarServer primary = javaNode(BinaryStarState.PRIMARY, ep[0], ep[2], ep[3]);
        PyPeer backup = pythonNode("--backup", ep[1], ep[3], ep[2]);
        await(() -> primary.state() == BinaryStarState.ACTIVE, "our primary to be active");
        backup.awaitErr("STATE PASSIVE", 20);
        try (LazyPirateClient client = new LazyPirateClient(held.ctx, List.of(ep[0], ep[1]), Duration.ofMillis(300), 30)) {
            assertEquals(List.of("one", "java"), strings(client.request("one")));
            primary.close();
            assertEquals(List.of("after"), strings(client.request("after")), "their backup echoes once it took over");
            backup.awaitErr("STATE ACTIVE", 5);

            BinaryStarServer again = javaNode(BinaryStarState.PRIMARY, ep[0], ep[2], ep[3]);
            await(() -> again.state() == BinaryStarState.PASSIVE, "our restarted primary to stand by");
            assertEquals(List.of("still"), strings(client.request("still")));
            assertNull(again.node().failure());
        }
        assertNoFatal(backup);
    }

    @Test
    void theirPrimaryOurBackupAndTheirClient() throws Exception {
        String[] ep = BinaryStarTest.endpoints();
        PyPeer primary = pythonNode("--primary", ep[0], ep[2], ep[3]);
        BinaryStarServer backup = javaNode(BinaryStarState.BACKUP, ep[1], ep[3], ep[2]);
        await(() -> backup.state() == BinaryStarState.PASSIVE, "our backup to stand by");
        primary.awaitErr("STATE ACTIVE", 20);
        PyPeer first = py("client", "--connect", ep[0], "--connect", ep[1], "--timeout-ms", "300", "--settle-ms", "300",
                "--retries", "20", "--requests", "2", "hello");
        assertEquals(0, first.exitCode(30), first.describe());
        assertEquals("hello\nhello\n", first.out());
        assertNoFatal(primary);

        primary.kill();
        PyPeer second = py("client", "--connect", ep[0], "--connect", ep[1], "--timeout-ms", "300", "--settle-ms", "300",
                "--retries", "20", "again");
        assertEquals(0, second.exitCode(30), second.describe());
        assertEquals("again\njava\n", second.out());
        assertEquals(BinaryStarState.ACTIVE, backup.state());

        PyPeer restarted = pythonNode("--primary", ep[0], ep[2], ep[3]);
        restarted.awaitErr("STATE PASSIVE", 20);
        assertEquals(BinaryStarState.ACTIVE, backup.state(), "never two actives");
        assertNoFatal(restarted);
        assertNull(backup.node().failure());
    }
}
