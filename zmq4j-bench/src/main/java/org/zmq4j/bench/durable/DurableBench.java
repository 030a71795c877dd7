package org.zmq4j.bench.durable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.zmq4j.durable.journal.FsyncPolicy;

import io.nats.client.api.RetentionPolicy;

/**
 * The durability benchmark (issue 16), side by side in one run, printed as markdown tables: zmq4j's
 * durable delivery ({@link DurableLoad}) under each fsync policy, the disk's own limit
 * ({@link DiskSyncLimit}: write + fdatasync loops per batch size) and NATS JetStream doing the same
 * durable-delivery work with its own client ({@link JetStreamLoad}), at 64 B and 1 KiB, medians over
 * repetitions, all in one directory (the filesystem under test), then the ratios the issue asks for.
 * <pre>
 *   zmq4j-bench/run.sh durable [--dir DIR] [--reps N] [--time MS] [--sizes 64,1024] [--batches 1,16,64,256,1024]
 *       [--header BYTES] [--files appended,preallocated] [--messages N] [--always-messages N] [--window N]
 *       [--policies always,group,os] [--retention workqueue,limits] [--nats-server PATH] [--no-disk] [--no-jetstream] [--no-zmq4j]
 * </pre>
 * Tables on stdout, progress on stderr. A main program; not thread-safe.
 */
public final class DurableBench {
    /** Settings, with their defaults. */
    static final class Options {
        Path dir = Paths.get(System.getProperty("java.io.tmpdir"));
        int reps = 3;
        Duration time = Duration.ofSeconds(2);
        List<Integer> sizes = List.of(64, 1024);
        List<Integer> batches = List.of(1, 16, 64, 256, 1024);
        int header = DiskSyncLimit.DEFAULT_HEADER;
        List<DiskSyncLimit.Mode> modes = List.of(DiskSyncLimit.Mode.APPEND, DiskSyncLimit.Mode.OVERWRITE);
        int messages = 200_000;
        int window = 1000;
        List<RetentionPolicy> retentions = List.of(RetentionPolicy.WorkQueue, RetentionPolicy.Limits);
        String natsServer = "nats-server";
        boolean disk = true;
        boolean jetstream = true;
        boolean zmq4j = true;
        int alwaysMessages = 20_000;
        List<FsyncPolicy> policies = List.of(FsyncPolicy.always(), FsyncPolicy.group(Duration.ZERO), FsyncPolicy.os());
    }

    /** Medians kept for the summary. */
    private static final Map<String, Double> MEDIANS = new LinkedHashMap<>();

    private DurableBench() {
    }

    public static void main(String[] args) throws IOException {
        Options o;
        try {
            o = parse(args);
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        Files.createDirectories(o.dir);
        System.out.println("Directory under test: `" + o.dir.toAbsolutePath() + "` (" + fileStore(o.dir) + "); " + o.reps
                + " repetitions, medians.");
        System.out.println();
        if (o.zmq4j) {
            printZmq4j(o);
        }
        if (o.disk) {
            printDisk(o);
        }
        if (o.jetstream) {
            printJetStream(o);
        }
        printSummary(o);
    }

    private static void printZmq4j(Options o) throws IOException {
        record Cell(FsyncPolicy policy, int size) {
        }
        Map<Cell, List<DurableLoad.Result>> results = new LinkedHashMap<>();
        // a warm-up round first (JIT), then the repetitions, interleaved over the cells
        for (int r = -1; r < o.reps; r++) {
            for (FsyncPolicy p : o.policies) {
                for (int size : o.sizes) {
                    int n = p.kind() == FsyncPolicy.Kind.ALWAYS ? o.alwaysMessages : o.messages;
                    DurableLoad.Result one;
                    try {
                        one = DurableLoad.measure(o.dir, p, size, r < 0 ? Math.min(n, 50_000) : n, o.window);
                    } catch (Exception e) {
                        throw new IOException("zmq4j durable load " + p + " " + size + " B failed", e);
                    }
                    System.err.printf(Locale.ROOT, "durable: zmq4j %s %d B rep %d: %,.0f msg/s%n", p, size, r + 1, one.perSecond());
                    if (r >= 0) {
                        results.computeIfAbsent(new Cell(p, size), k -> new ArrayList<>()).add(one);
                    }
                }
            }
        }
        // the journal alone, fsync per message, beside the disk loop's batch of one
        Map<Integer, List<Double>> journal = new LinkedHashMap<>();
        for (int r = 0; r < o.reps; r++) {
            for (int size : o.sizes) {
                double v = JournalLoad.appendsPerSecond(o.dir, size, o.time);
                System.err.printf(Locale.ROOT, "durable: journal alone, always, %d B rep %d: %,.0f appends/s%n", size, r + 1, v);
                journal.computeIfAbsent(size, k -> new ArrayList<>()).add(v);
            }
        }
        System.out.println("### zmq4j's journal alone: FileJournal.append with fsync policy always, one thread, " + o.time.toMillis()
                + " ms per run");
        System.out.println();
        System.out.println("| record | appends/s, each fdatasynced (median) | min – max |");
        System.out.println("|---|---|---|");
        for (Map.Entry<Integer, List<Double>> e : journal.entrySet()) {
            List<Double> v = e.getValue().stream().sorted().toList();
            MEDIANS.put("journal ALWAYS " + e.getKey(), v.get(v.size() / 2));
            System.out.printf(Locale.ROOT, "| %s | %s | %s – %s |%n", sizeLabel(e.getKey()), count(v.get(v.size() / 2)), count(v.get(0)),
                    count(v.get(v.size() - 1)));
        }
        System.out.println();
        System.out.println("### zmq4j durable delivery: DurableSender -> DurableReceiver over tcp loopback, window " + o.window
                + ", the application acknowledging each message");
        System.out.println();
        System.out.println("| fsync policy | message | messages per run | messages/s acked end to end (median) | min – max |");
        System.out.println("|---|---|---|---|---|");
        for (Map.Entry<Cell, List<DurableLoad.Result>> e : results.entrySet()) {
            List<Double> v = e.getValue().stream().map(DurableLoad.Result::perSecond).sorted().toList();
            double median = v.get(v.size() / 2);
            MEDIANS.put("zmq4j " + e.getKey().policy().kind() + " " + e.getKey().size(), median);
            System.out.printf(Locale.ROOT, "| %s | %s | %,d | %s | %s – %s |%n", e.getKey().policy(), sizeLabel(e.getKey().size()),
                    e.getValue().get(0).messages(), count(median), count(v.get(0)), count(v.get(v.size() - 1)));
        }
        System.out.println();
        System.out.println("Both sides journal in the directory under test under the same policy: the sender before it transmits"
                + " (always: fdatasync per message; group: one fdatasync for everything appended meanwhile; os: none), the"
                + " receiver its acknowledgements before it sends them.");
        System.out.println();
    }

    private static void printSummary(Options o) {
        System.out.println("### Against the goals");
        System.out.println();
        System.out.println("| goal | measured | ratio |");
        System.out.println("|---|---|---|");
        for (int size : o.sizes) {
            Double group = MEDIANS.get("zmq4j GROUP " + size);
            Double js = MEDIANS.entrySet().stream().filter(e -> e.getKey().startsWith("jetstream ") && e.getKey().endsWith(" " + size))
                    .map(Map.Entry::getValue).max(Double::compare).orElse(null);
            if (group != null && js != null) {
                System.out.printf(Locale.ROOT, "| group commit ahead of JetStream (its best stream), %s | %s vs %s | %.2fx |%n",
                        sizeLabel(size), count(group), count(js), group / js);
            }
            if (group != null && size == 1024) {
                System.out.printf(Locale.ROOT, "| group commit >= 100k acked 1 KiB messages/s | %s | %.2fx |%n", count(group), group / 100_000);
            }
            Double disk = MEDIANS.get("disk 1 preallocated " + size);
            Double journal = MEDIANS.get("journal ALWAYS " + size);
            if (journal != null && disk != null) {
                System.out.printf(Locale.ROOT, "| fsync per message within 10%% of the disk's fsync limit: the journal alone vs the"
                        + " disk loop (preallocated, batch 1), %s | %s vs %s | %.2fx |%n", sizeLabel(size), count(journal), count(disk),
                        journal / disk);
            }
            Double always = MEDIANS.get("zmq4j ALWAYS " + size);
            if (always != null && disk != null) {
                System.out.printf(Locale.ROOT, "| end to end with fsync per message (sender and receiver journals on this one disk)"
                        + " vs the disk loop, %s | %s vs %s | %.2fx |%n", sizeLabel(size), count(always), count(disk), always / disk);
            }
        }
        System.out.println();
    }

    private static void printDisk(Options o) {
        record Cell(int size, DiskSyncLimit.Mode mode, int batch) {
        }
        List<Cell> cells = new ArrayList<>();
        for (int size : o.sizes) {
            for (DiskSyncLimit.Mode mode : o.modes) {
                for (int batch : o.batches) {
                    cells.add(new Cell(size, mode, batch));
                }
            }
        }
        // Interleaved: each repetition visits every cell, so that a slow spell of the disk (it is shared) spreads over the cells.
        Map<Cell, List<DiskSyncLimit.Result>> results = new LinkedHashMap<>();
        for (int r = 0; r < o.reps; r++) {
            for (Cell c : cells) {
                DiskSyncLimit.Result one = DiskSyncLimit.measure(o.dir, c.size, o.header, c.batch, c.mode, o.time);
                System.err.println("durable: disk rep " + (r + 1) + " " + one);
                results.computeIfAbsent(c, k -> new ArrayList<>()).add(one);
            }
        }
        System.out.println("### The disk's limit: write + fdatasync loop (" + o.header + "-byte header per record, "
                + o.time.toMillis() + " ms per run)");
        System.out.println();
        System.out.println("| record | messages per fdatasync | file | messages/s (median) | min – max | fdatasyncs/s"
                + " | write + fdatasync p50 / p99 (µs) | MB/s |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Map.Entry<Cell, List<DiskSyncLimit.Result>> e : results.entrySet()) {
            Cell c = e.getKey();
            List<DiskSyncLimit.Result> rs = e.getValue();
            DiskSyncLimit.Result m = DiskSyncLimit.medianOf(rs);
            MEDIANS.put("disk " + c.batch + " " + (c.mode == DiskSyncLimit.Mode.APPEND ? "appended" : "preallocated") + " " + c.size,
                    m.messagesPerSecond());
            double min = rs.stream().mapToDouble(DiskSyncLimit.Result::messagesPerSecond).min().orElse(Double.NaN);
            double max = rs.stream().mapToDouble(DiskSyncLimit.Result::messagesPerSecond).max().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s – %s | %s | %.0f / %.0f | %.1f |%n", sizeLabel(c.size), c.batch,
                    c.mode == DiskSyncLimit.Mode.APPEND ? "appended" : "preallocated", count(m.messagesPerSecond()), count(min), count(max),
                    count(m.syncsPerSecond()), m.p50Nanos() / 1e3, m.p99Nanos() / 1e3, m.megabytesPerSecond());
        }
        System.out.println();
    }

    private static void printJetStream(Options o) {
        System.out.println("### NATS JetStream with jnats: publish with publish acks (window " + o.window
                + "), a pull consumer acking each message, " + o.messages + " messages per run");
        System.out.println();
        Optional<String> why = JetStreamLoad.unavailable(o.natsServer);
        if (why.isPresent()) {
            System.out.println("JetStream skipped: " + why.get());
            System.out.println();
            return;
        }
        List<String> rows = new ArrayList<>();
        String version = "nats-server";
        for (RetentionPolicy retention : o.retentions) {
            JetStreamLoad.Config config = JetStreamLoad.Config.defaults(o.dir).withServer(o.natsServer).withWindow(o.window)
                    .withRetention(retention);
            try (JetStreamLoad js = JetStreamLoad.start(config)) {
                version = js.serverVersion().replace("nats-server: ", "nats-server ");
                for (int size : o.sizes) {
                    List<JetStreamLoad.Run> rs = js.runs(size, o.messages, o.reps);
                    rs.forEach(r -> System.err.println("durable: jetstream " + retention + " " + r));
                    JetStreamLoad.Run m = JetStreamLoad.medianOf(rs);
                    MEDIANS.put("jetstream " + retention + " " + size, m.messagesPerSecond());
                    double min = rs.stream().mapToDouble(JetStreamLoad.Run::messagesPerSecond).min().orElse(Double.NaN);
                    double max = rs.stream().mapToDouble(JetStreamLoad.Run::messagesPerSecond).max().orElse(Double.NaN);
                    rows.add(String.format(Locale.ROOT, "| %s, jnats | %s | %s | %s | %s – %s | %s |", version, js.setting(), sizeLabel(size),
                            count(m.messagesPerSecond()), count(min), count(max), count(m.publishedPerSecond())));
                }
            } catch (IOException | RuntimeException e) {
                rows.add("| " + version + ", jnats | " + retention + " | failed: " + e.toString().replace('|', '/') + " | | | |");
            }
        }
        System.out.println("| stack | stream | message | messages/s acked end to end (median) | min – max | publish-acked messages/s |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("Durability of these rows: " + version + " writes each message to its file (write(2)) before the publish ack"
                + " and fsyncs every 2 minutes, fixed for every stream; 2.9 has no setting for it (`sync_interval` is a 2.10"
                + " option, rejected by 2.9.10), so an ack survives the server process dying, not a power loss: compare with a"
                + " policy that does not fsync.");
        System.out.println();
    }

    static String sizeLabel(int size) {
        return size >= 1024 && size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
    }

    static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String fileStore(Path dir) {
        try {
            var fs = Files.getFileStore(dir);
            return fs.type() + " on " + fs.name();
        } catch (IOException e) {
            return "file store unknown";
        }
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--dir" -> o.dir = Paths.get(value(args, ++i, a));
                case "--reps" -> o.reps = positive(value(args, ++i, a), a);
                case "--time" -> o.time = Duration.ofMillis(positive(value(args, ++i, a), a));
                case "--sizes" -> o.sizes = ints(value(args, ++i, a), a);
                case "--batches" -> o.batches = ints(value(args, ++i, a), a);
                case "--header" -> o.header = Integer.parseInt(value(args, ++i, a));
                case "--files" -> o.modes = modes(value(args, ++i, a));
                case "--messages" -> o.messages = positive(value(args, ++i, a), a);
                case "--window" -> o.window = positive(value(args, ++i, a), a);
                case "--retention" -> o.retentions = retentions(value(args, ++i, a));
                case "--nats-server" -> o.natsServer = value(args, ++i, a);
                case "--no-disk" -> o.disk = false;
                case "--no-jetstream" -> o.jetstream = false;
                case "--no-zmq4j" -> o.zmq4j = false;
                case "--always-messages" -> o.alwaysMessages = positive(value(args, ++i, a), a);
                case "--policies" -> o.policies = java.util.Arrays.stream(value(args, ++i, a).split(",")).map(FsyncPolicy::parse).toList();
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (o.header < 0) {
            throw new IllegalArgumentException("--header must be 0 or more");
        }
        return o;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String v, String option) {
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }

    private static List<DiskSyncLimit.Mode> modes(String v) {
        List<DiskSyncLimit.Mode> out = new ArrayList<>();
        for (String s : v.split(",")) {
            out.add(switch (s.trim()) {
                case "appended" -> DiskSyncLimit.Mode.APPEND;
                case "preallocated" -> DiskSyncLimit.Mode.OVERWRITE;
                default -> throw new IllegalArgumentException("--files: appended, preallocated or both");
            });
        }
        return List.copyOf(out);
    }

    private static List<RetentionPolicy> retentions(String v) {
        List<RetentionPolicy> out = new ArrayList<>();
        for (String s : v.split(",")) {
            out.add(switch (s.trim()) {
                case "workqueue" -> RetentionPolicy.WorkQueue;
                case "limits" -> RetentionPolicy.Limits;
                default -> throw new IllegalArgumentException("--retention: workqueue, limits or both");
            });
        }
        return List.copyOf(out);
    }

    private static List<Integer> ints(String v, String option) {
        List<Integer> out = new ArrayList<>();
        for (String s : v.split(",")) {
            out.add(positive(s.trim(), option));
        }
        return List.copyOf(out);
    }

    static String usage() {
        return "usage: DurableBench [--dir DIR] [--reps N] [--time MS] [--sizes 64,1024] [--batches 1,16,64,256,1024] [--header BYTES]\n"
                + "                    [--files appended,preallocated] [--messages N] [--always-messages N] [--window N] [--policies always,group,os]\n"
                + "                    [--retention workqueue,limits] [--nats-server PATH] [--no-disk] [--no-jetstream] [--no-zmq4j]";
    }
}
