package org.zmq4j.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.zmq4j.support.Msgs.b;
import static org.zmq4j.support.Msgs.send;
import static org.zmq4j.support.Msgs.socket;
import static org.zmq4j.support.Msgs.str;
import static org.zmq4j.support.Msgs.tryRecv;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Proxy;
import org.zmq4j.ProxyHandle;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.testsuite.LibzmqPeer;
import org.zmq4j.testsuite.LibzmqPeer.PeerSocket;

/**
 * The XSUB/XPUB forwarder: subscriptions travel from subscribers through the proxy to the
 * publishers, and only matching messages travel back, whole. Publishers and subscribers are both
 * zmq4j and libzmq.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForwarderProxyTest {
    private static final long SETTLE_MS = 10_000;

    @Test
    void pubSubAcrossAZmq4jForwarderWithLibzmqAndZmq4jEnds() {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context()) {
            Socket xsub = socket(ctx, SocketType.XSUB);
            Socket xpub = socket(ctx, SocketType.XPUB);
            xsub.bind("tcp://127.0.0.1:*");
            xpub.bind("tcp://127.0.0.1:*");
            ProxyHandle proxy = Proxy.start(xsub, xpub, null, null);

            Socket zmq4jPub = socket(ctx, SocketType.PUB);
            zmq4jPub.connect(xsub.lastEndpoint());
            PeerSocket libzmqPub = peer.socket(SocketType.PUB);
            libzmqPub.connect(xsub.lastEndpoint());

            PeerSocket libzmqSub = peer.socket(SocketType.SUB);
            libzmqSub.setOption("SUBSCRIBE", b("news"));
            libzmqSub.connect(xpub.lastEndpoint());
            Socket zmq4jSub = socket(ctx, SocketType.SUB);
            zmq4jSub.setOption(Option.SUBSCRIBE, b("weather"));
            zmq4jSub.connect(xpub.lastEndpoint());

            // publish until each subscription has crossed the proxy (bounded)
            List<byte[]> atLibzmq = publishUntil(() -> send(zmq4jPub, "news", "from zmq4j"),
                    () -> libzmqSub.recv(50), "news from zmq4j at the libzmq SUB");
            assertEquals(List.of("news", "from zmq4j"), strings(atLibzmq), "multipart kept whole");
            zmq4jSub.setOption(Option.RCVTIMEO, 50);
            List<byte[]> atZmq4j = publishUntil(() -> libzmqPub.send(List.of(b("weather"), b("from libzmq")), 1_000, false),
                    () -> tryRecv(zmq4jSub), "weather from libzmq at the zmq4j SUB");
            assertEquals(List.of("weather", "from libzmq"), strings(atZmq4j));

            // topics nobody subscribed to stop at the publishers (or the proxy), matching ones flow
            send(zmq4jPub, "sports", "not wanted");
            send(zmq4jPub, "weather", "wanted");
            zmq4jSub.setOption(Option.RCVTIMEO, 10_000);
            assertEquals(List.of("weather", "wanted"), strings(drainTo(zmq4jSub, "wanted")));
            for (List<byte[]> m = libzmqSub.recv(200); m != null; m = libzmqSub.recv(200)) {
                assertEquals(List.of("news", "from zmq4j"), strings(m), "the libzmq SUB gets only (late) news probes");
            }
            proxy.close();
        }
    }

    /** Receives until the message whose last frame is {@code last}, skipping earlier probes. */
    private static List<byte[]> drainTo(Socket sub, String last) {
        while (true) {
            List<byte[]> m = tryRecv(sub);
            assertNotNull(m, "'" + last + "' did not arrive");
            if (str(m.get(m.size() - 1)).equals(last)) {
                return m;
            }
        }
    }

    private static List<byte[]> publishUntil(Runnable publish, java.util.function.Supplier<List<byte[]>> poll, String what) {
        long deadline = System.nanoTime() + SETTLE_MS * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            publish.run();
            List<byte[]> got = poll.get();
            if (got != null) {
                return got;
            }
        }
        throw new AssertionError(what + " never arrived within " + SETTLE_MS + " ms");
    }

    private static List<String> strings(List<byte[]> frames) {
        return frames.stream().map(f -> str(f)).toList();
    }
}
