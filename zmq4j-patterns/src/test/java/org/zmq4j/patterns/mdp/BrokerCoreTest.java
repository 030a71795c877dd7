package org.zmq4j.patterns.mdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The broker's logic without sockets: frames in, frames out, a clock the test turns. */
class BrokerCoreTest {
    private static final byte[] C1 = {0, 1};
    private static final byte[] C2 = {0, 2};
    private static final byte[] W1 = {0, 11};
    private static final byte[] W2 = {0, 12};

    private long now = 1_000;
    private BrokerCore core = new BrokerCore(BrokerConfig.defaults(), now);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] c(int code) {
        return new byte[] {(byte) code};
    }

    private static List<byte[]> f(Object... frames) {
        List<byte[]> l = new ArrayList<>();
        for (Object o : frames) {
            l.add(o instanceof String s ? b(s) : (byte[]) o);
        }
        return l;
    }

    private static List<String> show(List<byte[]> frames) {
        List<String> l = new ArrayList<>();
        for (byte[] x : frames) {
            boolean text = x.length > 1 || (x.length == 1 && x[0] >= 32);
            l.add(text ? new String(x, StandardCharsets.UTF_8) : Arrays.toString(x));
        }
        return l;
    }

    private List<BrokerCore.Out> in(byte[] from, Object... frames) {
        return core.onMessage(from, f(frames), now);
    }

    private static void assertOut(BrokerCore.Out out, byte[] to, Object... frames) {
        assertTrue(Arrays.equals(to, out.to()), "to " + Arrays.toString(out.to()));
        assertEquals(show(f(frames)), show(out.frames()));
    }

    private static final byte[] E = new byte[0];

    @Test
    void mdp01RequestWaitsForAWorkerThenReplyGoesBack() {
        assertEquals(List.of(), in(C1, E, "MDPC01", "echo", "hello"));
        List<BrokerCore.Out> out = in(W1, E, "MDPW01", c(1), "echo");
        assertEquals(1, out.size());
        assertOut(out.get(0), W1, E, "MDPW01", c(2), C1, E, "hello");
        out = in(W1, E, "MDPW01", c(3), C1, E, "hello");
        assertEquals(1, out.size());
        assertOut(out.get(0), C1, E, "MDPC01", "echo", "hello");
    }

    @Test
    void mdp02PartialsThenFinal() {
        in(W1, "MDPW02", c(1), "echo");
        List<BrokerCore.Out> out = in(C1, "MDPC02", c(1), "echo", "a", "b");
        assertOut(out.get(0), W1, "MDPW02", c(2), C1, E, "a", "b");
        assertOut(in(W1, "MDPW02", c(3), C1, E, "p1").get(0), C1, "MDPC02", c(2), "echo", "p1");
        assertOut(in(W1, "MDPW02", c(4), C1, E, "a", "b").get(0), C1, "MDPC02", c(3), "echo", "a", "b");
    }

    @Test
    void mdp01ClientOfAnMdp02WorkerGetsOnlyTheFinalReply() {
        in(W1, "MDPW02", c(1), "echo");
        in(C1, E, "MDPC01", "echo", "x");
        assertEquals(List.of(), in(W1, "MDPW02", c(3), C1, E, "partial"));
        assertOut(in(W1, "MDPW02", c(4), C1, E, "x").get(0), C1, E, "MDPC01", "echo", "x");
    }

    @Test
    void mdp02ClientOfAnMdp01WorkerGetsAFinal() {
        in(W1, E, "MDPW01", c(1), "echo");
        in(C1, "MDPC02", c(1), "echo", "x");
        assertOut(in(W1, E, "MDPW01", c(3), C1, E, "x").get(0), C1, "MDPC02", c(3), "echo", "x");
    }

    @Test
    void delimitedMdp02DialectIsAnsweredInItsOwnFraming() {
        in(W1, E, "MDPW02", c(1), "echo");
        List<BrokerCore.Out> out = in(C1, E, "MDPC02", c(2), "echo", "x");
        assertOut(out.get(0), W1, E, "MDPW02", c(2), C1, E, "x");
        assertOut(in(W1, E, "MDPW02", c(3), C1, E, "p").get(0), C1, E, "MDPC02", c(3), "p");
        assertOut(in(W1, E, "MDPW02", c(4), C1, E, "x").get(0), C1, E, "MDPC02", c(4), "x");
    }

    @Test
    void leastRecentlyUsedWorkerFirst() {
        in(W1, E, "MDPW01", c(1), "echo");
        in(W2, E, "MDPW01", c(1), "echo");
        assertOut(in(C1, E, "MDPC01", "echo", "1").get(0), W1, E, "MDPW01", c(2), C1, E, "1");
        assertOut(in(C2, E, "MDPC01", "echo", "2").get(0), W2, E, "MDPW01", c(2), C2, E, "2");
        in(W2, E, "MDPW01", c(3), C2, E, "2");
        in(W1, E, "MDPW01", c(3), C1, E, "1");
        assertOut(in(C1, E, "MDPC01", "echo", "3").get(0), W2, E, "MDPW01", c(2), C1, E, "3");
    }

    @Test
    void mmiService() {
        in(W1, E, "MDPW01", c(1), "echo");
        assertOut(in(C1, E, "MDPC01", "mmi.service", "echo").get(0), C1, E, "MDPC01", "mmi.service", "200");
        assertOut(in(C1, E, "MDPC01", "mmi.service", "nope").get(0), C1, E, "MDPC01", "mmi.service", "404");
        assertOut(in(C1, "MDPC02", c(1), "mmi.other").get(0), C1, "MDPC02", c(3), "mmi.other", "501");
        assertOut(in(W2, E, "MDPW01", c(1), "mmi.service").get(0), W2, E, "MDPW01", c(5));
    }

    @Test
    void fullQueueAnswers503() {
        core = new BrokerCore(new BrokerConfig(Duration.ofMillis(2500), 3, 2, 10, Duration.ofSeconds(30), Duration.ofMinutes(15)), now);
        in(C1, E, "MDPC01", "echo", "1");
        in(C1, E, "MDPC01", "echo", "2");
        assertOut(in(C2, E, "MDPC01", "echo", "3").get(0), C2, E, "MDPC01", "echo", "503");
        assertEquals(2, core.queuedRequests());
    }

    @Test
    void tooManyServicesAnswers503() {
        core = new BrokerCore(new BrokerConfig(Duration.ofMillis(2500), 3, 10, 1, Duration.ofSeconds(30), Duration.ofMinutes(15)), now);
        in(C1, E, "MDPC01", "a", "1");
        assertOut(in(C1, E, "MDPC01", "b", "1").get(0), C1, E, "MDPC01", "b", "503");
    }

    @Test
    void idleWorkersGetHeartbeatsAndExpireWhenSilent() {
        in(W1, E, "MDPW01", c(1), "echo");
        in(W2, "MDPW02", c(1), "echo");
        assertEquals(List.of(), core.onTick(now + 100));
        now += 2500;
        List<BrokerCore.Out> out = core.onTick(now);
        assertEquals(2, out.size());
        in(W2, "MDPW02", c(5)); // W2 heartbeats, W1 stays silent
        now += 2500;
        core.onTick(now);
        in(W2, "MDPW02", c(5));
        now += 2500;
        out = core.onTick(now);
        assertEquals(1, core.workerCount());
        assertEquals(1, out.size());
        assertOut(out.get(0), W2, "MDPW02", c(5));
    }

    @Test
    void busyWorkersGetHeartbeatsAndExpireOnlyAfterTheBusyTimeout() {
        core = new BrokerCore(BrokerConfig.defaults().withBusyTimeout(Duration.ofSeconds(60)), now);
        in(W1, E, "MDPW01", c(1), "echo");
        in(C1, E, "MDPC01", "echo", "x");
        long start = now;
        for (now = start + 2500; now < start + 60_000; now += 2500) {
            List<BrokerCore.Out> out = core.onTick(now);
            assertEquals(1, core.workerCount(), "at " + (now - start));
            assertOut(out.get(0), W1, E, "MDPW01", c(4));
        }
        assertEquals(List.of(), core.onTick(now));
        assertEquals(0, core.workerCount());
    }

    @Test
    void unknownWorkerCommandIsAnsweredWithDisconnect() {
        assertOut(in(W1, E, "MDPW01", c(4)).get(0), W1, E, "MDPW01", c(5));
        assertOut(in(W1, "MDPW02", c(5)).get(0), W1, "MDPW02", c(6));
    }

    @Test
    void secondReadyDisconnects() {
        in(W1, E, "MDPW01", c(1), "echo");
        assertOut(in(W1, E, "MDPW01", c(1), "echo").get(0), W1, E, "MDPW01", c(5));
        assertEquals(0, core.workerCount());
    }

    @Test
    void workerDisconnectForgetsIt() {
        in(W1, E, "MDPW01", c(1), "echo");
        assertEquals(List.of(), in(W1, E, "MDPW01", c(5)));
        assertEquals(0, core.workerCount());
        assertOut(in(C1, E, "MDPC01", "mmi.service", "echo").get(0), C1, E, "MDPC01", "mmi.service", "404");
    }

    @Test
    void replyForAnotherClientDisconnectsTheWorker() {
        in(W1, E, "MDPW01", c(1), "echo");
        in(C1, E, "MDPC01", "echo", "x");
        assertOut(in(W1, E, "MDPW01", c(3), C2, E, "x").get(0), W1, E, "MDPW01", c(5));
        assertEquals(0, core.workerCount());
    }

    @Test
    void queuedRequestsExpireAfterTheirTimeToLive() {
        in(C1, E, "MDPC01", "echo", "x");
        now += 31_000;
        core.onTick(now);
        assertEquals(0, core.queuedRequests());
        assertEquals(0, core.serviceCount());
        assertEquals(List.of(), in(W1, E, "MDPW01", c(1), "echo"));
    }

    @Test
    void garbageIsDropped() {
        assertEquals(List.of(), in(C1));
        assertEquals(List.of(), in(C1, E));
        assertEquals(List.of(), in(C1, "HTTP/1.1", "GET"));
        assertEquals(List.of(), in(C1, "MDPC01", "echo")); // 0.1 without its delimiter
        assertEquals(List.of(), in(C1, "MDPC02", c(9), "echo"));
        assertEquals(List.of(), in(C1, E, "MDPC01"));
        assertEquals(0, core.queuedRequests());
    }
}
