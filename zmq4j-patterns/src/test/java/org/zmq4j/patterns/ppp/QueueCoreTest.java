package org.zmq4j.patterns.ppp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The Paranoid Pirate queue's logic without sockets. */
class QueueCoreTest {
    private static final byte[] W1 = {0, 1};
    private static final byte[] W2 = {0, 2};
    private static final byte[] C1 = {0, 9};
    private static final byte[] E = {};
    private static final byte[] READY = {1};
    private static final byte[] HEARTBEAT = {2};

    private long now = 5_000;
    private final QueueCore core = new QueueCore(1000, 3, now);

    private static List<byte[]> m(byte[]... frames) {
        return new ArrayList<>(List.of(frames));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void requestsGoToTheLeastRecentlyUsedWorkerAndRepliesBack() {
        assertFalse(core.hasWorker());
        core.onBackend(m(W1, READY), now);
        core.onBackend(m(W2, READY), now);
        List<QueueCore.Out> out = core.onFrontend(m(C1, E, b("one")));
        assertFalse(out.get(0).toFrontend());
        assertEquals(List.of("[0, 1]", "[0, 9]", "[]", "[111, 110, 101]"), out.get(0).frames().stream().map(java.util.Arrays::toString).toList());
        out = core.onFrontend(m(C1, E, b("two")));
        assertArrayEquals(W2, out.get(0).frames().get(0));
        assertFalse(core.hasWorker());
        out = core.onBackend(m(W1, C1, E, b("one")), now);
        assertTrue(out.get(0).toFrontend());
        assertArrayEquals(C1, out.get(0).frames().get(0));
        assertTrue(core.hasWorker(), "a reply makes the worker available again");
    }

    @Test
    void waitingWorkersGetHeartbeatsAndSilentOnesAreDropped() {
        core.onBackend(m(W1, READY), now);
        core.onBackend(m(W2, READY), now);
        now += 1000;
        assertEquals(2, core.onTick(now).size());
        core.onBackend(m(W2, HEARTBEAT), now);
        now += 1000;
        core.onTick(now);
        core.onBackend(m(W2, HEARTBEAT), now);
        now += 1000;
        List<QueueCore.Out> out = core.onTick(now);
        assertEquals(1, core.waitingWorkers(), "W1 was silent for 3 intervals");
        assertArrayEquals(W2, out.get(0).frames().get(0));
        assertArrayEquals(HEARTBEAT, out.get(0).frames().get(1));
    }

    @Test
    void malformedMessagesAreDropped() {
        assertEquals(List.of(), core.onBackend(m(W1, b("??")), now));
        assertEquals(List.of(), core.onBackend(m(W1, b("x"), b("y")), now)); // no terminator
        assertEquals(List.of(), core.onBackend(m(W1), now));
        assertFalse(core.hasWorker());
        core.onBackend(m(W1, READY), now);
        assertEquals(List.of(), core.onFrontend(m(C1, b("no delimiter"))));
        assertTrue(core.hasWorker(), "a dropped request takes no worker");
    }
}
