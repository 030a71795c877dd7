package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.CloseReport;
import org.zmq4j.Context;
import org.zmq4j.ContextConfig;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/**
 * The ways out of libzmq's LINGER trap (-1: a message queued for a peer that never comes keeps
 * {@code zmq_ctx_term} waiting forever): a Context-wide default LINGER, {@code Context.closeWithin(Duration)}
 * that returns within its bound and says what it dropped, and {@code Socket.closeWithLinger(Duration)}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BoundedCloseTest {
    /** A PUSH connected to a port nobody listens on, with {@code n} messages queued for it. */
    private static Socket stuckPush(Context ctx, int n) {
        Socket push = ctx.socket(SocketType.PUSH);
        push.connect(SocketTestBase.freeEndpoint());
        for (int i = 0; i < n; i++) {
            assertTrue(push.send(("m" + i).getBytes(), Socket.DONTWAIT), "queued while the peer is absent");
        }
        return push;
    }

    @Test
    void aBoundedCloseCutsWhatWaitsForAnAbsentPeerAndSaysSo() {
        Context ctx = new Context();
        Socket push = stuckPush(ctx, 7);
        assertEquals(-1, push.getOption(Option.LINGER), "libzmq's default: wait forever");
        push.close(); // lingers forever in the background, as libzmq does
        long t0 = System.nanoTime();
        CloseReport report = ctx.closeWithin(Duration.ofMillis(300));
        long ms = SocketTestBase.millisSince(t0);
        assertTrue(ms < 5_000, "a 300 ms close took " + ms + " ms");
        assertFalse(report.complete());
        assertEquals(1, report.connectionsCut());
        assertEquals(7, report.messagesDropped());
        assertTrue(ctx.isClosed());
        assertTrue(ctx.closeWithin(Duration.ofMillis(300)).complete(), "a second close has nothing to do");
    }

    @Test
    void aBoundedCloseOfAnOpenSocketWithQueuedMessages() {
        Context ctx = new Context();
        stuckPush(ctx, 3); // left open: the context closes it
        CloseReport report = ctx.closeWithin(Duration.ZERO);
        assertEquals(3, report.messagesDropped(), report.toString());
    }

    @Test
    void aBoundedCloseWithNothingQueuedIsComplete() {
        Context ctx = new Context();
        try (Socket pull = ctx.socket(SocketType.PULL); Socket push = ctx.socket(SocketType.PUSH)) {
            pull.bind(SocketTestBase.ANY_LOOPBACK);
            push.connect(pull.lastEndpoint());
            push.send("x".getBytes());
            assertEquals("x", new String(pull.recv()));
        }
        CloseReport report = ctx.closeWithin(Duration.ofSeconds(5));
        assertTrue(report.complete(), report.toString());
        assertEquals(0, report.messagesDropped());
    }

    @Test
    void aContextWideLingerIsEverySocketsDefault() {
        Context ctx = new Context(ContextConfig.builder().linger(Duration.ofMillis(100)).build());
        Socket push = stuckPush(ctx, 2);
        assertEquals(100, push.getOption(Option.LINGER));
        Socket other = ctx.socket(SocketType.DEALER);
        other.setOption(Option.LINGER, 0); // a socket can still choose its own
        assertEquals(0, other.getOption(Option.LINGER));
        long t0 = System.nanoTime();
        ctx.close(); // no hang: the pushed messages wait 100 ms, then LINGER drops them
        long ms = SocketTestBase.millisSince(t0);
        assertTrue(ms < 5_000, "close took " + ms + " ms");
    }

    @Test
    void socketCloseWithALinger() {
        Context ctx = new Context();
        Socket push = stuckPush(ctx, 1);
        push.closeWithLinger(Duration.ZERO);
        assertTrue(ctx.closeWithin(Duration.ofSeconds(5)).complete(), "LINGER 0 dropped the message at socket close");
    }

    @Test
    void badValuesAreEinval() {
        assertEquals(ZmqException.Errno.EINVAL, org.junit.jupiter.api.Assertions.assertThrows(ZmqException.class,
                () -> ContextConfig.builder().linger(Duration.ofMillis(-1)).build()).errno());
        try (Context ctx = new Context()) {
            assertEquals(ZmqException.Errno.EINVAL, org.junit.jupiter.api.Assertions.assertThrows(ZmqException.class,
                    () -> ctx.closeWithin(Duration.ofMillis(-5))).errno());
        }
    }
}
