package org.zmq4j.patterns.bstar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Held.await;
import static org.zmq4j.patterns.testkit.Held.strings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.lazypirate.LazyPirateClient;

/**
 * A Binary Star pair of this module's servers over tcp with a Lazy Pirate client that knows both:
 * the primary serves, the backup takes over on the client vote when the primary dies, and a
 * restarted primary stands by (never two actives).
 */
@Timeout(60)
class BinaryStarTest {
    static final Duration BEAT = Duration.ofMillis(100);

    private final Held held = new Held();

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    /** Four free endpoints: primary frontend, backup frontend, primary state, backup state. */
    static String[] endpoints() throws Exception {
        return Held.freeEndpoints(4);
    }

    private BinaryStarServer server(BinaryStarState role, String frontend, String local, String peer, String tag) {
        BinaryStarServer s = held.keep(new BinaryStarServer(held.ctx, role, frontend, local, peer, BEAT));
        s.start(Held.echoTagged(tag));
        return s;
    }

    @Test
    void theBackupTakesOverWhenThePrimaryDiesAndARestartedPrimaryStandsBy() throws Exception {
        String[] ep = endpoints();
        BinaryStarServer primary = server(BinaryStarState.PRIMARY, ep[0], ep[2], ep[3], "primary");
        BinaryStarServer backup = server(BinaryStarState.BACKUP, ep[1], ep[3], ep[2], "backup");
        await(() -> primary.state() == BinaryStarState.ACTIVE && backup.state() == BinaryStarState.PASSIVE, "active and passive");
        try (LazyPirateClient client = new LazyPirateClient(held.ctx, List.of(ep[0], ep[1]), Duration.ofMillis(300), 30)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(List.of("r" + i, "primary"), strings(client.request("r" + i)));
            }
            long killed = System.nanoTime();
            primary.close();
            assertEquals(List.of("after", "backup"), strings(client.request("after")));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertEquals(BinaryStarState.ACTIVE, backup.state());
            System.out.println("Binary Star failover (heartbeat " + BEAT.toMillis() + " ms, client timeout 300 ms): " + ms + " ms");

            BinaryStarServer again = server(BinaryStarState.PRIMARY, ep[0], ep[2], ep[3], "primary again");
            await(() -> again.state() == BinaryStarState.PASSIVE, "the restarted primary to stand by");
            assertEquals(BinaryStarState.ACTIVE, backup.state(), "never two actives");
            assertEquals(List.of("still", "backup"), strings(client.request("still")));
            assertNull(again.node().failure());
            assertNull(backup.node().failure());
        }
    }

    @Test
    void aPassiveNodeRefusesClientsWhileThePeerLives() throws Exception {
        String[] ep = endpoints();
        BinaryStarServer primary = server(BinaryStarState.PRIMARY, ep[0], ep[2], ep[3], "primary");
        BinaryStarServer backup = server(BinaryStarState.BACKUP, ep[1], ep[3], ep[2], "backup");
        await(() -> primary.state() == BinaryStarState.ACTIVE && backup.state() == BinaryStarState.PASSIVE, "active and passive");
        try (LazyPirateClient onlyBackup = new LazyPirateClient(held.ctx, List.of(ep[1]), Duration.ofMillis(200), 2)) {
            assertTrue(assertThrowsNoReply(onlyBackup), "the passive backup must not answer");
        }
        assertEquals(BinaryStarState.PASSIVE, backup.state());
        assertEquals(BinaryStarState.ACTIVE, primary.state());
    }

    private static boolean assertThrowsNoReply(LazyPirateClient c) {
        try {
            c.request("x");
            return false;
        } catch (org.zmq4j.patterns.NoReplyException e) {
            return true;
        }
    }

    /** Publishes {@code state} as a fake peer until {@code done} holds (bounded). */
    private static void publishUntil(org.zmq4j.Socket fake, BinaryStarState state, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "the node did not react to the peer's " + state);
            fake.send(Integer.toString(state.code()).getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(BEAT.toMillis() / 2); // a heartbeat's pace: the node reads between
        }
    }

    @Test
    void anActiveNodeThatHearsAnotherActiveStopsServing() throws Exception {
        String[] ep = endpoints();
        try (org.zmq4j.Socket fake = held.ctx.socket(org.zmq4j.SocketType.PUB)) {
            fake.setOption(org.zmq4j.Option.LINGER, 0);
            fake.bind(ep[3]);
            BinaryStarServer a = server(BinaryStarState.PRIMARY, ep[0], ep[2], ep[3], "a");
            publishUntil(fake, BinaryStarState.BACKUP, () -> a.state() == BinaryStarState.ACTIVE);
            publishUntil(fake, BinaryStarState.ACTIVE, () -> a.node().failed());
            assertTrue(a.node().failure().contains("dual active"), a.node().failure());
            try (LazyPirateClient c = new LazyPirateClient(held.ctx, List.of(ep[0]), Duration.ofMillis(200), 1)) {
                assertTrue(assertThrowsNoReply(c), "a failed node serves nobody");
            }
        }
    }

    @Test
    void aPassiveNodeThatHearsAnotherPassiveStops() throws Exception {
        String[] ep = endpoints();
        try (org.zmq4j.Socket fake = held.ctx.socket(org.zmq4j.SocketType.PUB)) {
            fake.setOption(org.zmq4j.Option.LINGER, 0);
            fake.bind(ep[2]);
            BinaryStarServer b = server(BinaryStarState.BACKUP, ep[1], ep[3], ep[2], "b");
            publishUntil(fake, BinaryStarState.ACTIVE, () -> b.state() == BinaryStarState.PASSIVE);
            publishUntil(fake, BinaryStarState.PASSIVE, () -> b.node().failed());
            assertTrue(b.node().failure().contains("dual passive"), b.node().failure());
        }
    }
}
