package org.zmq4j.patterns.freelance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Held.await;
import static org.zmq4j.patterns.testkit.Held.strings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.NoReplyException;

/** Freelance clients and servers of this module together over tcp. */
@Timeout(60)
class FreelanceTest {
    private final Held held = new Held();

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    /** A server that appends its tag to each request; null handler result when {@code silent}. */
    private FreelanceServer server(String tag, boolean[] silent) {
        FreelanceServer s = held.keep(new FreelanceServer(held.ctx, "tcp://127.0.0.1:0"));
        s.start(body -> {
            if (silent != null && silent[0]) {
                return null;
            }
            List<byte[]> r = new ArrayList<>(body);
            r.add(tag.getBytes(StandardCharsets.UTF_8));
            return r;
        });
        return s;
    }

    /** A client of {@code servers}, once all of them answered a ping (so the first is the one asked). */
    private FreelanceClient client(String... servers) throws InterruptedException {
        FreelanceClient c = held.keep(new FreelanceClient(held.ctx, FreelanceConfig.of(servers)
                .withPing(Duration.ofMillis(200), Duration.ofMillis(600))
                .withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5))));
        await(() -> c.aliveServers().equals(List.of(servers)), "every server to answer a ping");
        return c;
    }

    @Test
    void requestsGoToTheFirstServerAndManyCanBeInFlight() throws Exception {
        FreelanceServer a = server("a", null);
        FreelanceServer b = server("b", null);
        FreelanceClient c = client(a.endpoint(), b.endpoint());
        assertEquals(List.of("hi", "a"), strings(c.request("hi")));
        List<CompletableFuture<List<byte[]>>> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(c.submit(List.of(Integer.toString(i).getBytes(StandardCharsets.UTF_8))));
        }
        for (int i = 0; i < 500; i++) {
            // each reply matched to its request by the CCF; on a busy machine an attempt may time
            // out and go to b as well (the first reply wins), so the tag may be either
            List<String> r = strings(many.get(i).get());
            assertEquals(Integer.toString(i), r.get(0));
            assertTrue(r.get(1).equals("a") || r.get(1).equals("b"), r.toString());
        }
    }

    @Test
    void aDeadServerIsSkippedAndAHungOneTimesOutToTheNext() throws Exception {
        boolean[] hung = {false};
        FreelanceServer a = server("a", hung);
        FreelanceServer b = server("b", null);
        FreelanceClient c = client(a.endpoint(), b.endpoint());
        assertEquals(List.of("1", "a"), strings(c.request("1")));
        hung[0] = true; // a still answers pings, but not requests: the attempt timeout moves on
        assertEquals(List.of("2", "b"), strings(c.request("2")));
        a.close(); // a dies: its pings stop
        await(() -> c.aliveServers().equals(List.of(b.endpoint())), "a taken for dead");
        assertEquals(List.of("3", "b"), strings(c.request("3")));
        // a client whose attempts wait 5 s: had it tried the dead server first, the reply would take that long
        FreelanceClient patient = held.keep(new FreelanceClient(held.ctx, FreelanceConfig.of(a.endpoint(), b.endpoint())
                .withPing(Duration.ofMillis(200), Duration.ofMillis(600)).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))));
        await(() -> patient.aliveServers().equals(List.of(b.endpoint())), "b alive for the second client");
        long start = System.nanoTime();
        assertEquals(List.of("4", "b"), strings(patient.request("4")));
        assertTrue(System.nanoTime() - start < 4_000_000_000L, "a dead server is not tried first");
    }

    @Test
    void aServerThatComesBackIsUsedAgain() throws Exception {
        FreelanceServer a = server("a", null);
        String ep = a.endpoint();
        FreelanceServer b = server("b", null);
        FreelanceClient c = client(ep, b.endpoint());
        assertEquals(List.of("1", "a"), strings(c.request("1")));
        a.close();
        await(() -> !c.aliveServers().contains(ep), "a taken for dead");
        assertEquals(List.of("2", "b"), strings(c.request("2")));
        FreelanceServer again = held.keep(new FreelanceServer(held.ctx, ep));
        again.start(body -> List.of("a again".getBytes(StandardCharsets.UTF_8)));
        await(() -> c.aliveServers().contains(ep), "a alive again");
        assertEquals(List.of("a again"), strings(c.request("3")));
    }

    @Test
    void noServerAtAllFailsWithNoReplyAfterTheTimeout() {
        try (FreelanceClient c = new FreelanceClient(held.ctx, FreelanceConfig.of("tcp://127.0.0.1:1")
                .withTimeouts(Duration.ofMillis(100), Duration.ofMillis(400)))) {
            NoReplyException e = assertThrows(NoReplyException.class, () -> c.request("x"));
            assertTrue(e.getMessage().contains("tcp://127.0.0.1:1"), e.getMessage());
        }
    }

    @Test
    void closingAnswersWhatIsPending() throws Exception {
        FreelanceClient c = new FreelanceClient(held.ctx, FreelanceConfig.of("tcp://127.0.0.1:1"));
        CompletableFuture<List<byte[]>> f = c.submit(List.of(new byte[] {1}));
        c.close();
        Exception e = assertThrows(Exception.class, f::get);
        assertTrue(e.getCause() instanceof org.zmq4j.ZmqException, e.toString());
        assertTrue(c.submit(List.of(new byte[] {1})).isCompletedExceptionally());
    }
}
