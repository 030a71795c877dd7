package org.zmq4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.zmq4j.interop.Interop.deliver;
import static org.zmq4j.interop.Interop.expectMsg;

import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.interop.Payloads.Payload;

/** PUSH to PULL: zmq4j PUSH to libzmq PULL and libzmq PUSH to zmq4j PULL, each side binding. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PushPullInteropTest {
    static Stream<Case> cases() {
        return Case.between(SocketType.PUSH, SocketType.PULL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void carriesEveryPayload(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c).connect()) {
            for (Payload p : Payloads.standard()) {
                deliver(link.end(SocketType.PUSH), link.end(SocketType.PULL), p.msg(), c + ", " + p);
            }
        }
    }

    /**
     * 2000 messages of sizes cycling through 0..700 bytes (so frames straddle read and write
     * buffers at every offset), sent in windows of 100, arrive complete and in order.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepsOrderAcrossManyMessagesOfMixedSizes(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c).connect()) {
            End push = link.end(SocketType.PUSH);
            End pull = link.end(SocketType.PULL);
            int total = 2000;
            int window = 100;
            for (int start = 0; start < total; start += window) {
                for (int i = start; i < start + window; i++) {
                    push.send(numbered(i));
                }
                for (int i = start; i < start + window; i++) {
                    assertEquals(numbered(i), expectMsg(pull, c + ", message " + i), c + ", message " + i + " of " + total);
                }
            }
        }
    }

    private static Msg numbered(int i) {
        return Msg.of(Interop.b(Integer.toString(i)), Payloads.bytes((i * 37) % 701, i));
    }
}
