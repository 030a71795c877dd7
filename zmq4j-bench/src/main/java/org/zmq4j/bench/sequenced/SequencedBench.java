package org.zmq4j.bench.sequenced;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.patterns.sequenced.MemoryRetention;
import org.zmq4j.patterns.sequenced.SequencedEvent;
import org.zmq4j.patterns.sequenced.SequencedPublisher;
import org.zmq4j.patterns.sequenced.SequencedSubscriber;
import org.zmq4j.patterns.sequenced.StartAt;

/**
 * The cost of sequencing: plain zmq4j PUB/SUB against {@link SequencedPublisher} →
 * {@link SequencedSubscriber} over tcp on 127.0.0.1, the same messages (one topic frame, one payload
 * frame of 64 B or 1 KiB), HWMs unbounded so that neither drops, alternating repetitions, medians;
 * and the replay speed: a subscriber that starts from sequence 1 of a publisher that retained N
 * messages, catching up by replay alone. Prints a Markdown report.
 * <pre>
 * java -cp zmq4j-bench.jar org.zmq4j.bench.sequenced.SequencedBench [--reps 5] [--count 500000] [--retain 100000]
 *         [--plain-frames 2]
 * </pre>
 * {@code --plain-frames 3} adds a 40-byte middle frame to the plain cell: what a header frame of
 * its own would cost (the reason the header shares the first payload frame).
 */
public final class SequencedBench {
    private SequencedBench() {
    }

    public static void main(String[] args) throws Exception {
        int reps = 5;
        int count = 500_000;
        int retain = 100_000;
        int plainFrames = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--retain" -> retain = Integer.parseInt(args[++i]);
                case "--plain-frames" -> plainFrames = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--reps N, --count N, --retain N)");
            }
        }
        System.out.println("Throughput, messages/s (median of " + reps + "; one publisher, one subscriber, tcp 127.0.0.1, "
                + count + " messages per run; the sequenced publisher retains the last " + retain + "):");
        System.out.println();
        System.out.println("| Payload | plain PUB/SUB | sequenced | sequenced / plain | cost | runs plain | runs sequenced |");
        System.out.println("|---|---|---|---|---|---|---|");
        try (Context ctx = new Context()) {
            for (int size : new int[] {64, 1024}) {
                plain(ctx, size, count, plainFrames); // warm-up, full size
                sequenced(ctx, size, count, retain);
                sequenced(ctx, size, Math.min(count, 20_000), retain);
                double[] p = new double[reps];
                double[] s = new double[reps];
                for (int r = 0; r < reps; r++) {
                    p[r] = plain(ctx, size, count, plainFrames);
                    s[r] = sequenced(ctx, size, count, retain);
                }
                double mp = median(p);
                double ms = median(s);
                System.out.printf(Locale.ROOT, "| %d B | %,.0f | %,.0f | %.2fx | %.1f%% | %s | %s |%n", size, mp, ms, ms / mp,
                        100 * (1 - ms / mp), list(p), list(s));
            }
            System.out.println();
            System.out.println("Replay speed, messages/s (median of " + reps + "): a subscriber starting from sequence 1 of "
                    + count + " retained messages, by replay alone (1000 messages per answer):");
            System.out.println();
            System.out.println("| Payload | catch-up rate | runs |");
            System.out.println("|---|---|---|");
            for (int size : new int[] {64, 1024}) {
                replay(ctx, size, Math.min(count, 20_000));
                double[] r = new double[reps];
                for (int i = 0; i < reps; i++) {
                    r[i] = replay(ctx, size, count);
                }
                System.out.printf(Locale.ROOT, "| %d B | %,.0f | %s |%n", size, median(r), list(r));
            }
        }
    }

    private static double plain(Context ctx, int size, int n, int frames) throws Exception {
        byte[] middle = frames > 2 ? new byte[40] : null;
        byte[] topic = "t".getBytes();
        byte[] payload = new byte[size];
        try (Socket pub = ctx.socket(SocketType.PUB); Socket sub = ctx.socket(SocketType.SUB)) {
            pub.setOption(Option.SNDHWM, 0);
            sub.setOption(Option.RCVHWM, 0);
            pub.bind("tcp://127.0.0.1:*");
            sub.setOption(Option.SUBSCRIBE, topic);
            sub.connect(pub.lastEndpoint());
            sub.setOption(Option.RCVTIMEO, 10);
            while (true) { // until the subscription is in place
                pub.send(topic, Socket.SNDMORE);
                pub.send(new byte[0]);
                if (sub.recv() != null) {
                    sub.recv();
                    break;
                }
            }
            while (sub.recv(Socket.DONTWAIT) != null) {
                // drain the probes
            }
            sub.setOption(Option.RCVTIMEO, 30_000);
            AtomicLong end = new AtomicLong();
            CountDownLatch done = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                int got = 0;
                while (got < n) {
                    byte[] t = sub.recv();
                    if (t == null) {
                        break;
                    }
                    byte[] p = sub.recv();
                    if (middle != null) {
                        p = sub.recv();
                    }
                    if (p.length == size) {
                        got++;
                    }
                }
                end.set(System.nanoTime());
                done.countDown();
            });
            reader.start();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pub.send(topic, Socket.SNDMORE);
                if (middle != null) {
                    pub.send(middle, Socket.SNDMORE);
                }
                pub.send(payload);
            }
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("plain PUB/SUB did not finish");
            }
            reader.join();
            return n / ((end.get() - start) / 1e9);
        }
    }

    private static double sequenced(Context ctx, int size, int n, int retain) throws Exception {
        byte[] payload = new byte[size];
        try (SequencedPublisher pub = SequencedPublisher.builder("bench").sndhwm(0)
                .retention(new MemoryRetention(retain, (long) retain * (size + 128)))
                .bind(ctx, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
                SequencedSubscriber sub = SequencedSubscriber.builder().subscribe("t").rcvhwm(0)
                        .connect(ctx, pub.dataEndpoint(), pub.replayEndpoint())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pub.subscribers() < 1) { // greeted: its stream starts now
                if (sub.receive(Duration.ofMillis(10)) != null || System.nanoTime() > deadline) {
                    throw new IllegalStateException("no greeting");
                }
            }
            AtomicLong end = new AtomicLong();
            AtomicLong wrong = new AtomicLong();
            CountDownLatch done = new CountDownLatch(1);
            long first = pub.sequence() + 1; // nothing published yet
            Thread reader = new Thread(() -> {
                int got = 0;
                long expect = first;
                while (got < n) {
                    SequencedEvent e = sub.receive(Duration.ofSeconds(30));
                    if (e == null) {
                        break;
                    }
                    if (e instanceof SequencedEvent.Message m && m.sequence() == expect++) {
                        got++;
                    } else {
                        wrong.incrementAndGet();
                    }
                }
                end.set(System.nanoTime());
                done.countDown();
            });
            reader.start();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pub.publish("t", payload);
            }
            if (!done.await(120, TimeUnit.SECONDS) || wrong.get() != 0) {
                throw new IllegalStateException("sequenced did not finish in order: " + wrong.get() + " out of order");
            }
            reader.join();
            return n / ((end.get() - start) / 1e9);
        }
    }

    private static double replay(Context ctx, int size, int n) throws Exception {
        byte[] payload = new byte[size];
        try (SequencedPublisher pub = SequencedPublisher.builder("bench")
                .retention(new MemoryRetention(n, (long) n * (size + 128)))
                .bind(ctx, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*")) {
            for (int i = 0; i < n; i++) {
                pub.publish("t", payload); // nobody listens yet: retained only
            }
            long start = System.nanoTime();
            try (SequencedSubscriber sub = SequencedSubscriber.builder().subscribe("t", StartAt.from(1))
                    .connect(ctx, pub.dataEndpoint(), pub.replayEndpoint())) {
                long expect = 1;
                while (expect <= n) {
                    SequencedEvent e = sub.receive(Duration.ofSeconds(30));
                    if (!(e instanceof SequencedEvent.Message m) || m.sequence() != expect) {
                        throw new IllegalStateException("replay: expected " + expect + ", got " + e);
                    }
                    expect++;
                }
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String list(double[] v) {
        List<String> out = new ArrayList<>();
        for (double d : v) {
            out.add(String.format(Locale.ROOT, "%.0fk", d / 1000));
        }
        return String.join(" ", out);
    }
}
