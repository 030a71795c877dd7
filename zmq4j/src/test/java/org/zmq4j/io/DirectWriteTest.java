package org.zmq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.testsuite.LibzmqPeer;

/**
 * A socket's thread writes a message to an idle connection itself (ChannelEngine.writeDirect)
 * while the I/O thread keeps writing everything else (commands, the rest of a large body, the
 * messages of a stream). These tests check the path runs, and that the two writers never lose,
 * reorder or interleave a byte: heartbeats make the I/O thread write PINGs and PONGs at the same
 * time, bodies of 16 KiB and more and a full kernel buffer make a direct write hand over, and
 * one side is libzmq, which rejects any malformed frame by dropping the connection.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DirectWriteTest {
    /** Idle time made between sends: above the 20 µs after which a send writes directly. */
    static final long GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(60);
    /**
     * Idle time made between bursts: long enough for the I/O thread to finish a burst (up to
     * 20 messages of up to 70 KB through a 16 KiB send buffer) most of the time.
     */
    private static final long BURST_GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(1_000);

    @TempDir
    Path dir;

    private String endpoint(String transport) {
        return transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://" + dir.resolve("direct.sock");
    }

    /** Waits out {@code nanos} on the clock (it makes idle time; nothing is waited for). */
    static void idle(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void requestsAndRepliesAfterIdleTimeAreWrittenByTheSocketsThreads(String transport) {
        try (Context ctx = new Context(); Socket rep = ctx.socket(SocketType.REP); Socket req = ctx.socket(SocketType.REQ)) {
            rep.setOption(Option.RCVTIMEO, 10_000);
            req.setOption(Option.RCVTIMEO, 10_000);
            rep.bind(endpoint(transport));
            req.connect(rep.lastEndpoint());
            long before = stats(ctx).directWrites();
            for (int i = 0; i < 300; i++) {
                idle(GAP_NANOS);
                req.send(("request " + i).getBytes());
                assertArrayEquals(("request " + i).getBytes(), rep.recv());
                idle(GAP_NANOS);
                rep.send(("reply " + i).getBytes());
                assertArrayEquals(("reply " + i).getBytes(), req.recv());
            }
            long direct = stats(ctx).directWrites() - before;
            // 600 sends, each after at least 60 µs of idle output; the I/O thread takes a few
            // when it happens to be flushing at that moment
            assertTrue(direct >= 300, "only " + direct + " of 600 sparse sends were written by the sending thread");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void burstsLargeBodiesAndHeartbeatsInterleaveWithoutLoss(String transport) {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL); Socket push = ctx.socket(SocketType.PUSH)) {
            for (Socket s : List.of(pull, push)) {
                s.setOption(Option.HEARTBEAT_IVL, 1); // a PING each millisecond, a PONG for each
                s.setOption(Option.HEARTBEAT_TIMEOUT, 30_000);
                s.setOption(Option.LINGER, 5_000);
            }
            pull.setOption(Option.RCVTIMEO, 10_000);
            pull.bind(endpoint(transport));
            push.connect(pull.lastEndpoint());
            long before = stats(ctx).directWrites();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    sendBursts(push, 3_000, 7);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            sender.start();
            for (int i = 0; i < 3_000 && failure.get() == null; i++) {
                byte[] got = pull.recv();
                assertNotNull(got, "message " + i + " did not arrive");
                assertArrayEquals(message(i), got, "message " + i);
            }
            join(sender);
            assertEquals(null, failure.get(), "the sender failed");
            assertDirectWrites(ctx, before, 50, transport + ", about 290 bursts");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void libzmqReceivesDirectWritesInterleavedWithHeartbeats(boolean zmq4jBinds) {
        LibzmqPeer.assumeAvailable();
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH)) {
            LibzmqPeer.PeerSocket pull = peer.socket(SocketType.PULL);
            pull.setOption("HEARTBEAT_IVL", 1);
            pull.setOption("HEARTBEAT_TIMEOUT", 30_000);
            pull.setOption("RCVHWM", 100_000);
            push.setOption(Option.HEARTBEAT_IVL, 1);
            push.setOption(Option.HEARTBEAT_TIMEOUT, 30_000);
            push.setOption(Option.LINGER, 5_000);
            link(push, pull, zmq4jBinds);
            long before = stats(ctx).directWrites();
            int count = 300;
            sendBursts(push, count, 11);
            for (int i = 0; i < count; i++) {
                List<byte[]> frames = pull.recv(10_000);
                assertNotNull(frames, "libzmq did not receive message " + i + " (a malformed frame drops the connection)");
                assertEquals(1, frames.size(), "message " + i);
                assertArrayEquals(message(i), frames.get(0), "message " + i);
            }
            assertDirectWrites(ctx, before, 5, "to libzmq, about 30 bursts");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void libzmqRequesterGetsRepliesWrittenByTheRepliersThread(boolean zmq4jBinds) {
        LibzmqPeer.assumeAvailable();
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Socket rep = ctx.socket(SocketType.REP)) {
            LibzmqPeer.PeerSocket req = peer.socket(SocketType.REQ);
            rep.setOption(Option.RCVTIMEO, 10_000);
            link(rep, req, zmq4jBinds);
            long before = stats(ctx).directWrites();
            for (int i = 0; i < 100; i++) {
                assertEquals(null, req.send(List.of(("q" + i).getBytes()), 10_000, false), "request " + i);
                assertArrayEquals(("q" + i).getBytes(), rep.recv(), "request " + i);
                idle(GAP_NANOS); // the reply finds the connection idle even if the request came fast
                rep.send(message(i));
                List<byte[]> reply = req.recv(10_000);
                assertNotNull(reply, "reply " + i);
                assertArrayEquals(message(i), reply.get(0), "reply " + i);
            }
            assertTrue(stats(ctx).directWrites() - before >= 50, "replies after idle time must be direct writes");
        }
    }

    /** At least {@code atLeast} direct writes since the count was {@code before}. */
    static void assertDirectWrites(Context ctx, long before, long atLeast, String what) {
        long direct = stats(ctx).directWrites() - before;
        System.out.println("DirectWriteTest " + what + ": " + direct + " direct writes");
        assertTrue(direct >= atLeast, what + ": bursts after idle time must start with direct writes, " + direct + " did");
    }

    /** Joins our socket and libzmq's over tcp, either side binding. */
    static void link(Socket ours, LibzmqPeer.PeerSocket theirs, boolean zmq4jBinds) {
        if (zmq4jBinds) {
            ours.bind("tcp://127.0.0.1:*");
            theirs.connect(ours.lastEndpoint());
        } else {
            ours.connect(theirs.bind("tcp://127.0.0.1:*", 10_000));
        }
    }

    /**
     * One thread feeding many connections, a message every microsecond or so: each connection
     * idles for longer than 20 µs between its turns, but the thread does not, so the messages go
     * to the I/O thread in batches instead of costing the thread a system call each (that cost a
     * ROUTER/DEALER benchmark 7x its rate before the thread's own pace counted).
     */
    @Test
    void aThreadFeedingManyConnectionsQuicklyLeavesTheWritingToTheIoThread() throws Exception {
        int peers = 40;
        int count = 4_000;
        java.util.concurrent.atomic.AtomicInteger handshakes = new java.util.concurrent.atomic.AtomicInteger();
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH)) {
            push.addMonitor(e -> handshakes.incrementAndGet(), org.zmq4j.SocketEvent.Type.HANDSHAKE_SUCCEEDED.code());
            List<Socket> pulls = new java.util.ArrayList<>();
            for (int i = 0; i < peers; i++) {
                Socket pull = ctx.socket(SocketType.PULL);
                pull.bind("tcp://127.0.0.1:*");
                push.connect(pull.lastEndpoint());
                pulls.add(pull);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (handshakes.get() < peers && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            assertEquals(peers, handshakes.get(), "connections made");
            long before = stats(ctx).directWrites();
            // the scheduler may stop this thread now and then (a loaded machine): a message sent
            // 15 µs or more after the previous one started may rightly be a direct write, and
            // so may one after a run of sends to connections still busy (which wake nothing),
            // hence the slack of a quarter; with the connections' idle time alone as the rule,
            // every one of these sends was a direct write
            int paused = 0;
            long last = System.nanoTime();
            for (int i = 0; i < count; i++) {
                idle(1_000); // 1 µs between messages; 40 µs between two on one connection
                long start = System.nanoTime();
                if (start - last >= 15_000) {
                    paused++;
                }
                last = start;
                assertTrue(push.send(message(i % 5))); // small ones: 0 to 255 bytes
            }
            long direct = stats(ctx).directWrites() - before;
            System.out.println("DirectWriteTest one thread, " + peers + " connections: " + direct + " direct writes of " + count
                    + " (" + paused + " sends 15 µs or more after the previous one)");
            int got = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got < count && System.nanoTime() - until < 0) {
                for (Socket pull : pulls) {
                    while (pull.recv(Socket.DONTWAIT) != null) {
                        got++;
                    }
                }
            }
            assertEquals(count, got, "messages received");
            assertTrue(direct <= paused + count / 4, direct + " of " + count + " messages were direct writes by a thread sending every"
                    + " microsecond (" + paused + " of them 15 µs or more after the previous one)");
            for (Socket pull : pulls) {
                pull.close();
            }
        }
    }

    /**
     * Messages sent after idle time to a peer that does not read: the kernel's buffers fill up,
     * a direct write gets only part of its buffer out, and the I/O thread writes the rest once
     * the peer reads (OP_WRITE).
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void aDirectWriteTheKernelCannotTakeWholeIsFinishedByTheIoThread(String transport) {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL); Socket push = ctx.socket(SocketType.PUSH)) {
            push.setOption(Option.SNDBUF, 8 * 1024);
            pull.setOption(Option.RCVBUF, 8 * 1024);
            pull.setOption(Option.RCVHWM, 1);
            pull.setOption(Option.RCVTIMEO, 10_000);
            pull.bind(endpoint(transport));
            push.connect(pull.lastEndpoint());
            assertTrue(push.send(message(0)));
            assertArrayEquals(message(0), pull.recv(), "message 0 (the connection is up)");
            long before = stats(ctx).directWritesCutShort();
            // send until a direct write is cut short, and stop there: nothing sent later may
            // carry the rest of that message out, only the I/O thread it was handed to
            int count = 0;
            while (stats(ctx).directWritesCutShort() == before && count < 500) {
                idle(GAP_NANOS * 4);
                count++;
                assertTrue(push.send(mediumMessage(count)), "send " + count);
            }
            assertTrue(stats(ctx).directWritesCutShort() > before,
                    "no direct write met a full kernel buffer in " + count + " sends");
            for (int i = 1; i <= count; i++) {
                assertArrayEquals(mediumMessage(i), pull.recv(), "message " + i + " of " + count);
            }
        }
    }

    /** A 15,000-byte message numbered {@code i}: under the 16 KiB written from the message itself. */
    private static byte[] mediumMessage(int i) {
        byte[] m = new byte[15_000];
        ByteBuffer.wrap(m).putInt(i);
        for (int j = 4; j < m.length; j++) {
            m[j] = (byte) (i * 7 + j);
        }
        return m;
    }

    /**
     * The peer vanishes and a new one takes its endpoint: the connection that direct writes went
     * to is dropped with a reason, the sends in between never fail, and the next connection takes
     * the pipe over, direct writes included (closing waits for a direct write in progress, so
     * the two connections never read the pipe at once).
     */
    @Test
    void sparseSendsGoOnThroughTheNextConnectionWhenThePeerComesBack() throws Exception {
        java.util.concurrent.BlockingQueue<org.zmq4j.SocketEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH)) {
            push.setOption(Option.RECONNECT_IVL, 20);
            push.setOption(Option.LINGER, 0);
            push.addMonitor(events::add, org.zmq4j.SocketEvent.Type.DISCONNECTED.code());
            String endpoint;
            try (Context peerCtx = new Context(); Socket pull = peerCtx.socket(SocketType.PULL)) {
                pull.setOption(Option.RCVTIMEO, 10_000);
                pull.setOption(Option.LINGER, 0);
                pull.bind("tcp://127.0.0.1:*");
                endpoint = pull.lastEndpoint();
                push.connect(endpoint);
                for (int i = 0; i < 20; i++) {
                    idle(GAP_NANOS);
                    assertTrue(push.send(message(i)));
                    assertArrayEquals(message(i), pull.recv(), "message " + i + " to the first peer");
                }
            }
            org.zmq4j.SocketEvent dropped = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(dropped, "the connection to the vanished peer was never dropped");
            for (int i = 0; i < 20; i++) {
                idle(GAP_NANOS);
                assertTrue(push.send(message(100 + i)), "send " + i + " while no peer is there");
            }
            try (Context peerCtx = new Context(); Socket pull = peerCtx.socket(SocketType.PULL)) {
                pull.setOption(Option.RCVTIMEO, 10_000);
                pull.bind(endpoint);
                for (int i = 0; i < 20; i++) {
                    assertArrayEquals(message(100 + i), pull.recv(), "message " + i + " queued while no peer was there");
                }
                long before = stats(ctx).directWrites();
                for (int i = 0; i < 50; i++) {
                    idle(GAP_NANOS);
                    assertTrue(push.send(message(200 + i)));
                    assertArrayEquals(message(200 + i), pull.recv(), "message " + i + " to the second peer");
                }
                assertDirectWrites(ctx, before, 25, "to the peer that came back");
            }
        }
    }

    /**
     * An interrupt must not cost the connection: a thread's interrupt closes a channel that
     * thread is blocked in, and a direct write runs on the application's thread, but on a
     * non-blocking channel, which an interrupt leaves alone.
     */
    @Test
    void anInterruptedSenderKeepsItsConnection() {
        try (Context ctx = new Context(); Socket rep = ctx.socket(SocketType.REP); Socket req = ctx.socket(SocketType.REQ)) {
            rep.setOption(Option.RCVTIMEO, 10_000);
            req.setOption(Option.RCVTIMEO, 10_000);
            rep.bind("tcp://127.0.0.1:*");
            req.connect(rep.lastEndpoint());
            req.send("hello".getBytes()); // the connection is up once this round trip is done
            rep.recv();
            rep.send("hi".getBytes());
            req.recv();
            long before = stats(ctx).directWrites();
            for (int i = 0; i < 20; i++) {
                idle(GAP_NANOS);
                Thread.currentThread().interrupt();
                try {
                    assertTrue(req.send(("request " + i).getBytes()));
                } finally {
                    assertTrue(Thread.interrupted(), "the interrupt stays pending for the application");
                }
                assertArrayEquals(("request " + i).getBytes(), rep.recv(), "request " + i + " was lost");
                rep.send(("reply " + i).getBytes());
                assertArrayEquals(("reply " + i).getBytes(), req.recv(), "reply " + i);
            }
            assertTrue(stats(ctx).directWrites() - before >= 10, "the interrupted sends must have been direct writes");
        }
    }

    /**
     * Sends {@code count} messages in bursts of 1 to 20 with idle gaps between them, so each burst
     * starts with a direct write and the rest follows from the I/O thread. Sizes cycle through
     * header boundaries, bodies written from the message itself (16 KiB and up) and bodies larger
     * than the 64 KiB output buffer.
     */
    static void sendBursts(Socket push, int count, long seed) {
        sendBursts(push, count, seed, BURST_GAP_NANOS);
    }

    /** {@link #sendBursts(Socket, int, long)} with idle gaps of {@code gapNanos} between bursts. */
    static void sendBursts(Socket push, int count, long seed, long gapNanos) {
        Random random = new Random(seed);
        int i = 0;
        while (i < count) {
            int burst = 1 + random.nextInt(20);
            for (int k = 0; k < burst && i < count; k++, i++) {
                assertTrue(push.send(message(i)), "send " + i);
            }
            idle(gapNanos);
        }
    }

    private static final int[] SIZES = {0, 1, 255, 256, 1000, 16 * 1024, 20_000, 70_000};

    /**
     * Message {@code i}: its number, then a pattern that depends on it, of a cycling size; every
     * 97th is 300 KB, far more than the 16 KiB send buffer takes at once.
     */
    static byte[] message(int i) {
        int size = Math.max(4, i % 97 == 96 ? 300_000 : SIZES[i % SIZES.length]);
        byte[] m = new byte[size];
        ByteBuffer.wrap(m).putInt(i);
        for (int j = 4; j < size; j++) {
            m[j] = (byte) (i * 31 + j);
        }
        return m;
    }

    static void join(Thread t) {
        try {
            t.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        assertTrue(!t.isAlive(), "the sender did not finish");
    }

    /** The counters of the context whose sockets write (its I/O machinery is not public). */
    static IoStatistics stats(Context ctx) {
        try {
            java.lang.reflect.Field io = Context.class.getDeclaredField("io");
            io.setAccessible(true);
            return ((IoContext) io.get(ctx)).statistics();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
