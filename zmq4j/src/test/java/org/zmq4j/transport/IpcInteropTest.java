package org.zmq4j.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.transport.TransportTestSupport.bytes;
import static org.zmq4j.transport.TransportTestSupport.frames;
import static org.zmq4j.transport.TransportTestSupport.socket;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.SocketType;

/**
 * zmq4j against real libzmq (pyzmq, /usr/bin/python3, driving the existing
 * {@code src/test/python/zpeer.py}) over ipc://, in both directions: for every classic pair, zmq4j
 * plays either type, either side binds, bind first or connect first. Each flow carries multipart
 * messages with empty and 1 MiB frames (see {@link Flow}); PUB/SUB checks prefix subscriptions and
 * UNSUBSCRIBE, XPUB/XSUB the subscription messages, DEALER/ROUTER the identity frame.
 * <p>
 * libzmq issue 4660 (4.3.4 can drop queued ipc messages when the sender closes right after its last
 * send): every sender stays open until the receiver has asserted everything; both ends are closed
 * only at the end of the test. Skipped (assumption) only when python3 or pyzmq is missing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IpcInteropTest {
    /** Which end of the flow is zmq4j (the other is libzmq). */
    enum Zmq4jPlays { A, B }

    @TempDir
    Path dir;

    private Context ctx;
    private ZPeerProcess peer;

    @BeforeEach
    void open() {
        ZPeerProcess.assumeAvailable();
        ctx = new Context();
        peer = ZPeerProcess.start();
    }

    @AfterEach
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void close() {
        if (peer != null) {
            peer.close();
        }
        if (ctx != null) {
            ctx.close();
        }
    }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Arguments base : Flow.allCombinations(f -> true, true)) {
            for (Zmq4jPlays plays : Zmq4jPlays.values()) {
                Object[] args = base.get();
                out.add(Arguments.of(args[0], plays, args[1], args[2]));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} zmq4j plays {1}, {2}, {3}")
    @MethodSource("cases")
    void socketPairAgainstLibzmqOverIpc(Flow flow, Zmq4jPlays plays, Flow.Binder binder, Flow.Order order) {
        End a = plays == Zmq4jPlays.A ? new Zmq4jEnd(socket(ctx, flow.aType)) : peer.socket(flow.aType);
        End b = plays == Zmq4jPlays.B ? new Zmq4jEnd(socket(ctx, flow.bType)) : peer.socket(flow.bType);
        Path p = dir.resolve(flow.name().toLowerCase() + "-" + TransportTestSupport.nextId() + ".ipc");
        flow.run(a, b, binder, order, "ipc://" + p);
    }

    /** libzmq reaches a zmq4j ipc://* endpoint through the resolved path; zmq4j reaches libzmq's. */
    @Test
    void wildcardEndpointsInteroperate() {
        End zPull = new Zmq4jEnd(socket(ctx, SocketType.PULL));
        String zEp = zPull.bind("ipc://*");
        assertTrue(zEp.startsWith("ipc:///"), zEp);
        End lPush = peer.socket(SocketType.PUSH);
        lPush.connect(zEp);
        lPush.send(frames("from libzmq"));
        TransportTestSupport.assertFrames(frames("from libzmq"), Flow.mustRecv(zPull), "zmq4j PULL");

        End lPull = peer.socket(SocketType.PULL);
        String lEp = lPull.bind("ipc://" + dir.resolve("libzmq-bound.ipc"));
        assertTrue(Files.exists(dir.resolve("libzmq-bound.ipc")), "libzmq made the socket file");
        End zPush = new Zmq4jEnd(socket(ctx, SocketType.PUSH));
        zPush.connect(lEp);
        zPush.send(frames(bytes("from zmq4j")));
        TransportTestSupport.assertFrames(frames("from zmq4j"), Flow.mustRecv(lPull), "libzmq PULL");
    }

    private static boolean refusesConnections(Path file) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(file))) {
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            return !Files.exists(file);
        }
    }

    /**
     * A path libzmq bound and then unbound can be bound by zmq4j, and libzmq connects to it; and the
     * reverse. libzmq 4.3.4 leaves the socket file of an explicit path behind on unbind/close (it
     * removes only ipc://* files; checked through pyzmq), so zmq4j's bind must replace that stale
     * file once libzmq's I/O thread has closed the listener.
     */
    @Test
    void pathHandedOverFromLibzmqToZmq4j() {
        Path file = dir.resolve("handover.ipc");
        String ep = "ipc://" + file;
        End lPull = peer.socket(SocketType.PULL);
        lPull.bind(ep);
        lPull.unbind(ep);
        // libzmq closes the listener on its I/O thread after zmq_unbind returns: wait until the
        // file refuses connections (stale)
        TransportTestSupport.await(() -> refusesConnections(file), TransportTestSupport.SETTLE_MS,
                "libzmq's listener at " + file + " closed after unbind");
        End zPull = new Zmq4jEnd(socket(ctx, SocketType.PULL));
        zPull.bind(ep);
        End lPush = peer.socket(SocketType.PUSH);
        lPush.connect(ep);
        lPush.send(frames("handed over"));
        TransportTestSupport.assertFrames(frames("handed over"), Flow.mustRecv(zPull), "zmq4j PULL on the reused path");

        String ep2 = "ipc://" + dir.resolve("handback.ipc");
        zPull.bind(ep2);
        zPull.unbind(ep2);
        TransportTestSupport.await(() -> !Files.exists(dir.resolve("handback.ipc")), TransportTestSupport.SETTLE_MS,
                "zmq4j removes its socket file on unbind");
        End lPull2 = peer.socket(SocketType.PULL);
        lPull2.bind(ep2);
        End zPush = new Zmq4jEnd(socket(ctx, SocketType.PUSH));
        zPush.connect(ep2);
        zPush.send(frames(bytes("handed back")));
        TransportTestSupport.assertFrames(frames("handed back"), Flow.mustRecv(lPull2), "libzmq PULL on the reused path");
    }
}
