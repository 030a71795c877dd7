package org.zmq4j.patterns.freelance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Held.await;
import static org.zmq4j.patterns.testkit.Held.strings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.testkit.PyInteropTest;
import org.zmq4j.patterns.testkit.PyPeer;

/**
 * The Freelance client and server of this module against a client and servers written in Python
 * from rfc 10 ({@code src/test/python/flp_peer.py}, pyzmq on libzmq), both ways: our client
 * with their servers (one killed, one hung), their client with our servers (one closed).
 */
@Timeout(120)
class FlpInteropTest extends PyInteropTest {
    FlpInteropTest() {
        super("flp_peer.py");
    }

    /** Their server on a free port (an rfc 10 server's identity is its endpoint, so it needs a concrete one). */
    private String pythonServer(String... extra) throws Exception {
        String ep = Held.freeEndpoints(1)[0];
        List<String> a = new ArrayList<>(List.of("server", "--bind", ep));
        a.addAll(List.of(extra));
        py(a.toArray(String[]::new)).awaitOut("^READY ", 20);
        return ep;
    }

    private FreelanceClient javaClient(String... servers) {
        return held.keep(new FreelanceClient(held.ctx, FreelanceConfig.of(servers)
                .withPing(Duration.ofMillis(200), Duration.ofMillis(600))
                .withTimeouts(Duration.ofMillis(400), Duration.ofSeconds(10))));
    }

    private FreelanceServer javaServer(String tag) {
        FreelanceServer s = held.keep(new FreelanceServer(held.ctx, "tcp://127.0.0.1:0"));
        s.start(Held.echoTagged(tag));
        return s;
    }

    @Test
    void ourClientWithTheirServersFailsOverWhenOneIsKilled() throws Exception {
        String a = pythonServer("--tag", "A");
        String b = pythonServer("--tag", "B");
        PyPeer serverA = peers().get(0);
        FreelanceClient c = javaClient(a, b);
        await(() -> c.aliveServers().equals(List.of(a, b)), "both servers to answer a ping");
        for (int i = 0; i < 20; i++) {
            assertEquals(List.of("r" + i, "A"), strings(c.request("r" + i)), "the first live server takes every request");
        }
        serverA.awaitErr("RECV PING", 10); // our pings reach it, and its PONGs keep it alive
        serverA.kill();
        forget(serverA);
        for (int i = 0; i < 20; i++) {
            assertEquals(List.of("s" + i, "B"), strings(c.request("s" + i)));
        }
        await(() -> c.aliveServers().equals(List.of(b)), "A taken for dead");
        assertNoProtocolErrors();
    }

    @Test
    void ourClientMovesOnFromAHungServer() throws Exception {
        String a = pythonServer("--tag", "A", "--silent-after", "1");
        String b = pythonServer("--tag", "B");
        FreelanceClient c = javaClient(a, b);
        await(() -> c.aliveServers().equals(List.of(a, b)), "both servers to answer a ping");
        assertEquals(List.of("one", "A"), strings(c.request("one")));
        long start = System.nanoTime();
        assertEquals(List.of("two", "B"), strings(c.request("two")), "A hangs: the attempt timeout sends it to B");
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
        assertEquals(List.of("three", "B"), strings(c.request("three")));
        assertNoProtocolErrors();
    }

    @Test
    void theirClientWithOurServers() throws Exception {
        FreelanceServer a = javaServer("java-a");
        FreelanceServer b = javaServer("java-b");
        PyPeer client = py("client", "--connect", a.endpoint(), "--connect", b.endpoint(), "--requests", "3",
                "--ping-ms", "500", "hello", "", "world");
        assertEquals(0, client.exitCode(30), client.describe());
        assertEquals("hello\n\nworld\njava-a\n".repeat(3), client.out());
        client.awaitErr("RECV PONG", 5);

        a.close(); // their client, started again, finds A unreachable and goes to B
        PyPeer again = py("client", "--connect", a.endpoint(), "--connect", b.endpoint(), "--ping-ms", "500", "again");
        assertEquals(0, again.exitCode(30), again.describe());
        assertEquals("again\njava-b\n", again.out());
        assertNoProtocolErrors();
    }
}
