package org.zmq4j.draft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.zmq4j.draft.DraftSupport.SETTLE_MS;
import static org.zmq4j.draft.DraftSupport.awaitParked;
import static org.zmq4j.draft.DraftSupport.awaitTrue;
import static org.zmq4j.draft.DraftSupport.bind;
import static org.zmq4j.draft.DraftSupport.joinAll;
import static org.zmq4j.draft.DraftSupport.recv;
import static org.zmq4j.draft.DraftSupport.recvSkippingProbesNow;
import static org.zmq4j.draft.DraftSupport.send;
import static org.zmq4j.draft.DraftSupport.startThread;
import static org.zmq4j.draft.DraftSupport.syncDish;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zmq4j.Message;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.draft.DraftSupport.Transport;

/**
 * The draft types are thread-safe (rfc-47/48/49/51/52: "MUST be thread-safe and allow receiving
 * and sending from multiple threads"): several threads use one socket at once. Where the pattern
 * is lossless (CLIENT/SERVER, SCATTER/GATHER, CHANNEL, and RADIO/DISH with unbounded queues) every
 * message is accounted for exactly once — none lost, none duplicated, none invented — and each
 * receiving thread sees each sender's messages in the order they were sent (a socket hands out
 * messages one at a time from FIFO queues). RADIO with bounded queues may drop but never duplicates
 * or reorders. Threads blocked in recv are woken one per message; threads blocked in send are
 * woken by room; closing the context wakes every blocked thread (recv, send, poll) with ETERM.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DraftConcurrencyTest extends DraftTestBase {
    /** Messages per sending thread: 4 senders make 20,000 messages per test. */
    private static final int PER_SENDER = 5_000;
    /** Bound for a whole multi-threaded exchange. */
    private static final long RUN_MS = 25_000;

    @Override
    Socket socket(SocketType type) {
        Socket s = super.socket(type);
        s.setOption(Option.RCVTIMEO, 100); // receiver loops check their deadline between waits
        return s;
    }

    /** Exceptions and assertion failures from worker threads, reported by the test thread. */
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private interface Body {
        void run() throws Exception;
    }

    private Thread worker(String name, Body body) {
        return startThread(name, () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(new AssertionError(name + ": " + t, t));
            }
        });
    }

    private void assertNoFailures() {
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " worker failure(s), first: " + failures.get(0).getMessage(),
                    failures.get(0));
            throw e;
        }
    }

    /**
     * Messages "sender:seq" seen by all receivers: duplicates and per-receiver reordering of one
     * sender's messages are recorded as errors.
     */
    private static final class Ledger {
        final ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        final AtomicInteger count = new AtomicInteger();
        /** False where several threads re-send what they received, so one sender's order is not kept. */
        final boolean ordered;

        Ledger() {
            this(true);
        }

        Ledger(boolean ordered) {
            this.ordered = ordered;
        }

        /** @param lastSeq the receiving thread's own view: sender to last seq it received */
        void record(String receiver, Map<String, Integer> lastSeq, String msg) {
            if (seen.putIfAbsent(msg, Boolean.TRUE) != null) {
                errors.add(receiver + " got a duplicate: " + msg);
            }
            count.incrementAndGet();
            int colon = msg.lastIndexOf(':');
            if (colon < 0) {
                errors.add(receiver + " got a message nobody sent: " + msg);
                return;
            }
            String sender = msg.substring(0, colon);
            int seq = Integer.parseInt(msg.substring(colon + 1));
            Integer last = lastSeq.put(sender, seq);
            if (ordered && last != null && seq <= last) {
                errors.add(receiver + " got " + msg + " after " + sender + ":" + last + " (one sender's order must be kept)");
            }
        }

        void assertExactly(List<String> senders, int perSender) {
            List<String> missing = new ArrayList<>();
            for (String s : senders) {
                for (int i = 0; i < perSender; i++) {
                    if (!seen.containsKey(s + ":" + i)) {
                        missing.add(s + ":" + i);
                    }
                }
            }
            assertTrue(errors.isEmpty(), errors.size() + " errors, first ones: " + first(errors));
            assertTrue(missing.isEmpty(), missing.size() + " messages lost, first ones: " + first(missing));
            assertEquals(senders.size() * perSender, seen.size(), "distinct messages received");
            assertEquals(senders.size() * perSender, count.get(), "messages received in total");
        }

        private static List<String> first(Iterable<String> it) {
            List<String> l = new ArrayList<>();
            for (String s : it) {
                if (l.size() == 5) {
                    break;
                }
                l.add(s);
            }
            return l;
        }
    }

    /** A receiving loop: until {@code ledger} holds {@code expected} messages or the deadline. */
    private Thread receiver(String name, Socket s, Ledger ledger, int expected, long deadlineNanos) {
        return worker(name, () -> {
            Map<String, Integer> last = new HashMap<>();
            while (ledger.count.get() < expected && System.nanoTime() - deadlineNanos < 0) {
                Message m = s.recvMessage();
                if (m != null) {
                    ledger.record(name, last, m.text());
                }
            }
        });
    }

    private static long deadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MS);
    }

    // ------------------------------------------------------------------ lossless patterns

    /**
     * Two CLIENTs with two sending and two receiving threads each, one SERVER with four threads that
     * receive and echo back by routing id: 10,000 requests and 10,000 replies, each exactly once,
     * each reply at the client that sent the request.
     */
    @Test
    void clientServerEchoWithManyThreadsPerSocket() throws Exception {
        Socket server = socket(SocketType.SERVER);
        String ep = bind(server, Transport.TCP);
        int clients = 2;
        int sendersPerClient = 2;
        int perSender = PER_SENDER / 2;
        int total = clients * sendersPerClient * perSender;
        long deadline = deadline();
        List<Thread> threads = new ArrayList<>();

        Ledger atServer = new Ledger();
        AtomicInteger echoed = new AtomicInteger();
        for (int w = 0; w < 4; w++) {
            String name = "server-" + w;
            threads.add(worker(name, () -> {
                Map<String, Integer> last = new HashMap<>();
                while (atServer.count.get() < total && System.nanoTime() - deadline < 0) {
                    Message m = server.recvMessage();
                    if (m == null) {
                        continue;
                    }
                    atServer.record(name, last, m.text());
                    assertTrue(server.send(Message.of(m.text()).withRoutingId(m.routingId())), "echo not accepted in SNDTIMEO");
                    echoed.incrementAndGet();
                }
            }));
        }
        List<Ledger> atClients = new ArrayList<>();
        List<List<String>> sendersOf = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Socket client = socket(SocketType.CLIENT);
            client.connect(ep);
            Ledger ledger = new Ledger(false); // four server threads echo: replies may be reordered
            atClients.add(ledger);
            List<String> senders = new ArrayList<>();
            sendersOf.add(senders);
            for (int r = 0; r < 2; r++) {
                threads.add(receiver("client" + c + "-receiver" + r, client, ledger, sendersPerClient * perSender, deadline));
            }
            for (int j = 0; j < sendersPerClient; j++) {
                String sender = "c" + c + "s" + j;
                senders.add(sender);
                threads.add(worker(sender, () -> {
                    for (int i = 0; i < perSender; i++) {
                        assertTrue(client.send(Message.of(sender + ":" + i)), "CLIENT send not accepted within SNDTIMEO");
                    }
                }));
            }
        }
        joinAll(threads, RUN_MS + 5_000);
        assertNoFailures();
        List<String> all = new ArrayList<>();
        sendersOf.forEach(all::addAll);
        atServer.assertExactly(all, perSender);
        assertEquals(total, echoed.get());
        for (int c = 0; c < clients; c++) {
            // exactly its own requests came back to each client (a reply at the wrong client is
            // "a message nobody sent" there, or a missing one here)
            atClients.get(c).assertExactly(sendersOf.get(c), perSender);
        }
    }

    @Test
    void scatterWithFourSendersToGatherWithThreeReceivers() throws Exception {
        Socket gather = socket(SocketType.GATHER);
        Socket scatter = socket(SocketType.SCATTER);
        scatter.connect(bind(gather, Transport.TCP));
        Ledger ledger = new Ledger();
        List<String> senders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long deadline = deadline();
        for (int r = 0; r < 3; r++) {
            threads.add(receiver("gather-" + r, gather, ledger, 4 * PER_SENDER, deadline));
        }
        for (int j = 0; j < 4; j++) {
            String sender = "s" + j;
            senders.add(sender);
            threads.add(worker(sender, () -> {
                for (int i = 0; i < PER_SENDER; i++) {
                    assertTrue(scatter.send(Message.of(sender + ":" + i)), "SCATTER send not accepted within SNDTIMEO");
                }
            }));
        }
        joinAll(threads, RUN_MS + 5_000);
        assertNoFailures();
        ledger.assertExactly(senders, PER_SENDER);
    }

    @Test
    void scatterWithFourSendersToTwoGathers() throws Exception {
        Socket g1 = socket(SocketType.GATHER);
        Socket g2 = socket(SocketType.GATHER);
        Socket scatter = socket(SocketType.SCATTER);
        scatter.connect(bind(g1, Transport.INPROC));
        scatter.connect(bind(g2, Transport.TCP));
        Ledger ledger = new Ledger();
        AtomicInteger at1 = new AtomicInteger();
        List<String> senders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long deadline = deadline();
        int total = 4 * PER_SENDER;
        for (int r = 0; r < 2; r++) {
            threads.add(receiver("g2-" + r, g2, ledger, total, deadline));
            String name = "g1-" + r;
            threads.add(worker(name, () -> {
                Map<String, Integer> last = new HashMap<>();
                while (ledger.count.get() < total && System.nanoTime() - deadline < 0) {
                    Message m = g1.recvMessage();
                    if (m != null) {
                        at1.incrementAndGet();
                        ledger.record(name, last, m.text());
                    }
                }
            }));
        }
        for (int j = 0; j < 4; j++) {
            String sender = "s" + j;
            senders.add(sender);
            threads.add(worker(sender, () -> {
                for (int i = 0; i < PER_SENDER; i++) {
                    assertTrue(scatter.send(Message.of(sender + ":" + i)));
                }
            }));
        }
        joinAll(threads, RUN_MS + 5_000);
        assertNoFailures();
        ledger.assertExactly(senders, PER_SENDER);
        assertTrue(at1.get() > 0 && at1.get() < total, "both gathers must get a share, gather 1 got " + at1.get());
    }

    @Test
    void channelBothWaysWithTwoSendersAndTwoReceiversPerSide() throws Exception {
        Socket a = socket(SocketType.CHANNEL);
        Socket bb = socket(SocketType.CHANNEL);
        bb.connect(bind(a, Transport.INPROC));
        int perSender = PER_SENDER;
        long deadline = deadline();
        List<Thread> threads = new ArrayList<>();
        Ledger atA = new Ledger();
        Ledger atB = new Ledger();
        List<String> fromA = List.of("a0", "a1");
        List<String> fromB = List.of("b0", "b1");
        for (int r = 0; r < 2; r++) {
            threads.add(receiver("a-receiver" + r, a, atA, 2 * perSender, deadline));
            threads.add(receiver("b-receiver" + r, bb, atB, 2 * perSender, deadline));
        }
        for (String sender : fromA) {
            threads.add(worker(sender, () -> {
                for (int i = 0; i < perSender; i++) {
                    assertTrue(a.send(Message.of(sender + ":" + i)));
                }
            }));
        }
        for (String sender : fromB) {
            threads.add(worker(sender, () -> {
                for (int i = 0; i < perSender; i++) {
                    assertTrue(bb.send(Message.of(sender + ":" + i)));
                }
            }));
        }
        joinAll(threads, RUN_MS + 5_000);
        assertNoFailures();
        atA.assertExactly(fromB, perSender);
        atB.assertExactly(fromA, perSender);
    }

    @Test
    void peerHubWithTwoWorkersAndTwoPeers() throws Exception {
        Socket hub = socket(SocketType.PEER);
        String ep = bind(hub, Transport.TCP);
        int perSender = PER_SENDER / 2;
        long deadline = deadline();
        List<Thread> threads = new ArrayList<>();
        Ledger atHub = new Ledger();
        List<String> senders = new ArrayList<>();
        int total = 4 * perSender;
        Map<String, Integer> idOfPeer = new ConcurrentHashMap<>();
        for (int w = 0; w < 2; w++) {
            String name = "hub-" + w;
            threads.add(worker(name, () -> {
                Map<String, Integer> last = new HashMap<>();
                while (atHub.count.get() < total && System.nanoTime() - deadline < 0) {
                    Message m = hub.recvMessage();
                    if (m != null) {
                        atHub.record(name, last, m.text());
                        String peer = m.text().substring(0, 2);
                        Integer before = idOfPeer.putIfAbsent(peer, m.routingId());
                        if (before != null && before != m.routingId()) {
                            atHub.errors.add(peer + " came with routing ids " + before + " and " + m.routingId());
                        }
                    }
                }
            }));
        }
        for (int p = 0; p < 2; p++) {
            Socket peer = socket(SocketType.PEER);
            int id = peer.connectPeer(ep);
            for (int j = 0; j < 2; j++) {
                String sender = "p" + p + "s" + j;
                senders.add(sender);
                threads.add(worker(sender, () -> {
                    for (int i = 0; i < perSender; i++) {
                        assertTrue(peer.send(Message.of(sender + ":" + i).withRoutingId(id)));
                    }
                }));
            }
        }
        joinAll(threads, RUN_MS + 5_000);
        assertNoFailures();
        atHub.assertExactly(senders, perSender);
        assertEquals(2, idOfPeer.size());
        assertTrue(!idOfPeer.get("p0").equals(idOfPeer.get("p1")), "two peers, two routing ids: " + idOfPeer);
    }

    /**
     * rfc-51: connectPeer retrieves the routing id of the new connection "in atomic manner". Here a
     * PEER hub keeps accepting inproc connections from three other threads while it calls
     * connectPeer; each returned id must name the connection connectPeer made (the message sent to
     * it must reach the socket connected to), never one of the incoming connections.
     */
    @Test
    void connectPeerReturnsItsOwnConnectionsIdWhileOthersConnectToIt() throws Exception {
        Socket hub = socket(SocketType.PEER);
        String hubEp = bind(hub, Transport.INPROC);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> connectors = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            connectors.add(worker("connector-" + t, () -> {
                while (!stop.get()) {
                    try (Socket c = ctx.socket(SocketType.PEER)) {
                        c.setOption(Option.LINGER, 0);
                        c.connect(hubEp);
                    } catch (ZmqException e) {
                        if (e.errno() != Errno.ETERM) {
                            throw e;
                        }
                        return;
                    }
                }
            }));
        }
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int k = 0; k < 2_000 && System.nanoTime() - end < 0; k++) {
                try (Socket target = socket(SocketType.PEER)) {
                    target.setOption(Option.RCVTIMEO, 1_000);
                    String ep = bind(target, Transport.INPROC);
                    int id = hub.connectPeer(ep);
                    try {
                        hub.send(Message.of("for target " + k).withRoutingId(id), Socket.DONTWAIT);
                    } catch (ZmqException e) {
                        fail("round " + k + ": connectPeer returned " + Integer.toUnsignedString(id)
                                + ", which is not its new connection (" + e.getMessage() + ")");
                    }
                    Message m = target.recvMessage();
                    if (m == null) {
                        fail("round " + k + ": connectPeer returned " + Integer.toUnsignedString(id)
                                + " but a message sent to it did not reach the socket connected to:"
                                + " the id is one of the connections other sockets made to the hub");
                    }
                    assertEquals("for target " + k, m.text());
                }
            }
        } finally {
            stop.set(true);
            joinAll(connectors, SETTLE_MS);
        }
        assertNoFailures();
    }

    // ------------------------------------------------------------------ RADIO / DISH

    /** With unbounded queues (HWM 0) RADIO drops nothing: 4 senders, 4 receivers, all 20,000 arrive. */
    @Test
    void radioFourSendersDishFourReceiversUnboundedIsLossless() throws Exception {
        Socket radio = socket(SocketType.RADIO);
        radio.setOption(Option.SNDHWM, 0);
        Socket dish = socket(SocketType.DISH);
        dish.setOption(Option.RCVHWM, 0);
        dish.join("g");
        dish.connect(bind(radio, Transport.TCP));
        syncDish(radio, dish);
        dish.leave(DraftSupport.SYNC_GROUP); // leftover probes are filtered out by the DISH from now on
        Ledger ledger = new Ledger();
        List<String> senders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long deadline = deadline();
        for (int r = 0; r < 4; r++) {
            threads.add(receiver("dish-" + r, dish, ledger, 4 * PER_SENDER, deadline));
        }
        for (int j = 0; j < 4; j++) {
            String sender = "r" + j;
            senders.add(sender);
            threads.add(worker(sender, () -> {
                for (int i = 0; i < PER_SENDER; i++) {
                    assertTrue(radio.send(Message.of(sender + ":" + i).withGroup("g")), "RADIO send never fails");
                }
            }));
        }
        joinAll(threads, RUN_MS + 5_000);
        assertNoFailures();
        ledger.assertExactly(senders, PER_SENDER);
    }

    /**
     * With the default HWM a fast RADIO may drop for a slower DISH; whatever arrives was sent,
     * arrives once and in each sender's order, and the senders never block.
     */
    @Test
    void radioFourSendersDishFourReceiversBoundedLosesButNeverDuplicates() throws Exception {
        Socket radio = socket(SocketType.RADIO);
        radio.setOption(Option.SNDTIMEO, -1); // a RADIO that blocked would hang here (bounded by @Timeout)
        Socket dish = socket(SocketType.DISH);
        dish.join("g");
        dish.join("other");
        dish.connect(bind(radio, Transport.INPROC));
        syncDish(radio, dish);
        while (recvSkippingProbesNow(dish) != null) {
            // drain
        }
        Ledger ledger = new Ledger();
        AtomicInteger sendersDone = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long deadline = deadline();
        for (int r = 0; r < 4; r++) {
            String name = "dish-" + r;
            threads.add(worker(name, () -> {
                Map<String, Integer> last = new HashMap<>();
                int idle = 0;
                while (System.nanoTime() - deadline < 0) {
                    Message m = dish.recvMessage();
                    if (m == null) {
                        if (sendersDone.get() == 4 && ++idle >= 3) {
                            return; // senders finished and the queue stayed empty for 300 ms
                        }
                        continue;
                    }
                    idle = 0;
                    if (DraftSupport.isProbe(m)) {
                        continue;
                    }
                    if (!"g".equals(m.group())) {
                        ledger.errors.add(name + " got group " + m.group() + " for " + m.text());
                    }
                    ledger.record(name, last, m.text());
                }
            }));
        }
        long t0 = System.nanoTime();
        for (int j = 0; j < 4; j++) {
            String sender = "r" + j;
            threads.add(worker(sender, () -> {
                for (int i = 0; i < PER_SENDER; i++) {
                    assertTrue(radio.send(Message.of(sender + ":" + i).withGroup("g")));
                }
                sendersDone.incrementAndGet();
            }));
        }
        awaitTrue("the 4 RADIO senders finishing (a RADIO never blocks)", RUN_MS, () -> sendersDone.get() == 4);
        long sendMs = DraftSupport.millisSince(t0);
        joinAll(threads, RUN_MS);
        assertNoFailures();
        assertTrue(ledger.errors.isEmpty(), "errors: " + ledger.errors);
        int got = ledger.count.get();
        assertTrue(got <= 4 * PER_SENDER, "received " + got + " of " + 4 * PER_SENDER);
        assertTrue(got >= 1_000, "at least a queue's worth (HWM 1000) must arrive, got " + got + " (sending took " + sendMs + " ms)");
        for (String msg : ledger.seen.keySet()) {
            int seq = Integer.parseInt(msg.substring(msg.indexOf(':') + 1));
            assertTrue(msg.startsWith("r") && seq >= 0 && seq < PER_SENDER, "not a message that was sent: " + msg);
        }
    }

    // ------------------------------------------------------------------ blocked threads

    enum Receiving {
        SERVER, CLIENT, DISH, GATHER, PEER, CHANNEL
    }

    /**
     * Four threads blocked in recv on one socket; messages sent one at a time each wake exactly one
     * of them, and each thread gets a different message.
     */
    @ParameterizedTest
    @EnumSource(Receiving.class)
    void blockedReceiversAreWokenOnePerMessage(Receiving kind) throws Exception {
        Socket rx;
        Socket tx;
        java.util.function.Function<String, Message> make;
        switch (kind) {
            case SERVER: {
                rx = socket(SocketType.SERVER);
                tx = socket(SocketType.CLIENT);
                tx.connect(bind(rx, Transport.TCP));
                make = Message::of;
                break;
            }
            case CLIENT: {
                rx = socket(SocketType.CLIENT);
                tx = socket(SocketType.SERVER);
                rx.connect(bind(tx, Transport.TCP));
                send(rx, Message.of("hello"));
                int id = recv(tx).routingId();
                make = t -> Message.of(t).withRoutingId(id);
                break;
            }
            case DISH: {
                rx = socket(SocketType.DISH);
                tx = socket(SocketType.RADIO);
                rx.join("g");
                rx.connect(bind(tx, Transport.TCP));
                syncDish(tx, rx);
                rx.leave(DraftSupport.SYNC_GROUP);
                while (rx.recvMessage(Socket.DONTWAIT) != null) {
                    // drain
                }
                make = t -> Message.of(t).withGroup("g");
                break;
            }
            case GATHER: {
                rx = socket(SocketType.GATHER);
                tx = socket(SocketType.SCATTER);
                tx.connect(bind(rx, Transport.TCP));
                make = Message::of;
                break;
            }
            case PEER: {
                rx = socket(SocketType.PEER);
                tx = socket(SocketType.PEER);
                int id = tx.connectPeer(bind(rx, Transport.TCP));
                make = t -> Message.of(t).withRoutingId(id);
                break;
            }
            default: {
                rx = socket(SocketType.CHANNEL);
                tx = socket(SocketType.CHANNEL);
                tx.connect(bind(rx, Transport.INPROC));
                make = Message::of;
                break;
            }
        }
        rx.setOption(Option.RCVTIMEO, -1); // only a message (or ETERM at the end) may wake them
        int n = 4;
        List<String> got = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(worker("blocked-" + i, () -> {
                Message m = rx.recvMessage();
                assertNotNull(m, "recv with RCVTIMEO -1 returned null");
                got.add(m.text());
            }));
        }
        for (Thread t : threads) {
            awaitParked(t, SETTLE_MS);
        }
        for (int i = 0; i < n; i++) {
            send(tx, make.apply("m" + i));
            int expected = i + 1;
            awaitTrue("message " + i + " waking one blocked receiver (got so far: " + got + ")", SETTLE_MS,
                    () -> got.size() >= expected);
            assertEquals(expected, got.size(), "one message must wake exactly one receiver: " + got);
        }
        joinAll(threads, SETTLE_MS);
        assertNoFailures();
        assertEquals(List.of("m0", "m1", "m2", "m3"), got.stream().sorted().toList());
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"CLIENT", "SCATTER", "CHANNEL"})
    void blockedSendersAreWokenByRoom(SocketType type) throws Exception {
        SocketType otherType = type == SocketType.CLIENT ? SocketType.SERVER
                : type == SocketType.SCATTER ? SocketType.GATHER : SocketType.CHANNEL;
        Socket other = socket(otherType);
        other.setOption(Option.RCVHWM, 2);
        other.setOption(Option.RCVTIMEO, 5_000);
        Socket tx = socket(type);
        tx.setOption(Option.SNDHWM, 2);
        tx.connect(bind(other, Transport.INPROC));
        int queued = 0;
        while (tx.send(Message.of("fill:" + queued), Socket.DONTWAIT)) {
            queued++;
            assertTrue(queued < 10_000, type + " never reached its HWM");
        }
        tx.setOption(Option.SNDTIMEO, -1);
        List<Thread> threads = new ArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            String name = "sender" + i;
            threads.add(worker(name, () -> {
                assertTrue(tx.send(Message.of(name + ":0")));
                sent.incrementAndGet();
            }));
        }
        for (Thread t : threads) {
            awaitParked(t, SETTLE_MS);
        }
        assertEquals(0, sent.get(), "senders must block while the queue is full");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < queued + 4; i++) {
            got.add(recv(other).text());
        }
        joinAll(threads, SETTLE_MS);
        assertNoFailures();
        assertEquals(4, sent.get());
        for (int i = 0; i < 4; i++) {
            assertTrue(got.contains("sender" + i + ":0"), "missing the message of blocked sender " + i + ": " + got);
        }
    }

    @Test
    void interruptingOneBlockedThreadLeavesTheOthersAndTheSocketWorking() throws Exception {
        Socket server = socket(SocketType.SERVER);
        Socket client = socket(SocketType.CLIENT);
        client.connect(bind(server, Transport.TCP));
        server.setOption(Option.RCVTIMEO, -1);
        Map<String, Object> outcome = new ConcurrentHashMap<>();
        Thread victim = startThread("victim", () -> {
            try {
                outcome.put("victim", server.recvMessage());
            } catch (ZmqException e) {
                outcome.put("victim", e.errno());
            }
        });
        Thread survivor = startThread("survivor", () -> {
            try {
                outcome.put("survivor", server.recvMessage().text());
            } catch (Throwable e) {
                outcome.put("survivor", e);
            }
        });
        awaitParked(victim, SETTLE_MS);
        awaitParked(survivor, SETTLE_MS);
        victim.interrupt();
        joinAll(List.of(victim), SETTLE_MS);
        assertEquals(Errno.EINTR, outcome.get("victim"), "the interrupted recv must fail with EINTR");
        assertTrue(survivor.isAlive(), "the other blocked thread must stay blocked");
        send(client, Message.of("for the survivor"));
        joinAll(List.of(survivor), SETTLE_MS);
        assertEquals("for the survivor", outcome.get("survivor"));
        // and the socket is usable from this thread (the interrupted thread released the lock)
        send(client, Message.of("again"));
        assertEquals("again", recv(server).text());
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"SERVER", "DISH", "GATHER", "CHANNEL"})
    void closingTheSocketWakesItsBlockedThreads(SocketType type) throws Exception {
        Socket s = socket(type);
        s.setOption(Option.RCVTIMEO, -1);
        Map<String, Object> outcome = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "blocked-" + i;
            threads.add(startThread(name, () -> {
                try {
                    outcome.put(name, String.valueOf(s.recvMessage()));
                } catch (ZmqException e) {
                    outcome.put(name, e.errno());
                }
            }));
        }
        for (Thread t : threads) {
            awaitParked(t, SETTLE_MS);
        }
        s.close();
        joinAll(threads, SETTLE_MS);
        for (Object o : outcome.values()) {
            assertTrue(o == Errno.ENOTSOCK || o == Errno.ETERM, "a thread blocked on a socket closed by another thread"
                    + " must fail (ENOTSOCK), not hang or return a message: " + outcome);
        }
        assertEquals(3, outcome.size());
    }

    /**
     * One thread blocked in send (the peer's queue is full) and one blocked in recv on the same
     * CHANNEL: a message arriving must wake the receiver, and room must wake the sender, whichever
     * of them the socket happens to wake first.
     */
    @Test
    void sendersAndReceiversBlockedOnOneSocketAreEachWokenByTheirOwnEvent() throws Exception {
        Socket a = socket(SocketType.CHANNEL);
        Socket bb = socket(SocketType.CHANNEL);
        a.setOption(Option.SNDHWM, 1);
        bb.setOption(Option.RCVHWM, 1);
        bb.connect(bind(a, Transport.INPROC));
        int queued = 0;
        while (a.send(Message.of("fill:" + queued), Socket.DONTWAIT)) {
            queued++;
            assertTrue(queued < 10_000, "CHANNEL never reached its HWM");
        }
        a.setOption(Option.SNDTIMEO, -1);
        a.setOption(Option.RCVTIMEO, -1);
        Map<String, Object> outcome = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String s = "sender" + i;
            threads.add(worker(s, () -> outcome.put(s, a.send(Message.of(s + ":0")))));
            String r = "receiver" + i;
            threads.add(worker(r, () -> outcome.put(r, a.recvMessage().text())));
        }
        for (Thread t : threads) {
            awaitParked(t, SETTLE_MS);
        }
        // one message in: exactly one receiver completes, the senders stay blocked
        send(bb, Message.of("in 1"));
        awaitTrue("a receiver woken by a message", SETTLE_MS, () -> outcome.size() == 1);
        send(bb, Message.of("in 2"));
        awaitTrue("the second receiver woken by a message", SETTLE_MS, () -> outcome.size() == 2);
        assertEquals(java.util.Set.of("in 1", "in 2"), java.util.Set.of(outcome.get("receiver0"), outcome.get("receiver1")),
                "only the receivers can have completed: " + outcome);
        // room: the senders complete
        List<String> got = new ArrayList<>();
        for (int i = 0; i < queued + 2; i++) {
            got.add(recv(bb).text());
        }
        joinAll(threads, SETTLE_MS);
        assertNoFailures();
        assertEquals(Boolean.TRUE, outcome.get("sender0"));
        assertEquals(Boolean.TRUE, outcome.get("sender1"));
        assertTrue(got.contains("sender0:0") && got.contains("sender1:0"), "got " + got);
    }

    // ------------------------------------------------------------------ context close

    /**
     * Threads blocked in recv, send and poll on draft sockets (all with infinite timeouts) are all
     * woken with ETERM when another thread closes the context, and the close completes.
     */
    @Test
    void closingTheContextWakesEveryBlockedThreadWithEterm() throws Exception {
        Socket server = socket(SocketType.SERVER);
        bind(server, Transport.TCP);
        Socket client = socket(SocketType.CLIENT); // no server: send blocks
        Socket dish = socket(SocketType.DISH);
        dish.join("g");
        Socket gather = socket(SocketType.GATHER);
        bind(gather, Transport.INPROC);
        Socket scatter = socket(SocketType.SCATTER); // no gather: send blocks
        Socket channel = socket(SocketType.CHANNEL); // no peer: send and recv block
        Socket peer = socket(SocketType.PEER);
        Socket polled = socket(SocketType.DISH);
        for (Socket s : new Socket[] {server, client, dish, gather, scatter, channel, peer, polled}) {
            s.setOption(Option.RCVTIMEO, -1);
            s.setOption(Option.SNDTIMEO, -1);
        }
        Map<String, Object> outcome = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        Map<String, Body> calls = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            calls.put("server.recv#" + i, server::recvMessage);
            calls.put("dish.recv#" + i, dish::recvMessage);
            calls.put("gather.recv#" + i, gather::recvMessage);
            calls.put("peer.recv#" + i, peer::recvMessage);
            calls.put("client.recv#" + i, client::recvMessage);
            calls.put("client.send#" + i, () -> client.send(Message.of("x")));
            calls.put("scatter.send#" + i, () -> scatter.send(Message.of("x")));
        }
        calls.put("channel.recv", channel::recvMessage);
        calls.put("channel.send", () -> channel.send(Message.of("x")));
        calls.put("poll", () -> {
            try (Poller p = new Poller()) {
                p.register(polled, Poller.POLLIN);
                p.poll(-1);
            }
        });
        for (Map.Entry<String, Body> e : calls.entrySet()) {
            threads.add(startThread(e.getKey(), () -> {
                try {
                    e.getValue().run();
                    outcome.put(e.getKey(), "returned normally");
                } catch (ZmqException z) {
                    outcome.put(e.getKey(), z.errno());
                } catch (Throwable t) {
                    outcome.put(e.getKey(), t);
                }
            }));
        }
        for (Thread t : threads) {
            awaitParked(t, SETTLE_MS);
        }
        assertTrue(outcome.isEmpty(), "every call must still be blocked: " + outcome);
        Thread closer = startThread("closer", ctx::close);
        joinAll(List.of(closer), SETTLE_MS);
        joinAll(threads, SETTLE_MS);
        for (String name : calls.keySet()) {
            assertEquals(Errno.ETERM, outcome.get(name), name + " must end with ETERM; all outcomes: " + outcome);
        }
    }

    @Test
    void closingTheContextWhileThreadsSendAndReceiveEndsThemAll() throws Exception {
        Socket server = socket(SocketType.SERVER);
        Socket client = socket(SocketType.CLIENT);
        client.connect(bind(server, Transport.TCP));
        AtomicInteger received = new AtomicInteger();
        Map<String, Object> ends = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String sname = "sender" + i;
            threads.add(startThread(sname, () -> {
                try {
                    for (int k = 0; ; k++) {
                        client.send(Message.of(sname + ":" + k));
                    }
                } catch (ZmqException e) {
                    ends.put(sname, e.errno());
                }
            }));
            String rname = "receiver" + i;
            threads.add(startThread(rname, () -> {
                try {
                    while (true) {
                        if (server.recvMessage() != null) {
                            received.incrementAndGet();
                        }
                    }
                } catch (ZmqException e) {
                    ends.put(rname, e.errno());
                }
            }));
        }
        awaitTrue("traffic flowing", SETTLE_MS, () -> received.get() > 1_000);
        Thread closer = startThread("closer", ctx::close);
        joinAll(List.of(closer), SETTLE_MS);
        joinAll(threads, SETTLE_MS);
        assertEquals(6, ends.size(), "every busy thread must end: " + ends);
        for (Map.Entry<String, Object> e : ends.entrySet()) {
            assertEquals(Errno.ETERM, e.getValue(), e.getKey() + " must end with ETERM (as zmq_ctx_term makes every call fail); all: " + ends);
        }
    }
}
