package org.zmq4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.zmq4j.Context;
import org.zmq4j.durable.delivery.Delivery;
import org.zmq4j.durable.delivery.DurableReceiver;
import org.zmq4j.durable.delivery.DurableReceiverConfig;
import org.zmq4j.durable.delivery.DurableSender;
import org.zmq4j.durable.delivery.DurableSenderConfig;

/**
 * Durable delivery (module {@code zmq4j-durable}): a sender journals each message before it leaves and
 * keeps it until the receiving application acknowledged it; both sides restart here (closing, as a
 * crash would stop them) and nothing is lost or delivered twice. The journals live in a temporary
 * directory; a real application keeps them somewhere that survives.
 */
public final class DurableDelivery {
    private DurableDelivery() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("zmq4j-durable-example");
        try (Context ctx = new Context()) {
            DurableReceiver receiver = DurableReceiver.open(ctx,
                    DurableReceiverConfig.builder("tcp://127.0.0.1:*", dir.resolve("receiver-state")).build());
            String endpoint = receiver.endpoint();
            DurableSenderConfig config = DurableSenderConfig.builder("orders", dir.resolve("orders-journal"), endpoint).build();

            DurableSender sender = DurableSender.open(ctx, config);
            for (int i = 0; i < 5; i++) {
                sender.send("order-" + i);                        // journaled (fdatasync) when this returns
            }
            for (int i = 0; i < 3; i++) {                         // the application takes three of them
                Delivery d = receiver.receive();
                System.out.println("received " + d.payloadString() + " from " + d.senderId() + " #" + d.sequence());
                d.ack();                                          // stored, then acknowledged to the sender
            }
            sender.awaitAcknowledged(2, Duration.ofSeconds(10));
            System.out.println("sender: acknowledged up to #" + sender.acknowledged());

            // both sides go away: two messages delivered but never acknowledged, nothing lost
            receiver.close();
            sender.close();
            receiver = DurableReceiver.open(ctx, DurableReceiverConfig.builder(endpoint, dir.resolve("receiver-state")).build());
            sender = DurableSender.open(ctx, config);
            System.out.println("after the restarts the journal continues at #" + sender.nextSequence());
            sender.send("order-5");
            for (int i = 0; i < 3; i++) {
                Delivery d = receiver.receive();
                System.out.println("received " + d.payloadString() + " from " + d.senderId() + " #" + d.sequence());
                d.ack();
            }
            System.out.println("all acknowledged: " + sender.flush(Duration.ofSeconds(10)));
            sender.close();
            receiver.close();
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
