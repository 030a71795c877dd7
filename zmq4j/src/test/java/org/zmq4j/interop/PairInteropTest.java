package org.zmq4j.interop;

import static org.zmq4j.interop.Interop.deliver;

import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.interop.Payloads.Payload;

/** PAIR to PAIR between zmq4j and libzmq, zmq4j binding and connecting. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PairInteropTest {
    static Stream<Case> cases() {
        return Case.between(SocketType.PAIR, SocketType.PAIR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void binderToConnectorCarriesEveryPayload(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c).connect()) {
            for (Payload p : Payloads.standard()) {
                deliver(link.binder(), link.connector(), p.msg(), c + ", " + p);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void connectorToBinderCarriesEveryPayload(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c).connect()) {
            for (Payload p : Payloads.standard()) {
                deliver(link.connector(), link.binder(), p.msg(), c + ", " + p);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pingPongHundredTimes(Case c) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Link link = Link.create(ctx, peer, c).connect()) {
            for (int i = 0; i < 100; i++) {
                deliver(link.connector(), link.binder(), Msg.of("ping", Integer.toString(i)), c + ", ping " + i);
                deliver(link.binder(), link.connector(), Msg.of("pong", Integer.toString(i)), c + ", pong " + i);
            }
        }
    }
}
