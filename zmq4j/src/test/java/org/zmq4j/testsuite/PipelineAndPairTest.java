package org.zmq4j.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.zmq4j.testsuite.Suite.deliver;
import static org.zmq4j.testsuite.Suite.expectMsg;

import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.SocketType;

/**
 * PUSH/PULL and PAIR/PAIR beyond the payload flows of {@link FlowTest}: order across many
 * messages of mixed sizes, and many short round trips. Every transport and implementation pair,
 * each side binding ({@link Case#between}).
 */
@ExtendWith(NamedFailures.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipelineAndPairTest {
    static Stream<Case> pushPull() {
        return Case.between(SocketType.PUSH, SocketType.PULL);
    }

    static Stream<Case> pair() {
        return Case.between(SocketType.PAIR, SocketType.PAIR);
    }

    /**
     * 2000 messages of sizes cycling through 0..700 bytes (so frames straddle read and write
     * buffers at every offset), sent in windows of 100, arrive complete and in order.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pushPull")
    void keepsOrderAcrossManyMessagesOfMixedSizes(Case c) {
        try (Link link = Link.open(c).connect()) {
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
        return Msg.of(Suite.b(Integer.toString(i)), Payloads.bytes((i * 37) % 701, i));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pair")
    void pingPongHundredTimes(Case c) {
        try (Link link = Link.open(c).connect()) {
            for (int i = 0; i < 100; i++) {
                deliver(link.connector(), link.binder(), Msg.of("ping", Integer.toString(i)), c + ", ping " + i);
                deliver(link.binder(), link.connector(), Msg.of("pong", Integer.toString(i)), c + ", pong " + i);
            }
        }
    }
}
