package org.zmq4j.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Context;
import org.zmq4j.Message;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.FrameEncoder;
import org.zmq4j.wire.Greeting;
import org.zmq4j.wire.Metadata;

/**
 * A client that completes the NULL handshake and resets the connection at once (SO_LINGER 0 on
 * tcp, a plain close on ipc) makes the bound socket's write of its READY fail inside the handshake's
 * own callback. That must cost the connection and nothing else: every later call on the bound
 * socket works, legitimate peers are read, close works. (It used to make every later call throw
 * NullPointerException: docs/faults.md.)
 */
class HandshakeThenResetTest {
    private static final int ROUNDS = 30;

    /** A Socket-Type each bound type accepts. */
    private static final Map<SocketType, SocketType> PEER_OF = Map.ofEntries(
            Map.entry(SocketType.PAIR, SocketType.PAIR), Map.entry(SocketType.PUB, SocketType.SUB),
            Map.entry(SocketType.SUB, SocketType.PUB), Map.entry(SocketType.XPUB, SocketType.XSUB),
            Map.entry(SocketType.XSUB, SocketType.XPUB), Map.entry(SocketType.REQ, SocketType.REP),
            Map.entry(SocketType.REP, SocketType.REQ), Map.entry(SocketType.DEALER, SocketType.ROUTER),
            Map.entry(SocketType.ROUTER, SocketType.DEALER), Map.entry(SocketType.PUSH, SocketType.PULL),
            Map.entry(SocketType.PULL, SocketType.PUSH), Map.entry(SocketType.SERVER, SocketType.CLIENT),
            Map.entry(SocketType.CLIENT, SocketType.SERVER), Map.entry(SocketType.RADIO, SocketType.DISH),
            Map.entry(SocketType.DISH, SocketType.RADIO), Map.entry(SocketType.SCATTER, SocketType.GATHER),
            Map.entry(SocketType.GATHER, SocketType.SCATTER), Map.entry(SocketType.PEER, SocketType.PEER),
            Map.entry(SocketType.CHANNEL, SocketType.CHANNEL));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (SocketType t : EnumSet.copyOf(PEER_OF.keySet())) {
            out.add(Arguments.of(t, "tcp"));
            out.add(Arguments.of(t, "ipc"));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} bound on {1}")
    @MethodSource("cases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPeerThatHandshakesAndResetsCostsOnlyItsConnection(SocketType type, String transport) throws Exception {
        Path dir = transport.equals("ipc") ? Files.createTempDirectory("zmq4j-reset") : null;
        try (Context ctx = new Context()) {
            Socket bound = ctx.socket(type);
            bound.setOption(Option.LINGER, 0);
            AtomicInteger disconnected = new AtomicInteger();
            bound.addMonitor(e -> disconnected.incrementAndGet(), SocketEvent.Type.DISCONNECTED.code());
            bound.bind(transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://" + dir.resolve("s"));
            String endpoint = bound.lastEndpoint();
            for (int i = 0; i < ROUNDS; i++) {
                handshakeAndReset(endpoint, PEER_OF.get(type));
                poke(bound); // the socket runs what its I/O thread told it
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (disconnected.get() < ROUNDS && System.nanoTime() < deadline) {
                poke(bound);
                Thread.onSpinWait();
            }
            assertEquals(ROUNDS, disconnected.get(), "every reset connection was seen to end");
            poke(bound);
            exchangeWithALegitimatePeer(ctx, bound, PEER_OF.get(type));
            bound.close();
        } finally {
            if (dir != null) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.forEach(p -> p.toFile().delete());
                }
                Files.deleteIfExists(dir);
            }
        }
    }

    /** Every kind of call the application makes; only ZmqExceptions of the usual kinds may come out. */
    private static void poke(Socket s) {
        try (Poller p = new Poller()) {
            p.register(s, Poller.POLLIN | Poller.POLLOUT);
            p.poll(0);
        }
        try {
            s.recv(Socket.DONTWAIT);
        } catch (ZmqException e) {
            assertTrue(e.errno() == ZmqException.Errno.ENOTSUP || e.errno() == ZmqException.Errno.EFSM, e::toString);
        }
    }

    /** Connects, reads the greeting, sends a greeting and READY, and resets. */
    private static void handshakeAndReset(String endpoint, SocketType as) throws IOException {
        SocketChannel ch;
        if (endpoint.startsWith("tcp://")) {
            URI u = URI.create(endpoint);
            ch = SocketChannel.open(new InetSocketAddress(u.getHost(), u.getPort()));
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } else {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(endpoint.substring("ipc://".length())));
        }
        try (ch) {
            ByteBuffer greeting = ByteBuffer.allocate(Greeting.SIZE);
            while (greeting.hasRemaining() && ch.read(greeting) >= 0) {
                // the server greets first (blocking channel: bounded by the server's greeting)
            }
            ByteBuffer hello = ByteBuffer.allocate(Greeting.SIZE + 64);
            hello.put(Greeting.encode("NULL", false));
            hello.put(FrameEncoder.command(Command.READY, new Metadata.Builder().add(Metadata.SOCKET_TYPE, as.name()).build()));
            hello.flip();
            while (hello.hasRemaining()) {
                ch.write(hello);
            }
        } // closed with SO_LINGER 0: RST on tcp
    }

    /** A real peer connects and one message goes the way the bound type allows. */
    private static void exchangeWithALegitimatePeer(Context ctx, Socket bound, SocketType peerType) {
        try (Socket peer = ctx.socket(peerType)) {
            peer.setOption(Option.LINGER, 0);
            peer.setOption(Option.RCVTIMEO, 5_000);
            bound.setOption(Option.RCVTIMEO, 5_000);
            peer.connect(bound.lastEndpoint());
            byte[] body = "legitimate".getBytes();
            switch (bound.type()) {
                case PULL: case REP: case ROUTER: case GATHER: case PAIR: case CHANNEL: case XSUB:
                    if (peerType == SocketType.XPUB) {
                        bound.send(new byte[] {1}); // XSUB: subscribe to everything first
                        awaitSubscribed(peer, bound);
                    }
                    peer.send(body);
                    byte[] got = bound.recv();
                    if (bound.type() == SocketType.ROUTER) {
                        got = bound.recv(); // after the routing id
                    }
                    assertArrayEquals(body, got, "the bound " + bound.type() + " reads a legitimate peer");
                    break;
                case SERVER:
                    peer.send(Message.of("legitimate"));
                    Message m = bound.recvMessage();
                    assertNotNull(m, "the bound SERVER reads a legitimate peer");
                    assertEquals("legitimate", m.text());
                    break;
                default:
                    // types that send first, need a subscription or a routing id: a send works or
                    // fails as the type says, never otherwise
                    try {
                        bound.send(Message.of("legitimate"), Socket.DONTWAIT);
                    } catch (ZmqException e) {
                        assertTrue(EnumSet.of(ZmqException.Errno.ENOTSUP, ZmqException.Errno.EHOSTUNREACH, ZmqException.Errno.EAGAIN)
                                .contains(e.errno()), e::toString);
                    }
                    break;
            }
        }
    }

    /**
     * Waits for the XSUB's subscription at the XPUB. A bound XSUB hears of the new connection only
     * inside a call (as libzmq's), so it is polled meanwhile.
     */
    private static void awaitSubscribed(Socket xpub, Socket xsub) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        byte[] sub = null;
        while (sub == null && System.nanoTime() < deadline) {
            poke(xsub);
            sub = xpub.recv(Socket.DONTWAIT);
            Thread.onSpinWait();
        }
        assertNotNull(sub, "the subscription arrives");
    }
}
