package org.zmq4j.bench.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.zmq4j.Context;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.monitor.MonitorServer;

/**
 * What reading the metrics costs the traffic: PUSH to PULL throughput (small messages, tcp on
 * 127.0.0.1 and inproc) with nobody reading the metrics, with a thread taking
 * {@code Context.metrics()} snapshots, and with a {@link MonitorServer} scraped on {@code /metrics}
 * and streaming {@code /api/stream} to a client, all in one run, repetitions alternating, medians.
 * The counters themselves are always on: their cost is measured against the build before them
 * (docs/performance.md). Prints a Markdown report.
 * <pre>
 * java -cp zmq4j-bench.jar org.zmq4j.bench.metrics.MetricsBench [--reps 5] [--count 1000000] [--read-ms 100]
 * </pre>
 */
public final class MetricsBench {
    enum Mode {
        OFF("nobody reads"), SNAPSHOTS("Context.metrics() every period"), SCRAPED("/metrics scraped and /api/stream every period");

        final String what;

        Mode(String what) {
            this.what = what;
        }
    }

    private MetricsBench() {
    }

    public static void main(String[] args) throws Exception {
        int reps = 5;
        int count = 1_000_000;
        int readMillis = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--read-ms" -> readMillis = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--reps N, --count N, --read-ms N)");
            }
        }
        System.out.println("PUSH to PULL throughput, messages/s (median of " + reps + ", " + count + " messages per run,"
                + " repetitions alternating); the metrics read every " + readMillis + " ms:");
        System.out.println();
        System.out.println("| Transport | Size | nobody reads | snapshots | ratio | scraped + stream | ratio | runs (off / snapshots / scraped) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String transport : new String[] {"tcp", "inproc"}) {
            for (int size : new int[] {1, 64}) {
                double[][] runs = new double[Mode.values().length][reps];
                for (Mode m : Mode.values()) {
                    run(transport, size, Math.min(count, 200_000), m, readMillis); // warm-up
                }
                for (int r = 0; r < reps; r++) {
                    for (Mode m : Mode.values()) {
                        runs[m.ordinal()][r] = run(transport, size, count, m, readMillis);
                    }
                }
                double off = median(runs[0]);
                double snap = median(runs[1]);
                double scraped = median(runs[2]);
                System.out.printf(Locale.ROOT, "| %s | %d B | %,.0f | %,.0f | %.3fx | %,.0f | %.3fx | %s / %s / %s |%n", transport, size,
                        off, snap, snap / off, scraped, scraped / off, list(runs[0]), list(runs[1]), list(runs[2]));
            }
        }
        System.out.println();
        for (Mode m : Mode.values()) {
            System.out.println("- " + m.name().toLowerCase(Locale.ROOT) + ": " + m.what);
        }
    }

    /** One run: messages per second the receiver saw. */
    static double run(String transport, int size, int count, Mode mode, int readMillis) throws Exception {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL)) {
            String ep = transport.equals("tcp") ? "tcp://127.0.0.1:*" : "inproc://metrics-bench-" + System.nanoTime();
            pull.bind(ep);
            String address = pull.lastEndpoint();
            AtomicBoolean done = new AtomicBoolean();
            List<AutoCloseable> readers = new ArrayList<>();
            AtomicLong reads = new AtomicLong();
            if (mode == Mode.SNAPSHOTS) {
                readers.add(reader("snapshots", done, readMillis, () -> reads.addAndGet(ctx.metrics().sockets().size())));
            } else if (mode == Mode.SCRAPED) {
                MonitorServer server = MonitorServer.builder(ctx).interval(Duration.ofMillis(readMillis)).start();
                readers.add(server);
                HttpClient http = HttpClient.newHttpClient();
                URI metrics = URI.create(server.baseUrl() + "metrics");
                HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/stream"))
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                Thread drain = new Thread(() -> {
                    byte[] buf = new byte[8192];
                    try (java.io.InputStream in = stream.body()) {
                        while (!done.get() && in.read(buf) >= 0) {
                            reads.incrementAndGet();
                        }
                    } catch (java.io.IOException ended) {
                        // the server closed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                readers.add(reader("scraper", done, readMillis, () -> {
                    try {
                        reads.addAndGet(http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                                .body().length());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            Thread sender = new Thread(() -> {
                try (Socket push = ctx.socket(SocketType.PUSH)) {
                    push.connect(address);
                    byte[] body = new byte[size];
                    for (int i = 0; i < count; i++) {
                        push.send(body);
                    }
                }
            });
            sender.start();
            pull.recv(); // the first one starts the clock
            long start = System.nanoTime();
            for (int i = 1; i < count; i++) {
                pull.recv();
            }
            long nanos = System.nanoTime() - start;
            done.set(true);
            sender.join();
            for (AutoCloseable r : readers) {
                r.close();
            }
            return (count - 1) * 1e9 / nanos;
        }
    }

    /** A thread doing {@code read} every {@code millis} until {@code done}; closing it joins it. */
    private static AutoCloseable reader(String name, AtomicBoolean done, int millis, Runnable read) {
        Thread t = new Thread(() -> {
            while (!done.get()) {
                read.run();
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return () -> t.join(10_000);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static String list(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2fM", x / 1e6));
        }
        return b.toString();
    }
}
