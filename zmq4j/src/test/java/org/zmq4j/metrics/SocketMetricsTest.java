package org.zmq4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketMetrics;
import org.zmq4j.SocketType;

/** {@link Socket#metrics()} against known traffic: every counter exactly. */
@Timeout(60)
class SocketMetricsTest {
    @Test
    void messagesAndBytesBothWaysOverTcpAndInproc() {
        for (String ep : new String[] {"tcp://127.0.0.1:*", "inproc://metrics-" + System.nanoTime()}) {
            try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH); Socket pull = ctx.socket(SocketType.PULL)) {
                pull.bind(ep);
                push.connect(pull.lastEndpoint());
                for (int i = 0; i < 100; i++) {
                    push.send(new byte[10], Socket.SNDMORE);
                    push.send(new byte[20]);
                }
                for (int i = 0; i < 200; i++) {
                    pull.recv();
                }
                SocketMetrics out = push.metrics();
                SocketMetrics in = pull.metrics();
                assertEquals(SocketType.PUSH, out.type());
                assertEquals(100, out.messagesSent());
                assertEquals(3000, out.bytesSent());
                assertEquals(0, out.messagesReceived());
                assertEquals(100, in.messagesReceived());
                assertEquals(3000, in.bytesReceived());
                assertEquals(0, in.receiveWouldBlock());
            }
        }
    }

    @Test
    void endpointsAndPeersAndTheContextsView() throws Exception {
        try (Context ctx = new Context(); Socket router = ctx.socket(SocketType.ROUTER)) {
            router.bind("tcp://127.0.0.1:*");
            String ep = router.lastEndpoint();
            Socket a = ctx.socket(SocketType.DEALER);
            Socket b = ctx.socket(SocketType.DEALER);
            a.connect(ep);
            b.connect(ep);
            a.send("hi".getBytes());
            b.send("hi".getBytes());
            for (int i = 0; i < 4; i++) {
                router.recv(); // both peers are attached once both messages came
            }
            SocketMetrics m = router.metrics();
            assertEquals(java.util.List.of(ep), m.endpoints());
            assertEquals(2, m.peers());
            assertEquals(java.util.List.of(ep), a.metrics().endpoints(), "a connect's endpoint as given");
            org.zmq4j.ContextMetrics c = ctx.metrics();
            assertEquals(3, c.sockets().size());
            assertEquals(1, c.ioThreads());
            assertTrue(c.peers() >= 3, "the router's two and the dealers' own: " + c);
            b.close();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (router.metrics().peers() != 1) { // the router sees b's connection go (bounded)
                assertTrue(System.nanoTime() < deadline, router.metrics().toString());
                router.recv(Socket.DONTWAIT);
                Thread.sleep(10);
            }
            a.close();
            assertEquals(1, ctx.metrics().sockets().size(), "closed sockets leave the view");
        }
    }

    /** libzmq (pyzmq) on the other side: its PUSH to our PULL, our PUB to its slow SUB. */
    private static final String LIBZMQ_PEER = String.join("\n",
            "import os, sys, threading, zmq",
            "threading.Timer(100, lambda: os._exit(3)).start()",
            "c = zmq.Context()",
            "push = c.socket(zmq.PUSH); push.connect(sys.argv[1])",
            "for i in range(50): push.send_multipart([b'x' * 10, b'y' * 20])",
            "sub = c.socket(zmq.SUB); sub.rcvhwm = 10; sub.rcvbuf = 4096; sub.setsockopt(zmq.SUBSCRIBE, b'')",
            "sub.connect(sys.argv[2]); sub.recv(); print('subscribed', flush=True)",
            "sys.stdin.readline()",
            "sub.rcvtimeo = 1000; n = 0",
            "try:",
            "    while True:",
            "        if len(sub.recv()) == 100: n += 1",
            "except zmq.Again:",
            "    pass",
            "print(n, flush=True)",
            "sys.stdin.readline()",
            "os._exit(0)");

    @Test
    void countsWhatLibzmqPeersSendAndWhatTheyMiss() throws Exception {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL); Socket pub = ctx.socket(SocketType.PUB)) {
            pull.bind("tcp://127.0.0.1:*");
            pub.setOption(Option.SNDHWM, 10);
            pub.bind("tcp://127.0.0.1:*");
            try (org.zmq4j.support.LibzmqScript py = org.zmq4j.support.LibzmqScript.start(LIBZMQ_PEER, pull.lastEndpoint(),
                    pub.lastEndpoint())) {
                for (int i = 0; i < 100; i++) {
                    pull.recv();
                }
                SocketMetrics in = pull.metrics();
                assertEquals(50, in.messagesReceived());
                assertEquals(1500, in.bytesReceived());
                assertEquals(1, in.peers());
                AtomicBoolean subscribed = new AtomicBoolean();
                Thread probes = new Thread(() -> { // the socket is this thread's until it ends
                    for (int i = 0; i < 30_000 && !subscribed.get(); i++) {
                        pub.send(new byte[1]);
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                probes.start();
                String line = py.readLine(30_000); // once its subscription is in place
                subscribed.set(true);
                probes.join(10_000);
                assertEquals("subscribed", line);
                SocketMetrics before = pub.metrics();
                for (int i = 0; i < 5000; i++) {
                    pub.send(new byte[100]); // its SUB reads nothing meanwhile
                }
                py.writeLine("read");
                long got = Long.parseLong(py.readLine(30_000));
                long dropped = pub.metrics().droppedAtHwm() - before.droppedAtHwm();
                assertTrue(dropped > 0, pub.metrics().toString());
                assertEquals(5000, got + dropped, "libzmq's SUB got " + got + ", we counted " + dropped + " dropped");
            }
        }
    }

    @Test
    void sendsAndReceivesThatWouldBlockAreCounted() {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL); Socket dealer = ctx.socket(SocketType.DEALER)) {
            pull.bind("tcp://127.0.0.1:*");
            assertNull(pull.recv(Socket.DONTWAIT));
            pull.setOption(Option.RCVTIMEO, 10);
            assertNull(pull.recv());
            assertEquals(2, pull.metrics().receiveWouldBlock());
            assertTrue(!dealer.send(new byte[1], Socket.DONTWAIT), "no peer: EAGAIN");
            assertEquals(1, dealer.metrics().sendWouldBlock());
            assertEquals(0, dealer.metrics().messagesSent());
        }
    }

    @Test
    void aPublisherCountsEveryCopyASlowSubscriberMissed() {
        try (Context ctx = new Context(); Socket pub = ctx.socket(SocketType.PUB); Socket sub = ctx.socket(SocketType.SUB)) {
            pub.setOption(Option.SNDHWM, 10);
            sub.setOption(Option.RCVHWM, 10);
            pub.bind("tcp://127.0.0.1:*");
            sub.setOption(Option.SUBSCRIBE, new byte[0]);
            sub.connect(pub.lastEndpoint());
            sub.setOption(Option.RCVTIMEO, 20);
            while (sub.recv() == null) { // until the subscription is in place (bounded by the test's timeout)
                pub.send(new byte[] {1});
            }
            while (sub.recv() != null) {
                // the probes
            }
            SocketMetrics before = pub.metrics();
            for (int i = 0; i < 5000; i++) {
                pub.send(new byte[100]); // the subscriber reads nothing meanwhile
            }
            sub.setOption(Option.RCVTIMEO, 1000);
            int got = 0;
            while (sub.recv() != null) {
                got++;
            }
            SocketMetrics after = pub.metrics();
            assertEquals(5000, after.messagesSent() - before.messagesSent(), "a dropped copy is still a message sent");
            long dropped = after.droppedAtHwm() - before.droppedAtHwm();
            assertTrue(dropped > 0, "some were dropped: " + after);
            assertEquals(5000, got + dropped, "each message was either delivered or counted as dropped");
        }
    }

    @Test
    void aRouterCountsUnroutableAndDroppedMessages() {
        try (Context ctx = new Context(); Socket router = ctx.socket(SocketType.ROUTER); Socket dealer = ctx.socket(SocketType.DEALER)) {
            router.setOption(Option.SNDHWM, 5);
            dealer.setOption(Option.RCVHWM, 5);
            dealer.setOption(Option.ROUTING_ID, "d".getBytes());
            router.bind("tcp://127.0.0.1:*");
            dealer.connect(router.lastEndpoint());
            dealer.send("hello".getBytes());
            assertEquals("d", new String(router.recv()));
            router.recv();
            router.send("nobody".getBytes(), Socket.SNDMORE);
            router.send("lost".getBytes());
            assertEquals(1, router.metrics().unroutable());
            for (int i = 0; i < 2000; i++) {
                router.send("d".getBytes(), Socket.SNDMORE);
                router.send(new byte[50]);
            }
            dealer.setOption(Option.RCVTIMEO, 1000);
            int got = 0;
            while (dealer.recv() != null) {
                got++;
            }
            SocketMetrics m = router.metrics();
            assertTrue(m.droppedAtHwm() > 0, m.toString());
            assertEquals(2000, got + m.droppedAtHwm(), "delivered or dropped, each once: " + m);
        }
    }

    @Test
    void anotherThreadReadsTheCountersWhileTrafficFlows() throws Exception {
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH); Socket pull = ctx.socket(SocketType.PULL)) {
            pull.bind("inproc://metrics-reader");
            push.connect("inproc://metrics-reader");
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<String> problem = new AtomicReference<>();
            Thread watcher = new Thread(() -> {
                long last = 0;
                while (!done.get()) {
                    long now = push.metrics().messagesSent();
                    if (now < last) {
                        problem.set("went back from " + last + " to " + now);
                    }
                    last = now;
                }
            });
            watcher.start();
            Thread reader = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    pull.recv();
                }
            });
            reader.start();
            for (int i = 0; i < 100_000; i++) {
                push.send(new byte[8]);
            }
            reader.join(30_000);
            done.set(true);
            watcher.join(10_000);
            assertNull(problem.get());
            assertEquals(100_000, push.metrics().messagesSent());
            assertEquals(100_000, pull.metrics().messagesReceived());
        }
    }
}
