package org.zmq4j.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.zmq4j.support.Msgs.b;
import static org.zmq4j.support.Msgs.recvStrings;
import static org.zmq4j.support.Msgs.send;
import static org.zmq4j.support.Msgs.socket;
import static org.zmq4j.support.Msgs.str;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.support.ContextPerTest;
import org.zmq4j.support.Msgs;
import org.zmq4j.testsuite.LibzmqPeer.PeerSocket;
import org.zmq4j.testsuite.LibzmqPeer;

/**
 * ROUTER_HANDOVER on a zmq4j ROUTER with libzmq DEALERs claiming the same routing id, and
 * PROBE_ROUTER between zmq4j and libzmq ROUTER/DEALER sockets in both directions.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RouterOptionsTest extends ContextPerTest {
    private static final int WAIT_MS = 10_000;
    private static final int SHORT_MS = 300;

    private static List<String> strings(List<byte[]> frames) {
        assertNotNull(frames, "nothing arrived at the libzmq socket");
        return frames.stream().map(f -> str(f)).toList();
    }

    /** A libzmq DEALER named {@code id} that does not reconnect (so a handed-over one stays away). */
    private static PeerSocket dealer(LibzmqPeer peer, String id, String endpoint) {
        PeerSocket d = peer.socket(SocketType.DEALER);
        d.setOption("ROUTING_ID", b(id));
        d.setOption("RECONNECT_IVL", -1);
        d.connect(endpoint);
        return d;
    }

    /** A libzmq DEALER named "worker" that connects to {@code router} and sends {@code text}. */
    private static PeerSocket worker(LibzmqPeer peer, Socket router, String text) {
        PeerSocket d = dealer(peer, "worker", router.lastEndpoint());
        d.send(List.of(b(text)), WAIT_MS, false);
        return d;
    }

    @Test
    void handoverGivesTheRoutingIdToTheNewestConnection() {
        try (LibzmqPeer peer = LibzmqPeer.start()) {
            Socket router = socket(ctx, SocketType.ROUTER);
            router.setOption(Option.ROUTER_HANDOVER, true);
            router.bind("tcp://127.0.0.1:*");
            PeerSocket first = worker(peer, router, "from first");
            assertEquals(List.of("worker", "from first"), recvStrings(router));

            PeerSocket second = worker(peer, router, "from second");
            assertEquals(List.of("worker", "from second"), recvStrings(router), "the newcomer is accepted");

            send(router, "worker", "to the holder of the id");
            assertEquals(List.of("to the holder of the id"), strings(second.recv(WAIT_MS)), "the id now names the newcomer");
            assertNull(first.recv(SHORT_MS), "the old connection was handed over");
        }
    }

    @Test
    void withoutHandoverTheNewcomerIsIgnored() {
        try (LibzmqPeer peer = LibzmqPeer.start()) {
            Socket router = socket(ctx, SocketType.ROUTER);
            router.bind("tcp://127.0.0.1:*");
            PeerSocket first = worker(peer, router, "from first");
            assertEquals(List.of("worker", "from first"), recvStrings(router));

            PeerSocket second = worker(peer, router, "from second");
            router.setOption(Option.RCVTIMEO, SHORT_MS);
            assertNull(router.recv(), "a duplicate routing id is refused");
            send(router, "worker", "still the first");
            assertEquals(List.of("still the first"), strings(first.recv(WAIT_MS)));
            assertNull(second.recv(SHORT_MS));
        }
    }

    @Test
    void probeFromAZmq4jDealerAnnouncesItToALibzmqRouter() {
        try (LibzmqPeer peer = LibzmqPeer.start()) {
            PeerSocket router = peer.socket(SocketType.ROUTER);
            String endpoint = router.bind("tcp://127.0.0.1:*", 0);
            Socket dealer = socket(ctx, SocketType.DEALER);
            dealer.setOption(Option.PROBE_ROUTER, true);
            dealer.setOption(Option.ROUTING_ID, b("prober"));
            dealer.connect(endpoint);
            assertEquals(List.of("prober", ""), strings(router.recv(WAIT_MS)), "the probe: an empty message");
            send(dealer, "after the probe");
            assertEquals(List.of("prober", "after the probe"), strings(router.recv(WAIT_MS)));
        }
    }

    @Test
    void probeFromAZmq4jReqAnnouncesItToALibzmqRouter() {
        try (LibzmqPeer peer = LibzmqPeer.start()) {
            PeerSocket router = peer.socket(SocketType.ROUTER);
            String endpoint = router.bind("tcp://127.0.0.1:*", 0);
            Socket req = socket(ctx, SocketType.REQ);
            req.setOption(Option.PROBE_ROUTER, true);
            assertEquals(true, req.getOption(Option.PROBE_ROUTER));
            req.setOption(Option.ROUTING_ID, b("req-prober"));
            req.connect(endpoint);
            assertEquals(List.of("req-prober", ""), strings(router.recv(WAIT_MS)), "the probe: an empty message, no delimiter");
            send(req, "request");
            assertEquals(List.of("req-prober", "", "request"), strings(router.recv(WAIT_MS)), "then a normal request");
        }
    }

    /**
     * A zmq4j ROUTER learns of a connection after the handshake, on its next call (here the recv
     * waiting for the server's greeting), and sends the probe then; a libzmq ROUTER attaches at
     * connect time and probes at once. Either way the server can greet the client first.
     */
    @Test
    void probeFromAZmq4jRouterLetsALibzmqRouterAnswerFirst() throws Exception {
        try (LibzmqPeer peer = LibzmqPeer.start()) {
            PeerSocket theirs = peer.socket(SocketType.ROUTER);
            theirs.setOption("ROUTING_ID", b("server"));
            String endpoint = theirs.bind("tcp://127.0.0.1:*", 0);
            Socket ours = socket(ctx, SocketType.ROUTER);
            ours.setOption(Option.PROBE_ROUTER, true);
            ours.setOption(Option.ROUTING_ID, b("client"));
            ours.connect(endpoint);
            CompletableFuture<List<String>> greeting = Msgs.async(() -> recvStrings(ours)); // hands the socket over
            assertEquals(List.of("client", ""), strings(theirs.recv(WAIT_MS)), "probe seen by the libzmq ROUTER");
            theirs.send(List.of(b("client"), b("welcome")), WAIT_MS, false);
            assertEquals(List.of("server", "welcome"), greeting.get(WAIT_MS, TimeUnit.MILLISECONDS),
                    "the libzmq ROUTER could address us before we sent anything");
        }
    }

    @Test
    void probeFromALibzmqDealerReachesAZmq4jRouter() {
        try (LibzmqPeer peer = LibzmqPeer.start()) {
            Socket router = socket(ctx, SocketType.ROUTER);
            router.bind("tcp://127.0.0.1:*");
            PeerSocket dealer = peer.socket(SocketType.DEALER);
            dealer.setOption("PROBE_ROUTER", 1);
            dealer.setOption("ROUTING_ID", b("libzmq-prober"));
            dealer.connect(router.lastEndpoint());
            assertEquals(List.of("libzmq-prober", ""), recvStrings(router));
        }
    }

    @Test
    void probeOverInprocBetweenZmq4jSockets() {
        Socket router = socket(ctx, SocketType.ROUTER);
        router.bind("inproc://probe");
        Socket dealer = socket(ctx, SocketType.DEALER);
        dealer.setOption(Option.PROBE_ROUTER, true);
        assertEquals(true, dealer.getOption(Option.PROBE_ROUTER));
        dealer.setOption(Option.ROUTING_ID, b("d"));
        dealer.connect("inproc://probe");
        assertEquals(List.of("d", ""), recvStrings(router));
    }
}
