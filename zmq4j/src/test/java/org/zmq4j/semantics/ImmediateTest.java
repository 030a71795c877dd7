package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * ZMQ_IMMEDIATE (zmq_setsockopt(3)): "If set to 1, will delay the attachment of a pipe on
 * connect until the underlying connection has completed. This will cause the socket to block if
 * there are no other connections, but will prevent queues from filling on pipes awaiting
 * connection." Without it (the default) connect() attaches a pipe at once: messages queue and
 * are delivered once the peer binds. Both checked with libzmq 4.3.4 via pyzmq.
 */
class ImmediateTest extends SocketTestBase {

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void withImmediateNothingQueuesUntilTheConnectionIsUp() {
        String ep = freeEndpoint();
        Socket push = socket(SocketType.PUSH);
        push.setOption(Option.IMMEDIATE, true);
        assertEquals(Boolean.TRUE, push.getOption(Option.IMMEDIATE));
        push.connect(ep);
        assertFalse(push.send(b("too early"), Socket.DONTWAIT), "IMMEDIATE: no pipe before the connection completes");

        Socket pull = socket(SocketType.PULL);
        pull.bind(ep);
        // reconnect (RECONNECT_IVL 100 ms) makes the connection; then the pipe is attached
        awaitTrue("PUSH with IMMEDIATE accepts a message once connected", SETTLE_DEADLINE_MS,
                () -> push.send(b("on time"), Socket.DONTWAIT));
        assertEquals("on time", recvStr(pull), "the refused message was not queued");
    }

    /**
     * libzmq's zmq_connect with IMMEDIATE=0 creates the pipe and attaches it to the socket before it
     * returns (socket_base_t::connect_internal: pipepair + attach_pipe), so a DONTWAIT send right
     * after connect() is queued. pyzmq/libzmq 4.3.4: 5 of 5 DONTWAIT sends right after connect to a
     * dead port with SNDHWM 5 succeed; a SUB's subscription made right after connect() reaches the
     * publisher without any further call on the SUB.
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void connectAttachesThePipeBeforeReturning() {
        // repeated, because an implementation that attaches the pipe from the I/O thread only races
        int failures = 0;
        for (int i = 0; i < 20; i++) {
            Socket push = socket(SocketType.PUSH);
            push.connect(freeEndpoint());
            if (!push.send(b("right after connect"), Socket.DONTWAIT)) {
                failures++;
            }
            push.close();
        }
        assertEquals(0, failures, "IMMEDIATE=0: the pipe must be attached when connect() returns;"
                + " a DONTWAIT send right after connect() failed " + failures + " times out of 20");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void withoutImmediateMessagesQueueAndAreDeliveredOnceThePeerBinds() {
        String ep = freeEndpoint();
        Socket push = socket(SocketType.PUSH);
        assertEquals(Boolean.FALSE, push.getOption(Option.IMMEDIATE));
        push.connect(ep); // connect before bind
        awaitAccepted(push, b("queued1"));
        for (int i = 2; i <= 3; i++) {
            assertTrue(push.send(b("queued" + i), Socket.DONTWAIT), "default: the pipe queues before the connection exists");
        }
        Socket pull = socket(SocketType.PULL);
        pull.bind(ep);
        for (int i = 1; i <= 3; i++) {
            assertEquals("queued" + i, recvStr(pull));
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void withImmediateMessagesGoOnlyToConnectedPeers() {
        // one live peer and one dead endpoint: nothing may be parked on the dead pipe
        Socket live = socket(SocketType.PULL);
        String liveEp = bindAny(live);
        Socket push = socket(SocketType.PUSH);
        push.setOption(Option.IMMEDIATE, true);
        push.connect(freeEndpoint());
        push.connect(liveEp);
        awaitTrue("connection to the live peer", SETTLE_DEADLINE_MS, () -> push.send(b("first"), Socket.DONTWAIT));
        for (int i = 0; i < 10; i++) {
            sendMsg(push, "m" + i);
        }
        assertEquals("first", recvStr(live));
        for (int i = 0; i < 10; i++) {
            assertEquals("m" + i, recvStr(live), "round-robin must skip the unconnected endpoint");
        }
    }
}
