package org.zmq4j.durable.titanic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.durable.journal.FileJournal;
import org.zmq4j.durable.journal.JournalConfig;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.mdp.BrokerConfig;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoBroker;
import org.zmq4j.patterns.mdp.MajordomoWorker;
import org.zmq4j.patterns.mdp.MdpVersion;

/** Titanic with zmq4j's broker, workers and client in one process; the store across restarts. */
@Timeout(120)
class TitanicTest {
    private static final Duration BEAT = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private final Held held = new Held();

    @org.junit.jupiter.api.AfterEach
    void close() throws Exception {
        held.close();
    }

    private String broker() {
        MajordomoBroker b = held.keep(new MajordomoBroker(held.ctx, BrokerConfig.defaults().withHeartbeat(BEAT)));
        String ep = b.bind("tcp://127.0.0.1:0");
        b.start();
        return ep;
    }

    private void echoWorker(String ep, String service) {
        MajordomoWorker w = held.keep(new MajordomoWorker(held.ctx, ep, service, MdpVersion.MDP01, BEAT, 3));
        Thread t = new Thread(() -> w.serve(body -> body), "echo-" + service);
        t.setDaemon(true);
        t.start();
    }

    private TitanicServer titanic(String ep) throws Exception {
        return TitanicServer.start(held.ctx, TitanicConfig.builder(ep, dir.resolve("store")).heartbeat(BEAT)
                .dispatchTimeout(Duration.ofSeconds(2)).retryInterval(Duration.ofMillis(100)).build());
    }

    private TitanicClient client(String ep) {
        return held.keep(new TitanicClient(held.ctx, ClientConfig.of(ep).withTimeout(Duration.ofSeconds(5))));
    }

    private static List<byte[]> frames(String... s) {
        List<byte[]> out = new ArrayList<>();
        for (String x : s) {
            out.add(x.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> strings(List<byte[]> f) {
        return f.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    /** Asks for the reply until there is one (bounded). */
    private static List<byte[]> awaitReply(TitanicClient c, String uuid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<List<byte[]>> r = c.reply(uuid);
            if (r.isPresent()) {
                return r.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no reply for " + uuid);
    }

    @Test
    void requestsAreStoredDispatchedAndFetchedUntilClosed() throws Exception {
        String ep = broker();
        echoWorker(ep, "echo");
        try (TitanicServer t = titanic(ep)) {
            TitanicClient c = client(ep);
            assertEquals(List.of("hello", "world"), strings(c.call("echo", frames("hello", "world"), Duration.ofMillis(20),
                    Duration.ofSeconds(30))));
            String uuid = c.submit("echo", frames("again"));
            assertEquals(32, uuid.length());
            assertEquals(List.of("again"), strings(awaitReply(c, uuid)));
            assertEquals(List.of("again"), strings(c.reply(uuid.toUpperCase()).orElseThrow()), "idempotent, any case");
            c.close(uuid);
            c.close(uuid);
            TitanicClient.TitanicException e = assertThrows(TitanicClient.TitanicException.class, () -> c.reply(uuid));
            assertEquals("400", e.status());
            assertEquals(0, t.openRequests());
        }
    }

    @Test
    void aServiceWithoutWorkersStaysPendingUntilOneComes() throws Exception {
        String ep = broker();
        try (TitanicServer t = titanic(ep)) {
            TitanicClient c = client(ep);
            String uuid = c.submit("late", frames("x"));
            Thread.sleep(300); // the dispatcher's retry interval passes a few times: still nothing to do
            assertTrue(c.reply(uuid).isEmpty(), "300 pending");
            echoWorker(ep, "late");
            assertEquals(List.of("x"), strings(awaitReply(c, uuid)));
        }
    }

    @Test
    void storedRequestsAndRepliesOutliveTheServer() throws Exception {
        String ep = broker();
        List<String> uuids = new ArrayList<>();
        try (TitanicServer t = titanic(ep)) {
            TitanicClient c = client(ep);
            for (int i = 0; i < 20; i++) {
                uuids.add(c.submit("later", frames("m" + i)));
            }
            assertEquals(20, t.pendingRequests());
        }
        echoWorker(ep, "later");
        try (TitanicServer t = titanic(ep)) {
            assertEquals(20, t.openRequests());
            TitanicClient c = client(ep);
            for (int i = 0; i < 20; i++) {
                assertEquals(List.of("m" + i), strings(awaitReply(c, uuids.get(i))));
            }
            for (int i = 0; i < 10; i++) {
                c.close(uuids.get(i));
            }
        }
        try (TitanicServer t = titanic(ep)) {
            assertEquals(10, t.openRequests());
            assertEquals(0, t.pendingRequests());
            TitanicClient c = client(ep);
            assertEquals(List.of("m15"), strings(c.reply(uuids.get(15)).orElseThrow()));
            assertThrows(TitanicClient.TitanicException.class, () -> c.reply(uuids.get(5)));
        }
    }

    @Test
    void closedRequestsFreeTheirSegments() throws Exception {
        Path store = dir.resolve("small");
        try (FileJournal j = FileJournal.open(store, JournalConfig.builder().segmentBytes(4096).build())) {
            TitanicStore s = new TitanicStore(j);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = s.request("svc", frames("x".repeat(100)), Tsp.newUuid());
                s.reply(id, frames("y".repeat(100)));
                ids.add(id);
            }
            int before = j.segmentCount();
            for (String id : ids.subList(0, 199)) {
                s.close(id);
            }
            assertTrue(j.segmentCount() < before / 4, before + " -> " + j.segmentCount());
            assertEquals(List.of("y".repeat(100)), strings(s.replyOf(ids.get(199))));
            assertNull(s.replyOf(ids.get(0)));
        }
        try (FileJournal j = FileJournal.open(store, JournalConfig.builder().segmentBytes(4096).build())) {
            TitanicStore s = new TitanicStore(j);
            assertEquals(1, s.counts()[0]);
        }
    }

    @Test
    void uuidsAreThirtyTwoHexDigitsInAnyCase() {
        assertEquals("0123456789abcdef0123456789abcdef", Tsp.uuid("0123456789ABCDEF0123456789abcdef"));
        assertNull(Tsp.uuid("0123456789abcdef0123456789abcde"));
        assertNull(Tsp.uuid("0123456789abcdef0123456789abcdeg"));
        assertEquals("300", Tsp.status("300 PENDING".getBytes(StandardCharsets.US_ASCII)));
    }
}
