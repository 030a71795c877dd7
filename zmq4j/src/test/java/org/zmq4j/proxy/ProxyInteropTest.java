package org.zmq4j.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.support.Msgs.b;
import static org.zmq4j.support.Msgs.recv;
import static org.zmq4j.support.Msgs.recvStrings;
import static org.zmq4j.support.Msgs.send;
import static org.zmq4j.support.Msgs.socket;
import static org.zmq4j.support.Msgs.str;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Proxy;
import org.zmq4j.ProxyHandle;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.testsuite.LibzmqPeer;
import org.zmq4j.testsuite.LibzmqPeer.PeerSocket;
import org.zmq4j.support.LibzmqScript;
import org.zmq4j.support.Msgs;

/**
 * Proxies across implementations: a zmq4j queue (ROUTER/DEALER) between libzmq REQ clients and
 * libzmq REP workers; a libzmq {@code zmq_proxy} between zmq4j REQ and REP; and the STATISTICS
 * reply of a libzmq 4.3.4 steerable proxy and of zmq4j's compared frame by frame after the same
 * traffic.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyInteropTest {
    private static final int WAIT_MS = 10_000;

    /**
     * A libzmq steerable queue proxy: ROUTER frontend and DEALER backend on tcp, PAIR control on
     * tcp (or none with argv[1] == "plain", which runs zmq_proxy). Prints "ready FRONT BACK CONTROL"
     * and "ended ..." when the proxy returns; exits when stdin closes.
     */
    private static final String LIBZMQ_PROXY = String.join("\n",
            "import os, sys, threading, zmq",
            "threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()",
            "threading.Timer(110, lambda: os._exit(3)).start()",
            "ctx = zmq.Context()",
            "fe = ctx.socket(zmq.ROUTER); fe.linger = 0; fe.bind('tcp://127.0.0.1:*')",
            "be = ctx.socket(zmq.DEALER); be.linger = 0; be.bind('tcp://127.0.0.1:*')",
            "ctl = None",
            "if sys.argv[1] == 'steerable':",
            "    ctl = ctx.socket(zmq.PAIR); ctl.linger = 0; ctl.bind('tcp://127.0.0.1:*')",
            "ep = lambda s: s.getsockopt(zmq.LAST_ENDPOINT).decode()",
            "print('ready', ep(fe), ep(be), ep(ctl) if ctl else '-', flush=True)",
            "try:",
            "    if ctl is None:",
            "        zmq.proxy(fe, be)",
            "    else:",
            "        zmq.proxy_steerable(fe, be, None, ctl)",
            "    print('ended normally', flush=True)",
            "except zmq.ZMQError as e:",
            "    print('ended', e, flush=True)",
            "sys.stdin.read()",
            "os._exit(0)");

    @Test
    void zmq4jQueueBetweenLibzmqClientsAndWorkers() {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context()) {
            Socket frontend = socket(ctx, SocketType.ROUTER);
            Socket backend = socket(ctx, SocketType.DEALER);
            frontend.bind("tcp://127.0.0.1:*");
            backend.bind("tcp://127.0.0.1:*");
            Socket control = socket(ctx, SocketType.PAIR);
            control.bind("inproc://queue-control");
            Socket proxyControl = socket(ctx, SocketType.PAIR);
            proxyControl.connect("inproc://queue-control");
            String front = frontend.lastEndpoint();
            String back = backend.lastEndpoint();
            AtomicInteger workersUp = new AtomicInteger();
            backend.addMonitor(e -> workersUp.incrementAndGet(), SocketEvent.Type.HANDSHAKE_SUCCEEDED.code());
            ProxyHandle proxy = Proxy.start(frontend, backend, null, proxyControl);

            List<PeerSocket> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                PeerSocket c = peer.socket(SocketType.REQ);
                c.connect(front);
                clients.add(c);
            }
            List<PeerSocket> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                PeerSocket w = peer.socket(SocketType.REP);
                w.connect(back);
                workers.add(w);
            }
            Msgs.await(() -> workersUp.get() == 2, WAIT_MS, "both workers connected to the backend");
            int[] handled = new int[workers.size()];
            for (int round = 0; round < 4; round++) {
                for (int c = 0; c < clients.size(); c++) {
                    String request = "client " + c + " request " + round;
                    assertNull(clients.get(c).send(List.of(b(request)), WAIT_MS, false));
                    int w = serveOne(workers, request);
                    handled[w]++;
                    List<byte[]> reply = clients.get(c).recv(WAIT_MS);
                    assertNotNull(reply, "no reply for " + request);
                    assertEquals(request + " done by worker " + w, str(reply.get(0)));
                }
            }
            assertTrue(handled[0] > 0 && handled[1] > 0, "the DEALER backend spreads requests over both workers");

            send(control, "STATISTICS");
            List<byte[]> stats = recv(control);
            assertEquals(12, le(stats.get(0)), "frontend messages in");
            assertEquals(12, le(stats.get(6)), "backend messages out");
            send(control, "TERMINATE");
            assertTrue(proxy.await(WAIT_MS));
            assertNull(proxy.failure());
        }
    }

    /** Waits (bounded) until one of the workers has the request, replies, and returns its index. */
    private static int serveOne(List<PeerSocket> workers, String request) {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            for (int w = 0; w < workers.size(); w++) {
                List<byte[]> got = workers.get(w).recv(20);
                if (got != null) {
                    assertEquals(request, str(got.get(0)));
                    assertNull(workers.get(w).send(List.of(b(request + " done by worker " + w)), WAIT_MS, false));
                    return w;
                }
            }
        }
        throw new AssertionError("no worker received '" + request + "'");
    }

    private static long le(byte[] frame) {
        assertEquals(8, frame.length);
        return java.nio.ByteBuffer.wrap(frame).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void libzmqProxyBetweenZmq4jRequesterAndReplier() {
        try (LibzmqScript proxy = LibzmqScript.start(LIBZMQ_PROXY, "plain"); Context ctx = new Context()) {
            String[] ready = proxy.readLine(WAIT_MS).split(" ");
            assertEquals("ready", ready[0], proxy.stderrTail());
            Socket req = socket(ctx, SocketType.REQ);
            req.connect(ready[1]);
            Socket rep = socket(ctx, SocketType.REP);
            rep.connect(ready[2]);
            for (int i = 0; i < 10; i++) {
                send(req, "question " + i, "part two");
                assertEquals(List.of("question " + i, "part two"), recvStrings(rep), "multipart request through libzmq");
                send(rep, "answer " + i);
                assertEquals(List.of("answer " + i), recvStrings(req));
            }
        }
    }

    /** Same traffic through a libzmq 4.3.4 steerable proxy and a zmq4j one: the same eight numbers. */
    @Test
    void statisticsMatchLibzmq() {
        try (LibzmqScript libzmq = LibzmqScript.start(LIBZMQ_PROXY, "steerable"); Context ctx = new Context()) {
            String[] ready = libzmq.readLine(WAIT_MS).split(" ");
            assertEquals("ready", ready[0], libzmq.stderrTail());
            Socket theirControl = socket(ctx, SocketType.PAIR);
            theirControl.connect(ready[3]);
            List<byte[]> theirs = statisticsAfterTraffic(ctx, ready[1], ready[2], theirControl);

            Socket frontend = socket(ctx, SocketType.ROUTER);
            Socket backend = socket(ctx, SocketType.DEALER);
            frontend.bind("tcp://127.0.0.1:*");
            backend.bind("tcp://127.0.0.1:*");
            Socket ourControl = socket(ctx, SocketType.PAIR);
            ourControl.bind("tcp://127.0.0.1:*");
            Socket proxyControl = socket(ctx, SocketType.PAIR);
            proxyControl.connect(ourControl.lastEndpoint());
            ProxyHandle proxy = Proxy.start(frontend, backend, null, proxyControl);
            List<byte[]> ours = statisticsAfterTraffic(ctx, frontend.lastEndpoint(), backend.lastEndpoint(), ourControl);

            assertEquals(8, theirs.size());
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(theirs.get(i), ours.get(i), "statistic " + i + ": libzmq " + le(theirs.get(i))
                        + ", zmq4j " + le(ours.get(i)));
            }
            send(ourControl, "TERMINATE");
            assertTrue(proxy.await(WAIT_MS));
        }
    }

    /** Requests of several sizes and shapes (with a fixed REQ identity so sizes match), then STATISTICS. */
    private static List<byte[]> statisticsAfterTraffic(Context ctx, String front, String back, Socket control) {
        Socket req = socket(ctx, SocketType.REQ);
        req.setOption(Option.ROUTING_ID, b("requester"));
        req.connect(front);
        Socket rep = socket(ctx, SocketType.REP);
        rep.connect(back);
        for (int i = 0; i < 7; i++) {
            byte[] body = new byte[i * 1000];
            req.sendMore(b("head " + i));
            req.send(body);
            assertEquals(2, recv(rep).size());
            send(rep, "ok", "x".repeat(i));
            assertEquals(2, recv(req).size());
        }
        send(control, "STATISTICS");
        List<byte[]> stats = recv(control);
        req.close();
        rep.close();
        return stats;
    }
}
