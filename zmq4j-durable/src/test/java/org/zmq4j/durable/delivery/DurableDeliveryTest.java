package org.zmq4j.durable.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.durable.journal.FsyncPolicy;
import org.zmq4j.durable.journal.JournalConfig;

/** Durable delivery in one process: restarts of either side (closing, not crashing: the crash tests are in zmq4j-tools). */
@Timeout(120)
class DurableDeliveryTest {
    @TempDir
    Path dir;

    private static final JournalConfig GROUP = JournalConfig.builder().policy(FsyncPolicy.group(Duration.ZERO)).build();

    private DurableReceiver receiver(Context ctx, String ep) throws Exception {
        return DurableReceiver.open(ctx, DurableReceiverConfig.builder(ep, dir.resolve("state")).journal(GROUP)
                .heartbeat(Duration.ofMillis(200)).build());
    }

    private DurableSender sender(Context ctx, String id, String ep) throws Exception {
        return DurableSender.open(ctx, DurableSenderConfig.builder(id, dir.resolve("j-" + id), ep).journal(GROUP)
                .window(200).ackTimeout(Duration.ofMillis(300)).heartbeat(Duration.ofMillis(200)).build());
    }

    /** Receives (acknowledging) until {@code count} messages came; returns them as "id#seq:payload". */
    private static List<String> take(DurableReceiver r, int count) {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            Delivery d = r.receive(Duration.ofMillis(100));
            if (d != null) {
                got.add(d.senderId() + "#" + d.sequence() + ":" + d.payloadString());
                d.ack();
            }
        }
        return got;
    }

    @Test
    void manySendersEachInOrderAcrossRestartsOfBothSides() throws Exception {
        try (Context ctx = new Context()) {
            DurableReceiver r = receiver(ctx, "tcp://127.0.0.1:0");
            String ep = r.endpoint();
            DurableSender a = sender(ctx, "a", ep);
            DurableSender b = sender(ctx, "b", ep);
            DurableSender a0 = a;
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 1000; i++) { // five windows' worth: send waits for the receiver's acks
                    a0.send("a-" + i);
                    b.send("b-" + i);
                }
            });
            producer.start();
            List<String> got = new ArrayList<>(take(r, 2000));
            producer.join(30_000);
            assertTrue(a.flush(Duration.ofSeconds(30)) && b.flush(Duration.ofSeconds(30)));
            // both sides restart: nothing acknowledged comes again
            a.close();
            r.close();
            r = receiver(ctx, ep);
            a = sender(ctx, "a", ep);
            assertEquals(1000, a.nextSequence(), "the journal continues");
            for (int i = 1000; i < 1150; i++) { // within the window: the receiver's app takes them afterwards
                a.send("a-" + i);
            }
            got.addAll(take(r, 150));
            assertTrue(a.flush(Duration.ofSeconds(30)));
            assertNull(r.receive(Duration.ofMillis(300)), "no duplicate after the restarts");
            Map<String, Integer> next = new HashMap<>();
            for (String g : got) {
                String id = g.substring(0, 1);
                int seq = Integer.parseInt(g.substring(2, g.indexOf(':')));
                assertEquals(next.getOrDefault(id, 0), seq, "in order per sender: " + g);
                assertEquals(id + "-" + seq, g.substring(g.indexOf(':') + 1));
                next.put(id, seq + 1);
            }
            assertEquals(Map.of("a", 1150, "b", 1000), next);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!r.acknowledged().equals(Map.of("a", 1149L, "b", 999L)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(Map.of("a", 1149L, "b", 999L), r.acknowledged());
            a.close();
            b.close();
            r.close();
        }
    }

    @Test
    void unacknowledgedDeliveriesComeAgainAfterTheReceiverRestarts() throws Exception {
        try (Context ctx = new Context()) {
            DurableReceiver r = receiver(ctx, "tcp://127.0.0.1:0");
            String ep = r.endpoint();
            try (DurableSender a = sender(ctx, "a", ep)) {
                for (int i = 0; i < 10; i++) {
                    a.send("a-" + i);
                }
                List<Delivery> first = new ArrayList<>();
                while (first.size() < 10) {
                    Delivery d = r.receive(Duration.ofSeconds(10));
                    assertNotNull(d);
                    first.add(d);
                }
                first.get(3).ack(ByteBuffer.allocate(8).putLong(33).array()); // acknowledges 0..3
                assertTrue(a.awaitAcknowledged(3, Duration.ofSeconds(10)));
                assertEquals(3, a.acknowledged());
                r.close();
                r = receiver(ctx, ep);
                assertEquals(33, ByteBuffer.wrap(r.checkpoint()).getLong(), "the checkpoint stored with the ack");
                List<String> again = take(r, 6);
                assertEquals(List.of("a#4:a-4", "a#5:a-5", "a#6:a-6", "a#7:a-7", "a#8:a-8", "a#9:a-9"), again);
                assertTrue(a.flush(Duration.ofSeconds(10)));
            } finally {
                r.close();
            }
        }
    }

    @Test
    void aFullWindowBlocksLikeSndtimeoWhileTheReceiverIsAway() throws Exception {
        try (Context ctx = new Context();
                DurableSender a = DurableSender.open(ctx, DurableSenderConfig.builder("a", dir.resolve("ja"),
                        "tcp://127.0.0.1:1").journal(GROUP).window(5).sendTimeout(Duration.ofMillis(100)).build())) {
            for (int i = 0; i < 5; i++) {
                a.send("m" + i);
            }
            ZmqException e = assertThrows(ZmqException.class, () -> a.send("m5"));
            assertEquals(ZmqException.Errno.EAGAIN, e.errno());
            assertEquals(5, a.unacknowledged());
        }
    }

    @Test
    void garbageFromAnyPeerIsDroppedAndOthersAreServed() throws Exception {
        try (Context ctx = new Context();
                DurableReceiver r = DurableReceiver.open(ctx, DurableReceiverConfig.builder("tcp://127.0.0.1:0",
                        dir.resolve("state")).journal(GROUP).maxMessageBytes(1000).build());
                Socket evil = ctx.socket(SocketType.DEALER);
                Socket huge = ctx.socket(SocketType.DEALER)) {
            huge.setOption(Option.LINGER, 0);
            huge.connect(r.endpoint());
            huge.send(new byte[] {Ddp.DATA, 0, 0, 0, 0, 0, 0, 0, 0}, Socket.SNDMORE);
            huge.send(new byte[100_000]); // above maxMessageBytes: that connection is dropped (MAXMSGSIZE)
            evil.setOption(Option.LINGER, 0);
            evil.connect(r.endpoint());
            evil.send(new byte[] {Ddp.HELLO, 9, 9});
            evil.send(new byte[0]);
            evil.send(new byte[] {Ddp.DATA, 0, 0, 0, 0, 0, 0, 0, 0}, Socket.SNDMORE);
            evil.send(new byte[] {1}, Socket.SNDMORE);
            evil.send(new byte[] {2});
            evil.send(new byte[] {Ddp.DATA, 0, 0, 0, 0, 0, 0, 0, 0}, Socket.SNDMORE);
            evil.send(new byte[] {1});
            evil.setOption(Option.RCVTIMEO, 5000);
            assertEquals(Ddp.WHO, evil.recv()[0], "DATA without HELLO gets WHO");
            try (DurableSender a = sender(ctx, "a", r.endpoint())) {
                a.send("fine");
                assertEquals(List.of("a#0:fine"), take(r, 1));
            }
        }
    }
}
