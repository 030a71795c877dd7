package org.zmq4j.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.support.Msgs.b;
import static org.zmq4j.support.Msgs.recv;
import static org.zmq4j.support.Msgs.recvStrings;
import static org.zmq4j.support.Msgs.send;
import static org.zmq4j.support.Msgs.socket;
import static org.zmq4j.support.Msgs.tryRecv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Proxy;
import org.zmq4j.ProxyHandle;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.support.Msgs;

/**
 * The proxy between zmq4j sockets: whole multipart messages both ways, the capture copy, the
 * control commands (PAUSE / RESUME / TERMINATE / STATISTICS over PAIR and REP), and the ways it
 * ends (TERMINATE, context close, {@link ProxyHandle#close()}).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SteerableProxyTest {
    private static final int SHORT_MS = 300;

    private Context ctx;
    private Socket frontend;
    private Socket backend;
    private Socket client;
    private Socket worker;

    @BeforeEach
    void queue() {
        ctx = new Context();
        frontend = socket(ctx, SocketType.ROUTER);
        backend = socket(ctx, SocketType.DEALER);
        frontend.bind("inproc://frontend");
        backend.bind("inproc://backend");
        client = socket(ctx, SocketType.REQ);
        client.connect("inproc://frontend");
        worker = socket(ctx, SocketType.REP);
        worker.connect("inproc://backend");
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    private Socket userControl(SocketType type) {
        Socket user = socket(ctx, type);
        user.connect("inproc://control-user");
        return user;
    }

    /** One request through the proxy and its reply back. */
    private void roundTrip(String request) {
        send(client, request);
        assertEquals(List.of(request), recvStrings(worker));
        send(worker, "re: " + request);
        assertEquals(List.of("re: " + request), recvStrings(client));
    }

    private static long[] statistics(List<byte[]> reply) {
        assertEquals(8, reply.size(), "STATISTICS is answered with eight frames");
        long[] values = new long[8];
        for (int i = 0; i < 8; i++) {
            assertEquals(8, reply.get(i).length, "each statistic is an 8-byte integer");
            values[i] = ByteBuffer.wrap(reply.get(i)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }
        return values;
    }

    @Test
    void queueForwardsRequestsAndRepliesAndCountsThem() {
        Socket control = socket(ctx, SocketType.PAIR);
        control.bind("inproc://control-user");
        Socket proxyControl = socket(ctx, SocketType.PAIR);
        proxyControl.connect("inproc://control-user");
        ProxyHandle proxy = Proxy.start(frontend, backend, null, proxyControl);
        for (int i = 0; i < 5; i++) {
            roundTrip("request " + i); // 9 bytes each; ROUTER adds a 5-byte id and an empty delimiter
        }
        send(control, "STATISTICS");
        long[] s = statistics(recv(control));
        // frontend: 5 messages in of 5+0+9 bytes, 5 out of 5+0+13; backend the mirror image
        assertEquals(List.of(5L, 70L, 5L, 90L, 5L, 90L, 5L, 70L), toList(s));
        send(control, "TERMINATE");
        assertTrue(proxy.await(10_000), "TERMINATE ends the proxy");
        assertNull(proxy.failure());
    }

    private static List<Long> toList(long[] values) {
        List<Long> list = new ArrayList<>();
        for (long v : values) {
            list.add(v);
        }
        return list;
    }

    @Test
    void pauseHoldsMessagesAndResumeReleasesThem() {
        Socket control = socket(ctx, SocketType.PAIR);
        control.bind("inproc://control-user");
        Socket proxyControl = socket(ctx, SocketType.PAIR);
        proxyControl.connect("inproc://control-user");
        ProxyHandle proxy = Proxy.start(frontend, backend, null, proxyControl);
        roundTrip("before pause");

        send(control, "PAUSE");
        send(control, "STATISTICS"); // answered after PAUSE took effect: commands are handled in order
        assertEquals(1, statistics(recv(control))[0]);
        send(client, "during pause");
        worker.setOption(Option.RCVTIMEO, SHORT_MS);
        assertNull(tryRecv(worker), "nothing is forwarded while paused");

        send(control, "RESUME");
        worker.setOption(Option.RCVTIMEO, 10_000);
        assertEquals(List.of("during pause"), recvStrings(worker), "held messages flow after RESUME");
        send(control, "TERMINATE");
        assertTrue(proxy.await(10_000));
    }

    @Test
    void repControlSocketGetsAnAnswerToEveryCommand() {
        Socket proxyControl = socket(ctx, SocketType.REP);
        proxyControl.bind("inproc://control-user");
        Socket control = userControl(SocketType.REQ);
        ProxyHandle proxy = Proxy.start(frontend, backend, null, proxyControl);
        for (String command : List.of("PAUSE", "RESUME", "NO-SUCH-COMMAND")) {
            send(control, command);
            assertEquals(List.of(""), recvStrings(control), "empty reply to " + command);
        }
        roundTrip("still working");
        send(control, "STATISTICS");
        assertEquals(1, statistics(recv(control))[0]);
        send(control, "TERMINATE");
        assertEquals(List.of(""), recvStrings(control));
        assertTrue(proxy.await(10_000));
        assertNull(proxy.failure());
    }

    @Test
    void captureGetsEveryFrameOfEveryMessageAndTheCommands() {
        Socket captured = socket(ctx, SocketType.PULL);
        captured.bind("inproc://capture");
        Socket capture = socket(ctx, SocketType.PUSH);
        capture.connect("inproc://capture");
        Socket proxyControl = socket(ctx, SocketType.PAIR);
        proxyControl.bind("inproc://control-user");
        Socket control = userControl(SocketType.PAIR);
        ProxyHandle proxy = Proxy.start(frontend, backend, capture, proxyControl);

        send(client, "a", "b", "c");
        assertEquals(List.of("a", "b", "c"), recvStrings(worker), "multipart messages are forwarded whole");
        List<byte[]> request = recv(captured);
        assertEquals(5, request.size(), "capture: [routing id, \"\", a, b, c]");
        assertEquals(List.of("", "a", "b", "c"), strings(request.subList(1, 5)));

        send(worker, "x", "y");
        assertEquals(List.of("x", "y"), recvStrings(client));
        List<byte[]> reply = recv(captured);
        assertEquals(List.of("", "x", "y"), strings(reply.subList(1, 4)), "capture: the reply with its envelope");

        send(control, "TERMINATE");
        assertEquals(List.of("TERMINATE"), recvStrings(captured), "as libzmq 4.3.4, commands are captured too");
        assertTrue(proxy.await(10_000));
    }

    private static List<String> strings(List<byte[]> frames) {
        List<String> out = new ArrayList<>();
        for (byte[] f : frames) {
            out.add(new String(f, java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void runOnTheCallersThreadReturnsWhenTheContextCloses() throws Exception {
        CompletableFuture<Void> running = Msgs.async(() -> Proxy.run(frontend, backend));
        roundTrip("through a blocking run");
        assertFalse(running.isDone());
        ctx.close();
        running.get(10, TimeUnit.SECONDS); // returned normally: ETERM ends a proxy
    }

    @Test
    void closingTheHandleStopsTheProxyAndHandsTheSocketsBack() {
        ProxyHandle proxy = Proxy.start(frontend, backend, null, null);
        roundTrip("one");
        proxy.close();
        assertFalse(proxy.isRunning());
        assertNull(proxy.failure(), "a stop is not a failure");
        send(client, "direct");                       // the proxy no longer forwards...
        List<byte[]> raw = recv(frontend);            // ...so the frontend, ours again, has it
        assertEquals("direct", new String(raw.get(raw.size() - 1), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void streamerForwardsPushToPull() {
        Socket pull = socket(ctx, SocketType.PULL);
        pull.bind("inproc://streamer-in");
        Socket push = socket(ctx, SocketType.PUSH);
        push.bind("inproc://streamer-out");
        Socket producer = socket(ctx, SocketType.PUSH);
        producer.connect("inproc://streamer-in");
        Socket consumer = socket(ctx, SocketType.PULL);
        consumer.connect("inproc://streamer-out");
        ProxyHandle proxy = Proxy.start(pull, push, null, null);
        for (int i = 0; i < 2_000; i++) {
            send(producer, "job", Integer.toString(i));
        }
        for (int i = 0; i < 2_000; i++) {
            assertEquals(List.of("job", Integer.toString(i)), recvStrings(consumer));
        }
        proxy.close();
    }

    @Test
    void aClosedSocketEndsTheProxyWithAnError() {
        Socket other = socket(ctx, SocketType.DEALER);
        other.close();
        ZmqException e = assertThrows(ZmqException.class, () -> Proxy.run(frontend, other));
        assertEquals(ZmqException.Errno.ENOTSOCK, e.errno());
    }

    @Test
    void nullSocketsAreRejected() {
        assertEquals(ZmqException.Errno.EINVAL, assertThrows(ZmqException.class, () -> Proxy.run(null, backend)).errno());
        assertEquals(ZmqException.Errno.EINVAL,
                assertThrows(ZmqException.class, () -> Proxy.start(frontend, null, null, null)).errno());
    }
}
