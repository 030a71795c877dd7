package org.zmq4j.transport;

import static org.zmq4j.transport.TransportTestSupport.inproc;
import static org.zmq4j.transport.TransportTestSupport.socket;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;

/**
 * Every classic socket pair over inproc://, zmq4j to zmq4j within one Context: each side binding,
 * bind-then-connect and connect-before-bind (with the first message sent before the bind where
 * the type queues it), multipart messages, empty frames and 1 MiB frames (see {@link Flow}).
 * <p>
 * PUB/SUB covers prefix subscriptions and UNSUBSCRIBE; XPUB/XSUB covers the subscription messages
 * {@code \x01topic} / {@code \x00topic} as XPUB reads them; DEALER/ROUTER covers the ROUTING_ID
 * arriving as the identity frame; ROUTER/ROUTER addresses both sides by ROUTING_ID.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InprocSocketTypesTest {
    private Context ctx;

    @BeforeEach
    void open() {
        ctx = new Context();
    }

    @AfterEach
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void close() {
        ctx.close();
    }

    static List<Arguments> cases() {
        return Flow.allCombinations(f -> true, true);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void socketPairOverInproc(Flow flow, Flow.Binder binder, Flow.Order order) {
        End a = new Zmq4jEnd(socket(ctx, flow.aType));
        End b = new Zmq4jEnd(socket(ctx, flow.bType));
        flow.run(a, b, binder, order, inproc(flow.name()));
    }
}
