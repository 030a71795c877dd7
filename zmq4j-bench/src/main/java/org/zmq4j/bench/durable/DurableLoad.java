package org.zmq4j.bench.durable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.zmq4j.Context;
import org.zmq4j.durable.delivery.Delivery;
import org.zmq4j.durable.delivery.DurableReceiver;
import org.zmq4j.durable.delivery.DurableReceiverConfig;
import org.zmq4j.durable.delivery.DurableSender;
import org.zmq4j.durable.delivery.DurableSenderConfig;
import org.zmq4j.durable.journal.FsyncPolicy;
import org.zmq4j.durable.journal.JournalConfig;

/**
 * zmq4j's durable delivery doing the benchmark's work: one {@link DurableSender} and one
 * {@link DurableReceiver} in this JVM over TCP loopback, both journaling in {@code dir} under the
 * same fsync policy; the sending thread sends {@code messages} payloads of {@code size} bytes as fast
 * as the window lets it, the receiving application thread takes and acknowledges each one, and the
 * clock runs from the first send until the sender holds the acknowledgement of the last (acknowledged
 * end to end: journaled by the sender, delivered, acknowledged by the application and stored by the
 * receiver). Not thread-safe; one measurement at a time.
 */
public final class DurableLoad {
    /** One measurement. */
    public record Result(FsyncPolicy policy, int size, int messages, double seconds) {
        public double perSecond() {
            return messages / seconds;
        }
    }

    private DurableLoad() {
    }

    /** Measures once in a fresh subdirectory of {@code dir} (deleted afterwards). */
    public static Result measure(Path dir, FsyncPolicy policy, int size, int messages, int window) throws Exception {
        Path run = Files.createTempDirectory(dir, "zmq4j-durable-load-");
        JournalConfig journal = JournalConfig.builder().policy(policy).build();
        byte[] payload = new byte[size];
        try (Context ctx = new Context();
                DurableReceiver receiver = DurableReceiver.open(ctx, DurableReceiverConfig.builder("tcp://127.0.0.1:0",
                        run.resolve("receiver")).journal(journal).build());
                DurableSender sender = DurableSender.open(ctx, DurableSenderConfig.builder("load", run.resolve("sender"),
                        receiver.endpoint()).journal(journal).window(window).build())) {
            AtomicLong taken = new AtomicLong();
            Thread app = new Thread(() -> {
                while (taken.get() < messages) {
                    Delivery d = receiver.receive(Duration.ofSeconds(1));
                    if (d != null) {
                        d.ack();
                        taken.incrementAndGet();
                    }
                }
            }, "durable-load-app");
            app.setDaemon(true);
            long start = System.nanoTime();
            app.start();
            long last = -1;
            for (int i = 0; i < messages; i++) {
                last = sender.send(payload);
            }
            if (!sender.awaitAcknowledged(last, Duration.ofMinutes(5))) {
                throw new IOException("durable load: " + (last - sender.acknowledged()) + " messages unacknowledged after 5 min");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            app.join(10_000);
            return new Result(policy, size, messages, seconds);
        } finally {
            deleteTree(run);
        }
    }

    /** Deletes a directory and what it holds. */
    static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** {@code DurableLoad POLICY SIZE MESSAGES [WINDOW] [DIR]}: one measurement, printed. */
    public static void main(String[] args) throws Exception {
        FsyncPolicy policy = FsyncPolicy.parse(args[0]);
        int size = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        Path dir = Path.of(args.length > 4 ? args[4] : System.getProperty("java.io.tmpdir"));
        for (int rep = 0; rep < 3; rep++) {
            Result r = measure(dir, policy, size, messages, window);
            System.out.printf("%s %d B: %,.0f msg/s (%.2f s)%n", policy, size, r.perSecond(), r.seconds());
        }
    }
}
