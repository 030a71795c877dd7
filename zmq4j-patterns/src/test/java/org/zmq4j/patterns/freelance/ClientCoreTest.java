package org.zmq4j.patterns.freelance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The Freelance client's logic without sockets: liveness, choice of server, moving on, timeouts. */
class ClientCoreTest {
    private static final String A = "tcp://a:1";
    private static final String B = "tcp://b:1";

    private long now = 10_000;
    private final ClientCore core = new ClientCore(FreelanceConfig.of(A, B)
            .withPing(Duration.ofMillis(1000), Duration.ofMillis(3000))
            .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(2000)), now);
    private final List<ClientCore.Out> out = new ArrayList<>();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private List<String> sent() {
        List<String> r = out.stream().map(o -> o.server() + " " + String.join("|", o.frames().stream().map(ClientCoreTest::s).toList())).toList();
        out.clear();
        return r;
    }

    private void pong(String server) {
        core.onMessage(server, List.of(b("PONG")), now, out);
    }

    @Test
    void pingsEveryServerThenSendsToTheFirstAlive() {
        core.onTick(now, out);
        assertEquals(List.of(A + " PING", B + " PING"), sent());
        long id = core.submit(List.of(b("hello")), now, out);
        assertEquals(List.of(), sent(), "nobody alive yet: the request waits");
        pong(B);
        assertEquals(List.of(B + " " + id + "|hello"), sent(), "B answered first: it gets the request");
        core.onMessage(B, List.of(b(Long.toString(id)), b("world")), now, out);
        ClientCore.Done d = core.takeDone();
        assertEquals(id, d.id());
        assertEquals("world", s(d.reply().get(0)));
        assertEquals(1, d.attempts());
        assertNull(core.takeDone());
    }

    @Test
    void anAttemptThatTimesOutAlsoGoesToTheNextServerAndTheFirstReplyWins() {
        pong(A);
        pong(B);
        long id = core.submit(List.of(b("x")), now, out);
        assertEquals(List.of(A + " " + id + "|x"), sent());
        now += 500;
        core.onTick(now, out);
        assertTrue(sent().contains(B + " " + id + "|x"));
        core.onMessage(A, List.of(b(Long.toString(id)), b("late from A")), now, out);
        assertEquals("late from A", s(core.takeDone().reply().get(0)));
        core.onMessage(B, List.of(b(Long.toString(id)), b("from B")), now, out);
        assertNull(core.takeDone(), "the second reply is dropped");
    }

    @Test
    void aSilentServerDiesAndItsRequestMovesOn() {
        pong(A);
        pong(B);
        now += 2000;
        core.onMessage(B, List.of(b("PONG")), now, out);
        long id = core.submit(List.of(b("x")), now, out);
        assertEquals(List.of(A + " " + id + "|x"), sent());
        now += 1000; // A silent for 3000 ms: dead
        core.onTick(now, out);
        assertTrue(sent().contains(B + " " + id + "|x"));
        assertEquals(List.of(B), core.aliveServers());
    }

    @Test
    void anUnreachableServerIsPingedAgainSoonAndNotUsed() {
        core.onTick(now, out);
        sent();
        core.unreachable(A, now, out);
        now += 100;
        core.onTick(now, out);
        assertEquals(List.of(A + " PING"), sent(), "retried after 100 ms, B waits for its interval");
    }

    @Test
    void aRequestWithNoServerAliveFailsAtItsDeadlineNamingTheServers() {
        long id = core.submit(List.of(b("x")), now, out);
        now += 2000;
        core.onTick(now, out);
        ClientCore.Done d = core.takeDone();
        assertEquals(id, d.id());
        assertNull(d.reply());
        assertEquals(0, d.attempts());
        assertTrue(d.failure().contains(A) && d.failure().contains(B), d.failure());
        assertEquals(0, core.pending());
    }

    @Test
    void strayRepliesAndStrangersAreDropped() {
        pong(A);
        core.onMessage(A, List.of(b("999"), b("nobody asked")), now, out);
        core.onMessage("tcp://stranger:1", List.of(b("PONG")), now, out);
        assertNull(core.takeDone());
        assertEquals(List.of(A), core.aliveServers());
    }
}
