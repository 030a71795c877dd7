package org.zmq4j.durable.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.durable.journal.FsyncPolicy;
import org.zmq4j.durable.journal.JournalConfig;
import org.zmq4j.patterns.testkit.PyInteropTest;
import org.zmq4j.patterns.testkit.PyPeer;

/**
 * Durable delivery against a sender and a receiver written in Python (pyzmq, that is libzmq) from
 * the protocol's description in docs/durability.md alone ({@code ddp_peer.py}), both directions,
 * each side crashed (kill -9, or closed) and restarted in the middle: every message arrives once,
 * in order.
 */
@Timeout(180)
class DdpInteropTest extends PyInteropTest {
    private static final JournalConfig GROUP = JournalConfig.builder().policy(FsyncPolicy.group(Duration.ZERO)).build();
    private static final int COUNT = 2000;

    DdpInteropTest() {
        super("ddp_peer.py");
    }

    private DurableReceiver receiver(String ep) throws Exception {
        return DurableReceiver.open(held.ctx, DurableReceiverConfig.builder(ep, dir.resolve("java-state")).journal(GROUP)
                .heartbeat(Duration.ofMillis(200)).build());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Receives (acknowledging) until {@code count} came or {@code seconds} passed. */
    private static void take(DurableReceiver r, List<String> into, int count, int seconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (into.size() < count && System.nanoTime() < deadline) {
            Delivery d = r.receive(Duration.ofMillis(100));
            if (d != null) {
                into.add(d.senderId() + "#" + d.sequence() + ":" + d.payloadString());
                d.ack();
            }
        }
    }

    private static void assertExactlyOnceInOrder(List<String> lines, String id, int count) {
        assertEquals(count, lines.size(), "every message once: " + (lines.size() > 20 ? lines.subList(0, 20) + "..." : lines));
        for (int i = 0; i < count; i++) {
            assertEquals(id + "-" + i, lines.get(i), "message " + i + " in order");
        }
    }

    @Test
    void theirSenderToOurReceiverThroughCrashesOfBoth() throws Exception {
        String ep = "tcp://127.0.0.1:" + freePort();
        DurableReceiver r = receiver(ep);
        String[] args = {"send", "--connect", ep, "--id", "py", "--count", String.valueOf(COUNT), "--state",
            dir.resolve("py-sender").toString()};
        PyPeer sender = py(args);
        List<String> got = new ArrayList<>();
        take(r, got, 500, 60);
        sender.kill(); // a crash of their sender mid-stream
        forget(sender);
        sender = py(args);
        take(r, got, 1000, 60);
        r.close(); // our receiver stops and comes back on its state
        r = receiver(ep);
        take(r, got, COUNT, 90);
        assertEquals(0, sender.exitCode(60), sender.describe());
        assertTrue(sender.out().contains("ACKED " + COUNT), sender.describe());
        r.close();
        List<String> payloads = new ArrayList<>();
        for (String g : got) {
            assertTrue(g.startsWith("py#"), g);
            payloads.add(g.substring(g.indexOf(':') + 1));
        }
        assertExactlyOnceInOrder(payloads, "py", COUNT);
        assertNoProtocolErrors();
    }

    @Test
    void ourSenderToTheirReceiverThroughCrashesOfBoth() throws Exception {
        String ep = "tcp://127.0.0.1:" + freePort();
        Path out = dir.resolve("py-out.txt");
        String[] args = {"recv", "--bind", ep, "--state", dir.resolve("py-receiver").toString(), "--out", out.toString()};
        PyPeer receiver = py(args);
        receiver.awaitOut("READY", 30);
        DurableSenderConfig config = DurableSenderConfig.builder("java", dir.resolve("java-journal"), ep).journal(GROUP)
                .window(200).ackTimeout(Duration.ofMillis(300)).heartbeat(Duration.ofMillis(200)).build();
        DurableSender s = DurableSender.open(held.ctx, config);
        for (int i = 0; i < 700; i++) {
            s.send("java-" + i);
        }
        receiver.kill(); // their receiver crashes with messages in flight
        forget(receiver);
        receiver = py(args);
        receiver.awaitOut("READY", 30);
        for (int i = 700; i < 1300; i++) {
            s.send("java-" + i);
        }
        s.close(); // our sender stops with messages unacknowledged, and comes back on its journal
        s = DurableSender.open(held.ctx, config);
        assertEquals(1300, s.nextSequence());
        for (int i = 1300; i < COUNT; i++) {
            s.send("java-" + i);
        }
        assertTrue(s.flush(Duration.ofSeconds(60)), "all acknowledged by their receiver: " + s + "\n" + receiver.describe());
        s.close();
        assertExactlyOnceInOrder(Files.readAllLines(out), "java", COUNT);
        assertNoProtocolErrors();
    }
}
