package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * PIPELINE (rfc-30): PUSH round-robins to its PULL peers; PULL fair-queues among its PUSH peers.
 */
class PushPullTest extends SocketTestBase {

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pushRoundRobinsAcrossConnectedPullers() {
        Socket push = socket(SocketType.PUSH);
        String ep = bindAny(push);
        List<Socket> pulls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket pull = socket(SocketType.PULL);
            pull.connect(ep);
            pulls.add(pull);
        }
        // sync: one message at a time until each PULL has received one (a bound PUSH only has
        // pipes to completed connections, so each sync message is delivered somewhere)
        Set<Integer> seen = new HashSet<>();
        for (int round = 0; seen.size() < pulls.size(); round++) {
            assertTrue(round < 200, "PULLs never all attached: " + seen);
            sendMsg(push, "sync");
            int[] which = {-1};
            awaitTrue("sync message at a PULL", SETTLE_DEADLINE_MS, () -> {
                for (int i = 0; i < pulls.size(); i++) {
                    if (pulls.get(i).recv(Socket.DONTWAIT) != null) {
                        which[0] = i;
                        return true;
                    }
                }
                return false;
            });
            seen.add(which[0]);
        }
        int perPeer = 5;
        for (int i = 0; i < perPeer * pulls.size(); i++) {
            sendMsg(push, "t" + i);
        }
        List<List<Integer>> got = new ArrayList<>();
        for (Socket pull : pulls) {
            List<Integer> mine = new ArrayList<>();
            for (int k = 0; k < perPeer; k++) {
                mine.add(Integer.parseInt(recvStr(pull).substring(1)));
            }
            pull.setOption(Option.RCVTIMEO, 100);
            assertNull(pull.recv(), "each PULL gets exactly " + perPeer + "; got " + got + " / " + mine);
            got.add(mine);
        }
        for (List<Integer> mine : got) {
            for (int k = 1; k < mine.size(); k++) {
                assertEquals(3, mine.get(k) - mine.get(k - 1), "round-robin stride: " + got);
            }
        }
    }

    /**
     * Fair queuing with every inbound pipe provably non-empty: each of three PUSHers (SNDHWM 5)
     * sends 64 KiB messages to one PULL (RCVHWM 5) that does not read, until a send with
     * SNDTIMEO 200 ms fails, i.e. until its pipe, both kernel buffers and the PULL's inbound pipe
     * are full. The PULL must then alternate among the three sources. libzmq 4.3.4 (pyzmq, same
     * set-up): the first 15 messages are ABCABCABCABCABC (RCVHWM rounds of strict alternation).
     * This test requires the first three rounds to be strict and no starvation in 30 messages.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pullFairQueuesAmongFullPipes() {
        Socket pull = socket(SocketType.PULL);
        pull.setOption(Option.RCVHWM, 5);
        String ep = bindAny(pull);
        int sources = 3;
        List<Socket> pushers = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            Socket push = socket(SocketType.PUSH);
            push.setOption(Option.SNDHWM, 5);
            push.setOption(Option.SNDTIMEO, 200);
            push.connect(ep);
            pushers.add(push);
        }
        // every connection up before filling (so a SNDTIMEO expiry means "full", not "connecting")
        for (Socket push : pushers) {
            sendMsg(push, "hello");
        }
        for (int i = 0; i < sources; i++) {
            assertEquals("hello", recvStr(pull));
        }
        int[] sent = new int[sources];
        for (int i = 0; i < sources; i++) {
            sent[i] = fill(pushers.get(i), i, 20_000);
        }
        List<Integer> order = new ArrayList<>();
        int[] nextSeq = new int[sources];
        int total = 0;
        for (int n : sent) {
            total += n;
        }
        for (int k = 0; k < total; k++) {
            byte[] m = pull.recv();
            assertTrue(m != null, "timed out after " + k + " of " + total + " messages");
            ByteBuffer bb = ByteBuffer.wrap(m);
            int src = bb.getInt();
            int seq = bb.getInt();
            assertEquals(nextSeq[src]++, seq, "per-source FIFO order for source " + src);
            order.add(src);
        }
        for (int i = 0; i < sources; i++) {
            assertEquals(sent[i], nextSeq[i], "every queued message of source " + i + " arrives");
        }
        System.out.println("[PushPullTest] messages queued per full PUSHer (SNDHWM=5, RCVHWM=5, 64 KiB): "
                + java.util.Arrays.toString(sent) + "; first 30 sources read: " + order.subList(0, Math.min(30, order.size())));
        for (int round = 0; round < 3; round++) {
            Set<Integer> inRound = new HashSet<>(order.subList(round * sources, round * sources + sources));
            assertEquals(sources, inRound.size(), "round " + round + " of fair queuing must take one message from each"
                    + " full pipe; order: " + order.subList(0, 30));
        }
        int[] inFirst30 = new int[sources];
        for (int src : order.subList(0, 30)) {
            inFirst30[src]++;
        }
        for (int i = 0; i < sources; i++) {
            assertTrue(inFirst30[i] >= 5, "source " + i + " starved in the first 30: " + order.subList(0, 30));
        }
    }

    /** Sends 64 KiB messages tagged (source, seq) until a send fails after SNDTIMEO. */
    static int fill(Socket push, int source, int cap) {
        int n = 0;
        while (n < cap) {
            ByteBuffer bb = ByteBuffer.allocate(64 * 1024);
            bb.putInt(source).putInt(n);
            if (!push.send(bb.array())) {
                return n;
            }
            n++;
        }
        throw new AssertionError("PUSH never reached its high-water mark after " + cap + " messages of 64 KiB");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pullReceivesEverythingFromSeveralPushersInPerSourceOrder() {
        Socket pull = socket(SocketType.PULL);
        String ep = bindAny(pull);
        int sources = 4;
        int each = 500;
        List<Socket> pushers = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            Socket push = socket(SocketType.PUSH);
            push.connect(ep);
            pushers.add(push);
        }
        for (int k = 0; k < each; k++) {
            for (int i = 0; i < sources; i++) {
                sendMsg(pushers.get(i), i + ":" + k);
            }
        }
        int[] next = new int[sources];
        for (int k = 0; k < sources * each; k++) {
            String[] parts = recvStr(pull).split(":");
            int src = Integer.parseInt(parts[0]);
            assertEquals(next[src]++, Integer.parseInt(parts[1]), "FIFO per source " + src);
        }
        pull.setOption(Option.RCVTIMEO, 100);
        assertNull(pull.recv());
    }
}
