package org.zmq4j.draft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.zmq4j.draft.DraftSupport.SETTLE_MS;
import static org.zmq4j.draft.DraftSupport.b;
import static org.zmq4j.draft.DraftSupport.bind;
import static org.zmq4j.draft.DraftSupport.freePort;
import static org.zmq4j.draft.DraftSupport.isProbe;
import static org.zmq4j.draft.DraftSupport.random;
import static org.zmq4j.draft.DraftSupport.recv;
import static org.zmq4j.draft.DraftSupport.recvSkippingProbes;
import static org.zmq4j.draft.DraftSupport.send;
import static org.zmq4j.draft.DraftSupport.syncDish;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Message;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.draft.DraftSupport.Transport;

/**
 * Every draft socket pair (SERVER/CLIENT, RADIO/DISH, SCATTER/GATHER, PEER/PEER, CHANNEL/CHANNEL)
 * works zmq4j-to-zmq4j over tcp, ipc and inproc, whichever side binds: messages (including empty
 * and 1 MiB ones) arrive intact, in both directions where the pattern has two.
 * <p>
 * It also proves each pattern's routing (rfc-47/48/49/51/52): SERVER gives each client its own
 * non-zero routing id and routes replies by it; RADIO/DISH deliver exactly the joined groups
 * (exact match, the empty group, a 255-byte group, UTF-8), stop after LEAVE, join after connect,
 * and survive the restart of either side (the DISH's groups are sent again); SCATTER round-robins;
 * CHANNEL keeps a single peer; PEER's {@code connectPeer} gives a routing id usable at once, also
 * before the other side exists, and messages carry the id of the connection they came over.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DraftPairsTest extends DraftTestBase {

    /** The five pairs: first is the sending (or server) side, second the receiving (or client) side. */
    enum Pair {
        SERVER_CLIENT(SocketType.SERVER, SocketType.CLIENT),
        RADIO_DISH(SocketType.RADIO, SocketType.DISH),
        SCATTER_GATHER(SocketType.SCATTER, SocketType.GATHER),
        PEER_PEER(SocketType.PEER, SocketType.PEER),
        CHANNEL_CHANNEL(SocketType.CHANNEL, SocketType.CHANNEL);

        final SocketType first;
        final SocketType second;

        Pair(SocketType first, SocketType second) {
            this.first = first;
            this.second = second;
        }
    }

    static Stream<Arguments> pairsTransportsAndBinders() {
        List<Arguments> list = new ArrayList<>();
        for (Pair p : Pair.values()) {
            for (Transport t : Transport.values()) {
                list.add(Arguments.of(p, t, true));
                list.add(Arguments.of(p, t, false));
            }
        }
        return list.stream();
    }

    private static List<byte[]> payloads() {
        List<byte[]> list = new ArrayList<>();
        list.add(b("hello"));
        list.add(new byte[0]);
        list.add(random(1 << 20, 42));
        list.add(b("after the big one"));
        return list;
    }

    @ParameterizedTest(name = "{0} over {1}, first side binds: {2}")
    @MethodSource("pairsTransportsAndBinders")
    void roundTrip(Pair pair, Transport transport, boolean firstBinds) {
        Socket first = socket(pair.first);
        Socket second = socket(pair.second);
        Socket binder = firstBinds ? first : second;
        Socket connecter = firstBinds ? second : first;
        String ep = bind(binder, transport);
        int connectedId = 0;
        if (connecter.type() == SocketType.PEER) {
            connectedId = connecter.connectPeer(ep);
            assertNotEquals(0, connectedId, "connectPeer must return a non-zero routing id");
        } else {
            connecter.connect(ep);
        }

        switch (pair) {
            case SERVER_CLIENT: {
                int id = 0;
                for (byte[] p : payloads()) {
                    send(second, new Message(p));
                    Message m = recv(first);
                    assertArrayEquals(p, m.data(), "CLIENT -> SERVER payload of " + p.length + " bytes");
                    assertNotEquals(0, m.routingId(), "a message received by SERVER carries a non-zero routing id");
                    if (id == 0) {
                        id = m.routingId();
                    }
                    assertEquals(id, m.routingId(), "one connection keeps one routing id");
                    send(first, new Message(p).withRoutingId(id));
                    assertArrayEquals(p, recv(second).data(), "SERVER -> CLIENT payload of " + p.length + " bytes");
                }
                break;
            }
            case PEER_PEER: {
                Socket peerOfConnecter = binder;
                int id = 0;
                for (byte[] p : payloads()) {
                    send(connecter, new Message(p).withRoutingId(connectedId));
                    Message m = recv(peerOfConnecter);
                    assertArrayEquals(p, m.data(), "PEER -> PEER payload of " + p.length + " bytes");
                    assertNotEquals(0, m.routingId());
                    if (id == 0) {
                        id = m.routingId();
                    }
                    assertEquals(id, m.routingId(), "one connection keeps one routing id");
                    send(peerOfConnecter, new Message(p).withRoutingId(id));
                    Message back = recv(connecter);
                    assertArrayEquals(p, back.data(), "reply PEER -> PEER payload of " + p.length + " bytes");
                    assertEquals(connectedId, back.routingId(),
                            "the reply came over the connection connectPeer made, so it must carry the id connectPeer returned");
                }
                break;
            }
            case CHANNEL_CHANNEL:
                for (byte[] p : payloads()) {
                    send(first, new Message(p));
                    assertArrayEquals(p, recv(second).data(), "CHANNEL -> CHANNEL payload of " + p.length + " bytes");
                    send(second, new Message(p));
                    assertArrayEquals(p, recv(first).data(), "CHANNEL <- CHANNEL payload of " + p.length + " bytes");
                }
                break;
            case SCATTER_GATHER:
                for (byte[] p : payloads()) {
                    send(first, new Message(p));
                    assertArrayEquals(p, recv(second).data(), "SCATTER -> GATHER payload of " + p.length + " bytes");
                }
                break;
            case RADIO_DISH:
                second.join("g");
                syncDish(first, second);
                for (byte[] p : payloads()) {
                    send(first, new Message(p).withGroup("g"));
                    Message m = recvSkippingProbes(second);
                    assertArrayEquals(p, m.data(), "RADIO -> DISH payload of " + p.length + " bytes");
                    assertEquals("g", m.group(), "a DISH message carries its group");
                }
                break;
            default:
                fail("unknown pair " + pair);
        }
    }

    // ------------------------------------------------------------------ SERVER / CLIENT

    @ParameterizedTest
    @EnumSource(Transport.class)
    void twoClientsGetDistinctRoutingIdsAndTheirOwnReplies(Transport transport) {
        Socket server = socket(SocketType.SERVER);
        String ep = bind(server, transport);
        Socket c1 = socket(SocketType.CLIENT);
        Socket c2 = socket(SocketType.CLIENT);
        c1.connect(ep);
        c2.connect(ep);
        send(c1, Message.of("c1"));
        send(c2, Message.of("c2"));
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Message m = recv(server);
            assertNotEquals(0, m.routingId(), "routing id of " + m.text());
            assertNull(ids.put(m.text(), m.routingId()), "message " + m.text() + " received twice");
        }
        assertEquals(2, ids.size());
        assertNotEquals(ids.get("c1"), ids.get("c2"), "two connections must have distinct routing ids");

        // replies in the opposite order of arrival, each must reach its own client
        send(server, Message.of("for c2").withRoutingId(ids.get("c2")));
        send(server, Message.of("for c1").withRoutingId(ids.get("c1")));
        assertEquals("for c1", recv(c1).text());
        assertEquals("for c2", recv(c2).text());

        // ids are stable per connection
        send(c2, Message.of("c2 again"));
        send(c1, Message.of("c1 again"));
        for (int i = 0; i < 2; i++) {
            Message m = recv(server);
            String who = m.text().substring(0, 2);
            assertEquals(ids.get(who), m.routingId(), "routing id of " + who + " changed");
        }
        c1.setOption(Option.RCVTIMEO, 200);
        c2.setOption(Option.RCVTIMEO, 200);
        assertNull(c1.recvMessage(), "c1 must have received only its own reply");
        assertNull(c2.recvMessage(), "c2 must have received only its own reply");
    }

    // ------------------------------------------------------------------ RADIO / DISH

    @ParameterizedTest
    @EnumSource(Transport.class)
    void dishReceivesExactlyTheGroupsItJoined(Transport transport) {
        Socket radio = socket(SocketType.RADIO);
        Socket dish = socket(SocketType.DISH);
        dish.join("a");
        dish.join("");
        String long255 = "L".repeat(255);
        dish.join(long255);
        String utf8 = "caf\u00e9-\u2615"; // 10 bytes of UTF-8
        dish.join(utf8);
        dish.connect(bind(radio, transport));
        syncDish(radio, dish);

        send(radio, Message.of("not joined").withGroup("b"));
        send(radio, Message.of("to a").withGroup("a"));
        send(radio, Message.of("prefix of a joined group is not a match").withGroup("ab"));
        send(radio, Message.of("case differs").withGroup("A"));
        send(radio, Message.of("no group"));
        send(radio, Message.of("empty group").withGroup(""));
        send(radio, Message.of("to long").withGroup(long255));
        send(radio, Message.of("254 bytes of the long group").withGroup("L".repeat(254)));
        send(radio, Message.of("to utf8").withGroup(utf8));
        send(radio, Message.of("end").withGroup("a"));

        String[][] expected = {
            {"to a", "a"}, {"no group", ""}, {"empty group", ""}, {"to long", long255}, {"to utf8", utf8}, {"end", "a"},
        };
        for (String[] e : expected) {
            Message m = recvSkippingProbes(dish);
            assertEquals(e[0], m.text(), "messages of groups the DISH did not join must not be delivered");
            assertEquals(e[1], m.group(), "group of '" + e[0] + "'");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void leaveStopsDeliveryAndJoiningAgainResumesIt(Transport transport) {
        Socket radio = socket(SocketType.RADIO);
        Socket dish = socket(SocketType.DISH);
        dish.join("a");
        dish.join("b");
        dish.connect(bind(radio, transport));
        syncDish(radio, dish);

        dish.leave("a");
        send(radio, Message.of("a after leave").withGroup("a"));
        send(radio, Message.of("b1").withGroup("b"));
        assertEquals("b1", recvSkippingProbes(dish).text(), "a message of a group left must not be delivered");

        dish.join("a");
        syncDish(radio, dish, DraftSupport.SYNC_GROUP + "2");
        send(radio, Message.of("a again").withGroup("a"));
        Message m = recvSkippingProbes(dish);
        assertEquals("a again", m.text(), "after joining again the group is delivered again");
        assertEquals("a", m.group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void dishJoiningAfterConnectReceives(Transport transport) {
        Socket radio = socket(SocketType.RADIO);
        Socket dish = socket(SocketType.DISH);
        dish.connect(bind(radio, transport));
        // nothing joined yet: a probe handshake proves the connection first, through a later join
        dish.join("late");
        syncDish(radio, dish);
        send(radio, Message.of("for late joiner").withGroup("late"));
        Message m = recvSkippingProbes(dish);
        assertEquals("for late joiner", m.text());
        assertEquals("late", m.group());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "INPROC"})
    void dishConnectedBeforeTheRadioBinds(Transport transport) {
        String ep = transport == Transport.TCP ? "tcp://127.0.0.1:" + freePort() : transport.bindEndpoint();
        Socket dish = socket(SocketType.DISH);
        dish.setOption(Option.RECONNECT_IVL, 20);
        dish.join("early");
        dish.connect(ep);
        dish.join("after connect, before bind");
        Socket radio = socket(SocketType.RADIO);
        radio.bind(ep);
        syncDish(radio, dish);
        send(radio, Message.of("1").withGroup("early"));
        send(radio, Message.of("2").withGroup("after connect, before bind"));
        assertEquals("1", recvSkippingProbes(dish).text());
        assertEquals("2", recvSkippingProbes(dish).text());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void dishWithTwoRadiosJoinsOnBoth(Transport transport) {
        Socket r1 = socket(SocketType.RADIO);
        Socket r2 = socket(SocketType.RADIO);
        Socket dish = socket(SocketType.DISH);
        dish.connect(bind(r1, transport));
        dish.connect(bind(r2, transport));
        dish.join("g"); // after both connects: the JOIN must go to both radios
        syncDish(r1, dish, DraftSupport.SYNC_GROUP + "1");
        syncDish(r2, dish, DraftSupport.SYNC_GROUP + "2");
        send(r1, Message.of("from r1").withGroup("g"));
        send(r2, Message.of("from r2").withGroup("g"));
        List<String> got = new ArrayList<>();
        got.add(recvSkippingProbes(dish).text());
        got.add(recvSkippingProbes(dish).text());
        got.sort(null);
        assertEquals(List.of("from r1", "from r2"), got);
        dish.leave("g");
        send(r1, Message.of("r1 after leave").withGroup("g"));
        send(r2, Message.of("r2 after leave").withGroup("g"));
        dish.setOption(Option.RCVTIMEO, 200);
        assertNull(DraftSupport.recvSkippingProbesNow(dish), "nothing of a group left may be delivered");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "IPC"})
    void dishSendsItsJoinsAgainToARestartedRadio(Transport transport) throws Exception {
        String ep;
        Path dir = null;
        if (transport == Transport.TCP) {
            ep = "tcp://127.0.0.1:" + freePort();
        } else {
            dir = Files.createTempDirectory("zmq4j-draft-ipc-");
            ep = "ipc://" + dir.resolve("radio.sock");
        }
        try {
            Socket radio1 = socket(SocketType.RADIO);
            radio1.bind(ep);
            Socket dish = socket(SocketType.DISH);
            dish.setOption(Option.RECONNECT_IVL, 20);
            dish.join("g");
            dish.connect(ep);
            syncDish(radio1, dish, DraftSupport.SYNC_GROUP + "1");

            radio1.close();
            dish.join("joined while the radio was away");
            Socket radio2 = socket(SocketType.RADIO);
            bindWithRetry(radio2, ep);

            receiveFromRetrying(radio2, dish, "g");
            receiveFromRetrying(radio2, dish, "joined while the radio was away");
        } finally {
            if (dir != null) {
                ctx.close();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }
    }

    @Test
    void radioLearnsTheGroupsOfARestartedDish() {
        String ep = "tcp://127.0.0.1:" + freePort();
        Socket dish1 = socket(SocketType.DISH);
        dish1.bind(ep);
        dish1.join("old");
        Socket radio = socket(SocketType.RADIO);
        radio.setOption(Option.RECONNECT_IVL, 20);
        radio.connect(ep);
        syncDish(radio, dish1, DraftSupport.SYNC_GROUP + "1");
        send(radio, Message.of("to old").withGroup("old"));
        assertEquals("to old", recvSkippingProbes(dish1).text());

        dish1.close();
        Socket dish2 = socket(SocketType.DISH);
        dish2.join("new");
        bindWithRetry(dish2, ep);
        receiveFromRetrying(radio, dish2, "new");
    }

    /** Binds, retrying (bounded) while the address is still held by a socket just closed. */
    private static void bindWithRetry(Socket s, String ep) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        while (true) {
            try {
                s.bind(ep);
                return;
            } catch (ZmqException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LockSupport.parkNanos(10_000_000);
            }
        }
    }

    /**
     * Sends messages in {@code group} from {@code radio} until {@code dish} receives one (bounded):
     * the radio drops everything until the dish's JOIN for the group has reached it.
     */
    private static void receiveFromRetrying(Socket radio, Socket dish, String group) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        int i = 0;
        while (true) {
            assertTrue(radio.send(Message.of("to " + group + " #" + i++).withGroup(group)), "RADIO send never fails");
            Message m;
            long wait = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
            do {
                m = dish.recvMessage(Socket.DONTWAIT);
                if (m != null && isProbe(m)) {
                    m = null; // leftover probe from before the restart
                    continue;
                }
                if (m != null) {
                    break;
                }
                LockSupport.parkNanos(500_000);
            } while (System.nanoTime() - wait < 0);
            if (m != null) {
                assertEquals(group, m.group(), "unexpected message " + m.text());
                assertTrue(m.text().startsWith("to " + group + " #"), m.text());
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("no message of group '" + group + "' reached the DISH within " + SETTLE_MS + " ms after the restart ("
                        + i + " sent): its JOIN was not (re)sent or not applied");
            }
        }
    }

    // ------------------------------------------------------------------ SCATTER / GATHER

    @ParameterizedTest
    @EnumSource(Transport.class)
    void scatterRoundRobinsOverTwoGathers(Transport transport) {
        Socket g1 = socket(SocketType.GATHER);
        Socket g2 = socket(SocketType.GATHER);
        Socket scatter = socket(SocketType.SCATTER);
        scatter.connect(bind(g1, transport));
        scatter.connect(bind(g2, transport));
        int n = 20;
        for (int i = 0; i < n; i++) {
            send(scatter, Message.of(Integer.toString(i)));
        }
        List<Integer> got1 = new ArrayList<>();
        List<Integer> got2 = new ArrayList<>();
        for (int i = 0; i < n / 2; i++) {
            got1.add(Integer.parseInt(recv(g1).text()));
            got2.add(Integer.parseInt(recv(g2).text()));
        }
        g1.setOption(Option.RCVTIMEO, 100);
        g2.setOption(Option.RCVTIMEO, 100);
        assertNull(g1.recvMessage(), "GATHER 1 got more than its half");
        assertNull(g2.recvMessage(), "GATHER 2 got more than its half");
        int parity = got1.get(0) % 2;
        for (int i = 0; i < n / 2; i++) {
            assertEquals(2 * i + parity, got1.get(i), "round robin order at GATHER 1: " + got1);
            assertEquals(2 * i + 1 - parity, got2.get(i), "round robin order at GATHER 2: " + got2);
        }
    }

    // ------------------------------------------------------------------ CHANNEL

    @ParameterizedTest
    @EnumSource(Transport.class)
    void channelRefusesASecondPeer(Transport transport) {
        Socket ch1 = socket(SocketType.CHANNEL);
        String ep = bind(ch1, transport);
        Socket ch2 = socket(SocketType.CHANNEL);
        ch2.connect(ep);
        send(ch2, Message.of("from 2"));
        assertEquals("from 2", recv(ch1).text());

        Socket ch3 = socket(SocketType.CHANNEL);
        ch3.setOption(Option.RECONNECT_IVL, 20);
        try {
            ch3.connect(ep);
        } catch (ZmqException e) {
            // refusing the connect itself is a valid way of refusing the second peer
        }
        for (int i = 0; i < 5; i++) {
            ch3.send(Message.of("from 3 #" + i), Socket.DONTWAIT); // queued, or refused: must not arrive
        }
        // the first peer keeps the channel: everything ch1 sends reaches ch2
        for (int i = 0; i < 10; i++) {
            send(ch1, Message.of("to 2 #" + i));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("to 2 #" + i, recv(ch2).text(), "CHANNEL must keep talking to its first peer");
        }
        send(ch2, Message.of("still 2"));
        assertEquals("still 2", recv(ch1).text(), "a message of the second peer must never reach the CHANNEL");
        ch1.setOption(Option.RCVTIMEO, 300);
        ch3.setOption(Option.RCVTIMEO, 100);
        assertNull(ch1.recvMessage(), "a message of the second peer reached the CHANNEL");
        assertNull(ch3.recvMessage(), "the refused second peer received a message");
    }

    @Test
    void channelTakesANewPeerAfterTheFirstLeaves() {
        Socket ch1 = socket(SocketType.CHANNEL);
        String ep = bind(ch1, Transport.TCP);
        Socket ch2 = socket(SocketType.CHANNEL);
        ch2.connect(ep);
        send(ch2, Message.of("from 2"));
        assertEquals("from 2", recv(ch1).text());
        Socket ch3 = socket(SocketType.CHANNEL);
        ch3.setOption(Option.RECONNECT_IVL, 20);
        ch3.connect(ep);
        ch2.close();

        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        Message m = null;
        int i = 0;
        while (m == null) {
            ch3.send(Message.of("from 3 #" + i++), Socket.DONTWAIT);
            m = ch1.recvMessage(Socket.DONTWAIT);
            if (m == null) {
                LockSupport.parkNanos(5_000_000);
                m = ch1.recvMessage(Socket.DONTWAIT);
            }
            if (m == null && System.nanoTime() - deadline > 0) {
                fail("the CHANNEL never took the new peer after its first one closed");
            }
        }
        assertTrue(m.text().startsWith("from 3 #"), m.text());
        send(ch1, Message.of("to 3"));
        assertEquals("to 3", recv(ch3).text());
    }

    // ------------------------------------------------------------------ PEER

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectPeerBothWays(Transport transport) {
        Socket p1 = socket(SocketType.PEER);
        Socket p2 = socket(SocketType.PEER);
        String ep1 = bind(p1, transport);
        String ep2 = bind(p2, transport);
        int id12 = p1.connectPeer(ep2);
        int id21 = p2.connectPeer(ep1);
        assertNotEquals(0, id12);
        assertNotEquals(0, id21);

        send(p1, Message.of("1 over its own connection").withRoutingId(id12));
        Message at2 = recv(p2);
        assertEquals("1 over its own connection", at2.text());
        assertNotEquals(0, at2.routingId());
        assertNotEquals(id21, at2.routingId(), "p1's connection to p2 is not the one p2 made to p1");

        send(p2, Message.of("2 over its own connection").withRoutingId(id21));
        Message at1 = recv(p1);
        assertEquals("2 over its own connection", at1.text());
        assertNotEquals(0, at1.routingId());
        assertNotEquals(id12, at1.routingId(), "p2's connection to p1 is not the one p1 made to p2");

        // replies over the connection each message came in on
        send(p2, Message.of("reply over 1's connection").withRoutingId(at2.routingId()));
        Message r1 = recv(p1);
        assertEquals("reply over 1's connection", r1.text());
        assertEquals(id12, r1.routingId(), "came over the connection p1 made, whose id connectPeer returned");
        send(p1, Message.of("reply over 2's connection").withRoutingId(at1.routingId()));
        Message r2 = recv(p2);
        assertEquals("reply over 2's connection", r2.text());
        assertEquals(id21, r2.routingId(), "came over the connection p2 made, whose id connectPeer returned");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void messagesFromTwoPeersCarryTheirRoutingIds(Transport transport) {
        Socket hub = socket(SocketType.PEER);
        String ep = bind(hub, transport);
        Socket a = socket(SocketType.PEER);
        Socket bb = socket(SocketType.PEER);
        int ida = a.connectPeer(ep);
        int idb = bb.connectPeer(ep);
        send(a, Message.of("a").withRoutingId(ida));
        send(bb, Message.of("b").withRoutingId(idb));
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Message m = recv(hub);
            assertNotEquals(0, m.routingId());
            assertNull(ids.put(m.text(), m.routingId()));
        }
        assertNotEquals(ids.get("a"), ids.get("b"), "two peers must have distinct routing ids");
        send(hub, Message.of("for b").withRoutingId(ids.get("b")));
        send(hub, Message.of("for a").withRoutingId(ids.get("a")));
        Message ma = recv(a);
        Message mb = recv(bb);
        assertEquals("for a", ma.text());
        assertEquals("for b", mb.text());
        assertEquals(ida, ma.routingId());
        assertEquals(idb, mb.routingId());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "INPROC"})
    void connectPeerIdIsUsableBeforeTheOtherPeerExists(Transport transport) {
        String ep = transport == Transport.TCP ? "tcp://127.0.0.1:" + freePort() : transport.bindEndpoint();
        Socket early = socket(SocketType.PEER);
        early.setOption(Option.RECONNECT_IVL, 20);
        int id = early.connectPeer(ep);
        assertNotEquals(0, id, "connectPeer must return the routing id at once");
        assertTrue(early.send(Message.of("sent before the bind").withRoutingId(id), Socket.DONTWAIT),
                "a message to the id connectPeer returned must queue at once");
        Socket late = socket(SocketType.PEER);
        late.bind(ep);
        Message m = recv(late);
        assertEquals("sent before the bind", m.text());
        send(late, Message.of("answer").withRoutingId(m.routingId()));
        Message back = recv(early);
        assertEquals("answer", back.text());
        assertEquals(id, back.routingId());
    }

    @Test
    void twoConnectPeerCallsGiveDistinctIds() {
        Socket hub1 = socket(SocketType.PEER);
        Socket hub2 = socket(SocketType.PEER);
        String ep1 = bind(hub1, Transport.TCP);
        String ep2 = bind(hub2, Transport.INPROC);
        Socket p = socket(SocketType.PEER);
        int id1 = p.connectPeer(ep1);
        int id2 = p.connectPeer(ep2);
        assertNotEquals(0, id1);
        assertNotEquals(0, id2);
        assertNotEquals(id1, id2);
        send(p, Message.of("to hub2").withRoutingId(id2));
        send(p, Message.of("to hub1").withRoutingId(id1));
        assertEquals("to hub1", recv(hub1).text());
        assertEquals("to hub2", recv(hub2).text());
        hub1.setOption(Option.RCVTIMEO, 100);
        hub2.setOption(Option.RCVTIMEO, 100);
        assertNull(hub1.recvMessage());
        assertNull(hub2.recvMessage());
    }
}
