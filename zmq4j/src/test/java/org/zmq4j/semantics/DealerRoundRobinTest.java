package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * DEALER: round-robin to its peers on send, fair-queue on receive (zmq_socket(3): "each message
 * sent is round-robined among all connected peers"). Before counting, every peer's connection is
 * proven up by a synchronisation phase, so the counts test the load balancer only.
 */
class DealerRoundRobinTest extends SocketTestBase {

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void dealerRoundRobinsAcrossThreeReps() {
        List<Socket> reps = new ArrayList<>();
        Socket dealer = socket(SocketType.DEALER);
        for (int i = 0; i < 3; i++) {
            Socket rep = socket(SocketType.REP);
            dealer.connect(bindAny(rep));
            reps.add(rep);
        }
        // sync: one request at a time until every REP has answered one
        Set<Integer> seen = new HashSet<>();
        for (int round = 0; seen.size() < reps.size(); round++) {
            assertTrue(round < 100, "REPs never all reached: " + seen);
            sendMsg(dealer, "", "sync" + round);
            int idx = awaitRequest(reps, "sync" + round);
            seen.add(idx);
            sendMsg(reps.get(idx), "ok" + round);
            assertEquals(List.of("", "ok" + round), recvMsg(dealer),
                    "DEALER sees REP's reply with the empty delimiter");
        }

        int perPeer = 4;
        for (int i = 0; i < perPeer * reps.size(); i++) {
            sendMsg(dealer, "", "job" + i);
        }
        Map<Integer, List<Integer>> got = new HashMap<>();
        for (int r = 0; r < reps.size(); r++) {
            List<Integer> jobs = new ArrayList<>();
            for (int k = 0; k < perPeer; k++) {
                List<String> m = recvMsg(reps.get(r));
                assertEquals(1, m.size(), "REP strips the envelope: " + m);
                jobs.add(Integer.parseInt(m.get(0).substring(3)));
                sendMsg(reps.get(r), "done");
            }
            got.put(r, jobs);
        }
        // exactly perPeer each, and each REP sees every third job (same pipe order every round)
        for (List<Integer> jobs : got.values()) {
            assertEquals(perPeer, jobs.size());
            for (int k = 1; k < jobs.size(); k++) {
                assertEquals(reps.size(), jobs.get(k) - jobs.get(k - 1), "round-robin stride, got " + got);
            }
        }
        for (Socket rep : reps) {
            rep.setOption(org.zmq4j.Option.RCVTIMEO, 100);
            assertEquals(null, rep.recv(), "no REP gets more than its share");
        }
        for (int i = 0; i < perPeer * reps.size(); i++) {
            assertEquals(List.of("", "done"), recvMsg(dealer));
        }
    }

    private static int awaitRequest(List<Socket> reps, String expected) {
        int[] which = {-1};
        awaitTrue("'" + expected + "' at one of the REPs", SETTLE_DEADLINE_MS, () -> {
            for (int i = 0; i < reps.size(); i++) {
                List<String> m = recvMsgNow(reps.get(i));
                if (m != null) {
                    assertEquals(List.of(expected), m);
                    which[0] = i;
                    return true;
                }
            }
            return false;
        });
        return which[0];
    }

    /** libzmq creates the pipe at connect() time (IMMEDIATE=0), so round-robin starts at once. */
    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void dealerRoundRobinsImmediatelyAfterConnect() {
        List<Socket> reps = new ArrayList<>();
        Socket dealer = socket(SocketType.DEALER);
        for (int i = 0; i < 3; i++) {
            Socket rep = socket(SocketType.REP);
            dealer.connect(bindAny(rep));
            reps.add(rep);
        }
        for (int i = 0; i < 6; i++) {
            sendMsg(dealer, "", "m" + i);
        }
        // libzmq 4.3.4 (pyzmq): REP0 gets m0, m3; REP1 m1, m4; REP2 m2, m5
        for (int r = 0; r < 3; r++) {
            Socket rep = reps.get(r);
            String a = recvMsg(rep).get(0);
            sendMsg(rep, "x");
            String c = recvMsg(rep).get(0);
            sendMsg(rep, "x");
            int ia = Integer.parseInt(a.substring(1));
            int ic = Integer.parseInt(c.substring(1));
            assertEquals(3, ic - ia, "REP" + r + " got " + a + ", " + c);
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void dealerRoundRobinsAcrossTwoDealerPeersAndFairQueuesReplies() {
        Socket hub = socket(SocketType.DEALER);
        String ep = bindAny(hub);
        Socket p1 = socket(SocketType.DEALER);
        Socket p2 = socket(SocketType.DEALER);
        p1.connect(ep);
        p2.connect(ep);
        // each peer says hello: once the hub has received both, both pipes are attached
        sendMsg(p1, "hello1");
        sendMsg(p2, "hello2");
        Set<String> hellos = new HashSet<>();
        hellos.add(recvMsg(hub).get(0));
        hellos.add(recvMsg(hub).get(0));
        assertEquals(Set.of("hello1", "hello2"), hellos);

        for (int i = 0; i < 10; i++) {
            sendMsg(hub, "w" + i);
        }
        List<String> at1 = new ArrayList<>();
        List<String> at2 = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            at1.add(recvMsg(p1).get(0));
            at2.add(recvMsg(p2).get(0));
        }
        p1.setOption(org.zmq4j.Option.RCVTIMEO, 100);
        p2.setOption(org.zmq4j.Option.RCVTIMEO, 100);
        assertEquals(null, p1.recv(), "5 each: " + at1 + " / " + at2);
        assertEquals(null, p2.recv(), "5 each: " + at1 + " / " + at2);
        // alternate: one peer got the even jobs, the other the odd ones
        boolean p1Even = at1.get(0).equals("w0");
        for (int i = 0; i < 5; i++) {
            assertEquals("w" + (2 * i + (p1Even ? 0 : 1)), at1.get(i));
            assertEquals("w" + (2 * i + (p1Even ? 1 : 0)), at2.get(i));
        }
    }
}
