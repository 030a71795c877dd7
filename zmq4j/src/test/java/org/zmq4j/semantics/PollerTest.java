package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/** Poller (zmq_poll(3)): POLLIN/POLLOUT readiness over many sockets, timeouts 0 / positive / -1. */
class PollerTest extends SocketTestBase {

    private static final int N = 12;

    private final List<Socket> pulls = new ArrayList<>();
    private final List<Socket> pushes = new ArrayList<>();

    /** N PUSH→PULL pairs, each connection proven up by one message. */
    private void makePairs() {
        for (int i = 0; i < N; i++) {
            Socket pull = socket(SocketType.PULL);
            Socket push = socket(SocketType.PUSH);
            push.connect(bindAny(pull));
            pulls.add(pull);
            pushes.add(push);
        }
        for (int i = 0; i < N; i++) {
            sendMsg(pushes.get(i), "up");
            assertEquals("up", recvStr(pulls.get(i)));
        }
    }

    private Poller pollerIn() {
        Poller p = new Poller();
        for (Socket s : pulls) {
            p.register(s, Poller.POLLIN);
        }
        assertEquals(N, p.size());
        return p;
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pollZeroReturnsAtOnceWhenNothingIsReady() {
        makePairs();
        try (Poller p = pollerIn()) {
            long t0 = System.nanoTime();
            assertEquals(0, p.poll(0));
            assertTrue(millisSince(t0) < 1_000, "poll(0) must not wait");
            for (Socket s : pulls) {
                assertFalse(p.isReadable(s));
            }
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pollReportsExactlyTheReadableSockets() {
        makePairs();
        try (Poller p = pollerIn()) {
            sendMsg(pushes.get(3), "three");
            sendMsg(pushes.get(7), "seven", "more");
            sendMsg(pushes.get(11), "eleven");
            awaitTrue("three sockets readable", SETTLE_DEADLINE_MS, () -> p.poll(1_000) == 3);
            for (int i = 0; i < N; i++) {
                assertEquals(i == 3 || i == 7 || i == 11, p.isReadable(pulls.get(i)), "socket " + i);
                assertFalse(p.isWritable(pulls.get(i)), "POLLOUT was not asked for");
            }
            // readiness does not consume: the messages are still there, then they are gone
            assertEquals("three", recvStr(pulls.get(3)));
            assertEquals(List.of("seven", "more"), recvMsg(pulls.get(7)));
            assertEquals(1, p.poll(0));
            assertTrue(p.isReadable(pulls.get(11)));
            assertEquals("eleven", recvStr(pulls.get(11)));
            assertEquals(0, p.poll(0));
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pollWithPositiveTimeoutWaitsThenReturnsZero() {
        makePairs();
        try (Poller p = pollerIn()) {
            long t0 = System.nanoTime();
            assertEquals(0, p.poll(250));
            long waited = millisSince(t0);
            assertTrue(waited >= 230, "poll(250) returned after " + waited + " ms");
            assertTrue(waited < 5_000, "poll(250) took " + waited + " ms");
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pollWakesWhenAMessageArrivesFromAnotherThread() throws Exception {
        makePairs();
        Thread poller = Thread.currentThread();
        Socket push = pushes.get(5); // handed to the sender thread by start(), not used here meanwhile
        AtomicReference<Throwable> error = new AtomicReference<>();
        try (Poller p = pollerIn()) {
            Thread sender = startThread("sender", () -> {
                try {
                    awaitParked(poller, 2_000);
                    push.send(b("wake"));
                } catch (Throwable t) {
                    error.set(t);
                }
            });
            long t0 = System.nanoTime();
            int n = p.poll(10_000);
            long waited = millisSince(t0);
            assertEquals(1, n, "exactly one socket became readable");
            assertTrue(p.isReadable(pulls.get(5)));
            assertTrue(waited < 5_000, "poll must wake on arrival, not at its timeout; waited " + waited + " ms");
            sender.join(5_000);
            assertNull(error.get());
            assertEquals("wake", recvStr(pulls.get(5)));
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pollMinusOneWaitsForever() throws Exception {
        makePairs();
        Thread poller = Thread.currentThread();
        Socket push = pushes.get(0);
        AtomicReference<Throwable> error = new AtomicReference<>();
        try (Poller p = pollerIn()) {
            Thread sender = startThread("sender", () -> {
                try {
                    awaitParked(poller, 2_000);
                    push.send(b("x"));
                } catch (Throwable t) {
                    error.set(t);
                }
            });
            assertEquals(1, p.poll(-1));
            assertTrue(p.isReadable(pulls.get(0)));
            sender.join(5_000);
            assertNull(error.get());
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pollOutFollowsPipeRoom() {
        // PUSH bound with no peer: no pipe, not writable. PUSH connected to an unbound endpoint
        // (IMMEDIATE=0): a pipe with SNDHWM 2, writable until 2 messages are queued.
        Socket lonely = socket(SocketType.PUSH);
        bindAny(lonely);
        Socket queued = socket(SocketType.PUSH);
        queued.setOption(Option.SNDHWM, 2);
        queued.connect(freeEndpoint());
        try (Poller p = new Poller()) {
            p.register(lonely, Poller.POLLOUT);
            p.register(queued, Poller.POLLOUT);
            // (the connect()ed pipe may attach asynchronously; see ImmediateTest)
            awaitTrue("connected PUSH writable", SETTLE_DEADLINE_MS, () -> p.poll(100) == 1);
            assertFalse(p.isWritable(lonely));
            assertTrue(p.isWritable(queued));
            assertTrue(queued.send(b("1"), Socket.DONTWAIT));
            assertTrue(queued.send(b("2"), Socket.DONTWAIT));
            assertEquals(0, p.poll(0));
            assertFalse(p.isWritable(queued));
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void registerTwiceChangesInterestAndUnregisterRemoves() {
        makePairs();
        try (Poller p = new Poller()) {
            p.register(pulls.get(0), Poller.POLLIN);
            p.register(pulls.get(0), Poller.POLLIN | Poller.POLLOUT);
            assertEquals(1, p.size());
            sendMsg(pushes.get(1), "for 1");
            p.register(pulls.get(1), Poller.POLLIN);
            awaitTrue("socket 1 readable", SETTLE_DEADLINE_MS, () -> p.poll(100) == 1);
            assertTrue(p.unregister(pulls.get(1)));
            assertFalse(p.unregister(pulls.get(1)));
            assertEquals(0, p.poll(0));
            assertEquals("for 1", recvStr(pulls.get(1)));
        }
    }
}
