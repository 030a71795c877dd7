package org.zmq4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Majordomo benchmark of issue 15: requests per second through a Majordomo broker, with 1 and
 * 10 synchronous clients and 1 and 10 echo workers, for several stacks side by side in one run,
 * interleaved (each repetition visits every cell and, within it, every stack in an order rotated
 * per repetition), medians of the repetitions:
 * <ul>
 * <li>{@code zmq4j}: zmq4j's {@code MajordomoBroker}, {@code MajordomoClient}s and {@code MajordomoWorker}s;</li>
 * <li>{@code direct}: no broker, zmq4j DEALERs straight to echoing ROUTERs (one per worker): the
 *     anchor of "the broker's overhead under 2x";</li>
 * <li>{@code zguide}: the zguide's C {@code mdbroker} with its {@code mdcliapi}/{@code mdwrkapi}, compiled
 *     from a zguide checkout with Debian's libczmq (czmq 4) and {@code zguide_czmq3_compat.h};</li>
 * <li>{@code direct-libzmq}: the same no-broker anchor in C on libzmq;</li>
 * <li>{@code majortomo}: majortomo's Python broker, clients and workers, from a checkout;</li>
 * <li>{@code zmq4j-cpeers}: zmq4j's broker with the zguide's C clients and workers.</li>
 * </ul>
 * Every broker, the workers and the clients run in processes of their own over loopback tcp (the
 * Java and C programs run their workers or clients as threads of one process; majortomo, one per
 * process). Stacks whose checkout, compiler or library is missing are skipped with the reason in
 * the report, never faked. Every process started is killed at the end of its cell, and when the
 * runner exits.
 * <p>
 * {@code java -cp zmq4j-bench.jar org.zmq4j.bench.MajordomoBench --zguide DIR --majortomo DIR [options]}
 * (see {@link #usage()}); {@code zmq4j-bench/run.sh majordomo ...} builds first.
 */
public final class MajordomoBench {
    /** The stacks, in table order. */
    static final List<String> ALL_STACKS = List.of("zmq4j", "direct", "zguide", "direct-libzmq", "majortomo", "zmq4j-cpeers");
    static final String SERVICE = "echo";
    private static final List<String> C_FILES = List.of("md_load_common.h", "md_zguide_load.c", "zguide_czmq3_compat.h", "zmq_md_direct.c");
    /** Every process still running, killed by the shutdown hook if the runner is stopped. */
    private static final Set<Child> LIVE = new LinkedHashSet<>();

    /** One cell of the table. */
    record Cell(int clients, int workers, int size) {
        String key() {
            return clients + "x" + workers + "x" + size;
        }

        String label() {
            return clients + (clients == 1 ? " client, " : " clients, ") + workers + (workers == 1 ? " worker" : " workers")
                    + ", " + Compare.sizeLabel(size);
        }
    }

    /**
     * One measured run: replies in the window, errors (timeouts, over the whole run), and the CPU
     * seconds of each role's processes over {@code cpuMs} (the window less its last 200 ms at most),
     * and of that, the seconds the JVMs' JIT compiler threads used in the broker and in the peers
     * (0 for C and Python).
     */
    record Run(long replies, long errors, long windowMs, long cpuMs, double brokerCpu, double workersCpu, double clientsCpu, double brokerJit,
            double peersJit) {
        double rate() {
            return replies * 1000.0 / windowMs;
        }

        /** CPU cores a role used, on average. */
        double cores(double cpuSeconds) {
            return cpuSeconds * 1000.0 / cpuMs;
        }

        /** CPU microseconds a role spent per request (at the window's rate). */
        double perRequest(double cpuSeconds) {
            return replies == 0 ? Double.NaN : cores(cpuSeconds) * 1e6 / rate();
        }
    }

    /** Settings. */
    static final class Options {
        int reps = 3;
        long warmupMs = 8000;
        long durationMs = 3000;
        List<Cell> cells = new ArrayList<>();
        Set<String> stacks = new LinkedHashSet<>(ALL_STACKS);
        Path zguide;
        Path majortomo;
        String majortomoPath = "";
        String python = Files.isExecutable(Paths.get("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Path out = Paths.get("docs");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvmArgs = new ArrayList<>(List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC"));
        String command = "java -cp zmq4j-bench/target/zmq4j-bench.jar org.zmq4j.bench.MajordomoBench";
    }

    private final Options o;
    private final Path work;
    private final String classpath = System.getProperty("java.class.path");
    final Map<String, String> unavailable = new LinkedHashMap<>();
    final Map<String, String> versions = new LinkedHashMap<>();
    final Map<String, Map<String, List<Run>>> results = new LinkedHashMap<>();
    final List<String> failures = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    private final List<String> stacks = new ArrayList<>();
    private Path cbin;
    private Path mtLoad;
    private int seq;
    private int started;

    MajordomoBench(Options o, Path work) {
        this.o = o;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(MajordomoBench::killLive, "md-bench-cleanup"));
        Path work = Files.createTempDirectory("zmq4j-md-bench-");
        try {
            new MajordomoBench(o, work).run();
        } finally {
            killLive();
            deleteRecursively(work);
        }
    }

    static String usage() {
        return String.join("\n",
                "usage: java -cp zmq4j-bench.jar org.zmq4j.bench.MajordomoBench [options]   (or: zmq4j-bench/run.sh majordomo [options])",
                "  --zguide DIR            a zguide checkout (github.com/booksbyus/zguide); without it the zguide and zmq4j-cpeers columns are skipped",
                "  --majortomo DIR         a majortomo checkout (github.com/shoppimon/majortomo); without it the majortomo column is skipped",
                "  --majortomo-pythonpath P  more PYTHONPATH entries for majortomo (e.g. where its dependency figcan lives)",
                "  --python EXE            the Python with pyzmq (default /usr/bin/python3)",
                "  --quick                 1 repetition, 1 s warm-up, 2 s window",
                "  --reps N                repetitions, medians reported (default 3)",
                "  --warmup-ms MS          discarded after every client has had its first reply (default 8000: the JVMs' JIT",
                "                          compilers are still busy 3-6 s in on 2 cores)",
                "  --duration-ms MS        the measuring window (default 3000)",
                "  --cells LIST            CxW or CxWxSIZE, comma-separated (default 1x1,10x1,1x10,10x10)",
                "  --size N                request body size of cells without one (default 64)",
                "  --stacks LIST           of " + String.join(",", ALL_STACKS) + " (default all)",
                "  --out DIR               where majordomo-bench-results.md and .csv go (default docs)",
                "  --jvm-args \"ARGS\"       options of every Java process (default \"-Xms512m -Xmx512m -XX:+UseG1GC\")",
                "  --command \"TEXT\"        how this run was started, quoted in the report");
    }

    static Options parse(String[] args) {
        Options o = new Options();
        boolean quick = false;
        boolean repsSet = false;
        boolean warmupSet = false;
        boolean durationSet = false;
        String cells = "1x1,10x1,1x10,10x10";
        int size = 64;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--zguide": o.zguide = Paths.get(Compare.value(args, ++i, a)); break;
                case "--majortomo": o.majortomo = Paths.get(Compare.value(args, ++i, a)); break;
                case "--majortomo-pythonpath": o.majortomoPath = Compare.value(args, ++i, a); break;
                case "--python": o.python = Compare.value(args, ++i, a); break;
                case "--quick": quick = true; break;
                case "--reps": o.reps = Integer.parseInt(Compare.value(args, ++i, a)); repsSet = true; break;
                case "--warmup-ms": o.warmupMs = Long.parseLong(Compare.value(args, ++i, a)); warmupSet = true; break;
                case "--duration-ms": o.durationMs = Long.parseLong(Compare.value(args, ++i, a)); durationSet = true; break;
                case "--cells": cells = Compare.value(args, ++i, a); break;
                case "--size": size = Integer.parseInt(Compare.value(args, ++i, a)); break;
                case "--stacks": o.stacks = Compare.names(Compare.value(args, ++i, a), ALL_STACKS); break;
                case "--out": o.out = Paths.get(Compare.value(args, ++i, a)); break;
                case "--java": o.java = Compare.value(args, ++i, a); break;
                case "--jvm-args": {
                    String v = Compare.value(args, ++i, a).trim();
                    o.jvmArgs = v.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(v.split("\\s+")));
                    break;
                }
                case "--command": o.command = Compare.value(args, ++i, a); break;
                case "-h":
                case "--help":
                    System.out.println(usage());
                    System.exit(0);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (quick) {
            o.reps = repsSet ? o.reps : 1;
            o.warmupMs = warmupSet ? o.warmupMs : 1000;
            o.durationMs = durationSet ? o.durationMs : 2000;
        }
        for (String c : cells.split(",")) {
            String[] f = c.trim().split("x");
            if (f.length < 2 || f.length > 3) {
                throw new IllegalArgumentException("a cell is CxW or CxWxSIZE, not '" + c + "'");
            }
            Cell cell = new Cell(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f.length == 3 ? Integer.parseInt(f[2]) : size);
            if (cell.clients() < 1 || cell.workers() < 1 || cell.clients() > 100 || cell.workers() > 100 || cell.size() < 0) {
                throw new IllegalArgumentException("clients and workers 1..100, size not negative: " + c);
            }
            o.cells.add(cell);
        }
        if (o.reps < 1 || o.durationMs < 100 || o.warmupMs < 0) {
            throw new IllegalArgumentException("reps at least 1, duration at least 100 ms, warm-up not negative");
        }
        return o;
    }

    // ------------------------------------------------------------------ the run

    void run() throws IOException, InterruptedException {
        long began = System.nanoTime();
        Machine machine = Machine.probe();
        prepare();
        for (String s : ALL_STACKS) {
            if (o.stacks.contains(s) && !unavailable.containsKey(s)) {
                stacks.add(s);
            }
        }
        int total = o.reps * o.cells.size() * stacks.size();
        double perRun = (o.warmupMs + o.durationMs) / 1000.0 + 1.2;
        System.out.printf(Locale.ROOT, "majordomo-bench: %d cells x %s, %d repetition(s): %d runs, about %.0f s%n", o.cells.size(), stacks,
                o.reps, total, total * perRun);
        unavailable.forEach((k, v) -> System.out.println("  skipped " + k + ": " + v));
        int done = 0;
        for (int rep = 0; rep < o.reps; rep++) {
            for (Cell cell : o.cells) {
                for (int j = 0; j < stacks.size(); j++) {
                    String stack = stacks.get((j + rep) % stacks.size()); // the order rotates each repetition
                    done++;
                    Run r = runCell(stack, cell);
                    String shown = r == null ? "FAILED"
                            : String.format(Locale.ROOT, "%8.0f req/s%s  cores: broker %.2f (jit %.2f) workers %.2f clients %.2f (jit %.2f)",
                                    r.rate(), r.errors() > 0 ? " (" + r.errors() + " timeouts)" : "", r.cores(r.brokerCpu()),
                                    r.cores(r.brokerJit()), r.cores(r.workersCpu()), r.cores(r.clientsCpu()), r.cores(r.peersJit()));
                    System.out.printf(Locale.ROOT, "[%3d/%d] rep %d  %-30s %-14s %s%n", done, total, rep + 1, cell.label(), stack, shown);
                    if (r != null) {
                        results.computeIfAbsent(cell.key(), k -> new LinkedHashMap<>()).computeIfAbsent(stack, k -> new ArrayList<>()).add(r);
                    }
                }
            }
        }
        machine.loadAfter = Machine.loadAverage();
        machine.seconds = (System.nanoTime() - began) / 1e9;
        MdReport report = new MdReport(o, machine, stacks, this);
        Files.createDirectories(o.out);
        report.write(o.out);
        System.out.println();
        System.out.println(report.rateTable());
        System.out.println(report.ratioTable());
        System.out.printf(Locale.ROOT, "wrote %s (%.0f s)%n", o.out.resolve(MdReport.MD), machine.seconds);
        if (!failures.isEmpty()) {
            System.out.println(failures.size() + " run(s) failed; see the report's notes");
        }
    }

    /** One cell for one stack: the broker, the workers, the clients, the window; null when it failed. */
    private Run runCell(String stack, Cell cell) throws IOException, InterruptedException {
        int id = ++seq;
        List<Child> brokers = new ArrayList<>();
        List<Child> workers = new ArrayList<>();
        List<Child> clients = new ArrayList<>();
        try {
            // all three roles start at once: workers and clients reconnect until the broker listens,
            // and the broker queues requests until a worker registers
            boolean brokered = !stack.startsWith("direct");
            String target;
            int port = 0;
            if (brokered) {
                port = freePort();
                target = "tcp://127.0.0.1:" + port;
                brokers.add(start("broker", brokerCommand(stack, target), env(stack, target), id));
            } else {
                List<String> eps = new ArrayList<>();
                for (int i = 0; i < cell.workers(); i++) {
                    eps.add("tcp://127.0.0.1:" + freePort());
                }
                target = String.join(",", eps);
            }
            for (List<String> c : workerCommands(stack, target, cell)) {
                workers.add(start("workers", c, env(stack, null), id));
            }
            for (List<String> c : clientCommands(stack, target, cell)) {
                clients.add(start("clients", c, env(stack, null), id));
            }
            long deadline = System.currentTimeMillis() + 30_000;
            if (brokered) {
                awaitListening(brokers.get(0), port, deadline);
            }
            for (Child w : workers) {
                w.expect("READY", deadline);
            }
            deadline = System.currentTimeMillis() + 75_000; // a first reply each: the clients wait up to 60 s
            for (Child c : clients) {
                c.expect("READY", deadline);
            }
            long start = System.currentTimeMillis() + o.warmupMs;
            long end = start + o.durationMs;
            for (Child c : clients) {
                c.send("WINDOW " + start + " " + end);
            }
            // CPU is read over [start, end - margin]: at the end itself the clients may be gone already
            long cpuEnd = end - Math.min(200, o.durationMs / 10);
            List<Child> peers = new ArrayList<>(workers);
            peers.addAll(clients);
            sleepUntil(start);
            double[] cpu0 = {cpu(brokers, false), cpu(workers, false), cpu(clients, false), cpu(brokers, true), cpu(peers, true)};
            long cpuStart = System.currentTimeMillis();
            sleepUntil(cpuEnd);
            double[] cpu1 = {cpu(brokers, false), cpu(workers, false), cpu(clients, false), cpu(brokers, true), cpu(peers, true)};
            long cpuSpan = System.currentTimeMillis() - cpuStart;
            long replies = 0;
            long errors = 0;
            deadline = end + 2 * MdLoad.TIMEOUT.toMillis() + 5_000; // a client ends at its first reply or timeout after the end
            for (Child c : clients) {
                String[] f = c.expect("RESULT", deadline).split("\\s+");
                replies += Long.parseLong(f[1]);
                errors += Long.parseLong(f[2]);
            }
            noteWarnings(stack, cell, brokers, workers, clients);
            return new Run(replies, errors, end - start, cpuSpan, cpu1[0] - cpu0[0], cpu1[1] - cpu0[1], cpu1[2] - cpu0[2], cpu1[3] - cpu0[3],
                    cpu1[4] - cpu0[4]);
        } catch (Failure f) {
            String line = cell.label() + " / " + stack + ": " + f.getMessage();
            failures.add(line);
            System.out.println("  FAILED " + line);
            return null;
        } finally {
            List<Child> all = new ArrayList<>(clients);
            all.addAll(workers);
            all.addAll(brokers);
            for (Child c : all) {
                c.kill();
            }
        }
    }

    /** What the processes said on stderr that looks like trouble (reconnects, timeouts), for the report. */
    private void noteWarnings(String stack, Cell cell, List<Child> brokers, List<Child> workers, List<Child> clients) {
        List<Child> all = new ArrayList<>(brokers);
        all.addAll(workers);
        all.addAll(clients);
        for (Child c : all) {
            List<String> lines = c.troubleLines();
            if (!lines.isEmpty()) {
                String w = cell.label() + " / " + stack + " / " + c.role + ": " + lines.size() + " line(s), first: " + lines.get(0);
                warnings.add(w);
                System.out.println("  note: " + w);
            }
        }
    }

    private List<String> brokerCommand(String stack, String ep) {
        switch (stack) {
            case "zmq4j":
            case "zmq4j-cpeers":
                return java("broker", ep);
            case "zguide":
                return List.of(bin("mdbroker")); // binds ZGUIDE_BIND_ENDPOINT (see zguide_czmq3_compat.h)
            case "majortomo":
                return List.of(o.python, "-u", mtLoad.toString(), "broker", ep);
            default:
                throw new IllegalArgumentException(stack);
        }
    }

    private List<List<String>> workerCommands(String stack, String target, Cell cell) {
        String n = Integer.toString(cell.workers());
        switch (stack) {
            case "zmq4j":
                return List.of(java("workers", target, n, SERVICE));
            case "direct":
                return List.of(java("direct-workers", target));
            case "zguide":
            case "zmq4j-cpeers":
                return List.of(List.of(bin("md_zguide_load"), "workers", target, n, SERVICE));
            case "direct-libzmq":
                return List.of(List.of(bin("zmq_md_direct"), "workers", target));
            case "majortomo":
                return times(cell.workers(), List.of(o.python, "-u", mtLoad.toString(), "worker", target, SERVICE));
            default:
                throw new IllegalArgumentException(stack);
        }
    }

    private List<List<String>> clientCommands(String stack, String target, Cell cell) {
        String n = Integer.toString(cell.clients());
        String size = Integer.toString(cell.size());
        switch (stack) {
            case "zmq4j":
                return List.of(java("clients", target, n, size, SERVICE));
            case "direct":
                return List.of(java("direct-clients", target, n, size));
            case "zguide":
            case "zmq4j-cpeers":
                return List.of(List.of(bin("md_zguide_load"), "clients", target, n, size));
            case "direct-libzmq":
                return List.of(List.of(bin("zmq_md_direct"), "clients", target, n, size));
            case "majortomo":
                return times(cell.clients(), List.of(o.python, "-u", mtLoad.toString(), "client", target, size));
            default:
                throw new IllegalArgumentException(stack);
        }
    }

    private static List<List<String>> times(int n, List<String> command) {
        List<List<String>> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(command);
        }
        return list;
    }

    private Map<String, String> env(String stack, String brokerEndpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        if (stack.equals("zguide") && brokerEndpoint != null) {
            env.put("ZGUIDE_BIND_ENDPOINT", brokerEndpoint);
        }
        if (stack.equals("majortomo")) {
            env.put("PYTHONPATH", pythonPath());
        }
        return env;
    }

    private String pythonPath() {
        String p = o.majortomo.toAbsolutePath().toString();
        return o.majortomoPath.isEmpty() ? p : p + ":" + o.majortomoPath;
    }

    private List<String> java(String... args) {
        List<String> c = new ArrayList<>();
        c.add(o.java);
        c.addAll(o.jvmArgs);
        c.addAll(List.of("-cp", classpath, MdLoad.class.getName()));
        c.addAll(Arrays.asList(args));
        return c;
    }

    private String bin(String name) {
        return cbin.resolve(name).toString();
    }

    // ------------------------------------------------------------------ processes

    /** A cell cannot go on; the message says why. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private Child start(String role, List<String> command, Map<String, String> env, int id) throws IOException {
        Path err = work.resolve("cell" + id + "-" + role + "-" + (++started) + ".err");
        Child c = new Child(role, command, env, err);
        synchronized (LIVE) {
            LIVE.add(c);
        }
        return c;
    }

    private static void killLive() {
        List<Child> all;
        synchronized (LIVE) {
            all = new ArrayList<>(LIVE);
        }
        for (Child c : all) {
            c.kill();
        }
    }

    /** A started process, its standard output read line by line on a thread of its own. */
    static final class Child {
        private static final String EOF = "\u0000EOF";
        final String role;
        private final Process process;
        private final Path err;
        private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();

        Child(String role, List<String> command, Map<String, String> env, Path err) throws IOException {
            this.role = role;
            this.err = err;
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            pb.redirectError(err.toFile());
            process = pb.start();
            Thread reader = new Thread(() -> {
                try (java.io.BufferedReader r = process.inputReader(StandardCharsets.US_ASCII)) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process is gone
                } finally {
                    lines.add(EOF);
                }
            }, "md-bench-out-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        long pid() {
            return process.pid();
        }

        /** Waits (until {@code deadline}, epoch ms) for a line starting with {@code prefix}. */
        String expect(String prefix, long deadline) throws Failure, InterruptedException {
            while (true) {
                long left = deadline - System.currentTimeMillis();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.MILLISECONDS);
                if (line == null) {
                    throw new Failure(role + " (pid " + pid() + ") printed no " + prefix + " in time" + stderr());
                }
                if (line.equals(EOF)) {
                    lines.add(EOF);
                    String exit = process.isAlive() ? "closed its output" : "exited with " + waitExit();
                    throw new Failure(role + " " + exit + " before " + prefix + stderr());
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        private int waitExit() {
            try {
                return process.waitFor(1, TimeUnit.SECONDS) ? process.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        void send(String line) throws Failure {
            try {
                java.io.BufferedWriter w = process.outputWriter(StandardCharsets.US_ASCII);
                w.write(line + "\n");
                w.flush();
            } catch (IOException e) {
                throw new Failure("cannot write to " + role + ": " + e.getMessage() + stderr());
            }
        }

        /** Lines of its stderr that report trouble: warnings and errors of Java's logging, the zguide's, Python's. */
        List<String> troubleLines() {
            List<String> found = new ArrayList<>();
            try {
                if (Files.exists(err)) {
                    for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
                        String t = line.trim();
                        if (t.startsWith("WARNING") || t.startsWith("SEVERE") || t.startsWith("W:") || t.startsWith("E:")
                                || t.contains("Error") || t.contains("Exception") || t.startsWith("mt_load.py client")) {
                            found.add(t.length() > 200 ? t.substring(0, 200) + "..." : t);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                found.add("(stderr unreadable: " + e + ")");
            }
            return found;
        }

        boolean alive() {
            return process.isAlive();
        }

        String stderr() {
            try {
                if (!Files.exists(err)) {
                    return "";
                }
                String s = Files.readString(err, StandardCharsets.UTF_8).trim().replace('\n', ' ');
                if (s.isEmpty()) {
                    return "";
                }
                return " | stderr: " + (s.length() > 600 ? "..." + s.substring(s.length() - 600) : s);
            } catch (IOException e) {
                return "";
            }
        }

        /** SIGKILL to the process and anything it started; waits up to 10 s for it to go. */
        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (LIVE) {
                LIVE.remove(this);
            }
        }
    }

    /** Waits until something listens on the port (the broker bound), or fails at the deadline. */
    private static void awaitListening(Child broker, int port, long deadline) throws Failure, InterruptedException {
        while (System.currentTimeMillis() < deadline) {
            if (!broker.alive()) {
                throw new Failure("the broker exited before it listened on port " + port + broker.stderr());
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new Failure("the broker did not listen on port " + port + " within 30 s" + broker.stderr());
    }

    private static void sleepUntil(long epochMs) throws InterruptedException {
        long left;
        while ((left = epochMs - System.currentTimeMillis()) > 0) {
            Thread.sleep(left);
        }
    }

    /**
     * CPU seconds (user + system) the processes used so far, or with {@code jitOnly} those of their
     * JIT compiler threads (HotSpot's "C1/C2 CompilerThread"); Linux's /proc, 100 ticks a second.
     */
    private static double cpu(List<Child> children, boolean jitOnly) {
        double ticks = 0;
        for (Child c : children) {
            try {
                if (!jitOnly) {
                    ticks += ticks(Paths.get("/proc", Long.toString(c.pid()), "stat"));
                    continue;
                }
                try (Stream<Path> tasks = Files.list(Paths.get("/proc", Long.toString(c.pid()), "task"))) {
                    for (Path t : (Iterable<Path>) tasks::iterator) {
                        String name = Files.readString(t.resolve("comm")).trim();
                        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                            ticks += ticks(t.resolve("stat"));
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
        return ticks / 100.0;
    }

    /** utime + stime (fields 14 and 15) of a /proc stat file. */
    private static long ticks(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    // ------------------------------------------------------------------ what can run

    /** Compiles the C programs, finds majortomo and Python; records what is missing and why. */
    private void prepare() throws IOException, InterruptedException {
        Path src = work.resolve("c-src");
        cbin = work.resolve("c-bin");
        Files.createDirectories(src);
        Files.createDirectories(cbin);
        for (String f : C_FILES) {
            copyResource("/c/" + f, src.resolve(f));
        }
        boolean libzmq = Files.exists(Paths.get("/usr/include/zmq.h"));
        boolean wantC = o.stacks.contains("direct-libzmq") || o.stacks.contains("zguide") || o.stacks.contains("zmq4j-cpeers");
        if (wantC && !libzmq) {
            note("direct-libzmq", "no /usr/include/zmq.h (Debian: apt-get install libzmq3-dev)");
        } else if (o.stacks.contains("direct-libzmq")) {
            if (gcc("zmq_md_direct", List.of(src.resolve("zmq_md_direct.c").toString()), List.of("-lzmq", "-lpthread"), List.of("-I" + src))) {
                versions.put("libzmq", output(List.of(bin("zmq_md_direct"), "version")));
            } else {
                note("direct-libzmq", "zmq_md_direct did not compile (see above)");
            }
        }
        if (o.stacks.contains("zguide") || o.stacks.contains("zmq4j-cpeers")) {
            String why = zguideProblem(libzmq);
            if (why == null) {
                Path c = o.zguide.resolve("examples/C").toAbsolutePath();
                List<String> flags = List.of("-include", src.resolve("zguide_czmq3_compat.h").toString(), "-I" + c, "-I" + src);
                List<String> libs = List.of("-lczmq", "-lzmq", "-lpthread");
                boolean ok = gcc("mdbroker", List.of(c.resolve("mdbroker.c").toString()), libs, flags)
                        && gcc("md_zguide_load", List.of(src.resolve("md_zguide_load.c").toString(), c.resolve("mdcliapi.c").toString(),
                                c.resolve("mdwrkapi.c").toString()), libs, flags);
                if (ok) {
                    versions.put("zguide", "checkout " + o.zguide.toAbsolutePath() + " at " + gitHead(o.zguide));
                    versions.put("czmq", output(List.of(bin("md_zguide_load"), "version")));
                } else {
                    why = "the zguide's mdbroker.c / mdcliapi.c / mdwrkapi.c did not compile against czmq (see the gcc output above)";
                }
            }
            if (why != null) {
                note("zguide", why);
                note("zmq4j-cpeers", why);
            }
        }
        if (o.stacks.contains("majortomo")) {
            String why = majortomoProblem();
            if (why != null) {
                note("majortomo", why);
            }
        }
        versions.put("zmq4j", "this checkout at " + gitHead(Paths.get(".")));
    }

    private String zguideProblem(boolean libzmq) {
        if (o.zguide == null) {
            return "no zguide checkout given (--zguide DIR, a clone of github.com/booksbyus/zguide)";
        }
        if (!Files.isRegularFile(o.zguide.resolve("examples/C/mdbroker.c"))) {
            return "no examples/C/mdbroker.c under " + o.zguide.toAbsolutePath() + " (--zguide must be a zguide checkout)";
        }
        if (!libzmq || !Files.exists(Paths.get("/usr/include/czmq.h"))) {
            return "no /usr/include/czmq.h or zmq.h (Debian: apt-get install libczmq-dev)";
        }
        return null;
    }

    private String majortomoProblem() throws IOException, InterruptedException {
        if (o.majortomo == null) {
            return "no majortomo checkout given (--majortomo DIR, a clone of github.com/shoppimon/majortomo)";
        }
        if (!Files.isRegularFile(o.majortomo.resolve("majortomo/broker.py"))) {
            return "no majortomo/broker.py under " + o.majortomo.toAbsolutePath() + " (--majortomo must be a majortomo checkout)";
        }
        mtLoad = work.resolve("mt_load.py");
        copyResource("/python/mt_load.py", mtLoad);
        List<String> check = List.of(o.python, mtLoad.toString(), "check");
        ProcessBuilder pb = new ProcessBuilder(check).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", pythonPath());
        String out;
        try {
            Process p = pb.start();
            boolean done = p.waitFor(30, TimeUnit.SECONDS);
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!done) {
                p.destroyForcibly();
                return "'" + String.join(" ", check) + "' did not answer within 30 s";
            }
            if (p.exitValue() != 0) {
                return "'" + String.join(" ", check) + "' failed (is pyzmq installed? Debian: python3-zmq): " + lastLine(out);
            }
        } catch (IOException e) {
            return "cannot run " + o.python + ": " + e.getMessage();
        }
        versions.put("majortomo", "checkout " + o.majortomo.toAbsolutePath() + " at " + gitHead(o.majortomo) + "; " + lastLine(out));
        return null;
    }

    private static String lastLine(String s) {
        String[] lines = s.split("\n");
        return lines[lines.length - 1];
    }

    private void note(String stack, String why) {
        if (o.stacks.contains(stack)) {
            unavailable.put(stack, why);
        }
    }

    private static void copyResource(String name, Path to) throws IOException {
        try (InputStream in = MajordomoBench.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the classpath");
            }
            Files.copy(in, to);
        }
    }

    private boolean gcc(String name, List<String> sources, List<String> libs, List<String> flags) throws InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-o", cbin.resolve(name).toString()));
        cmd.addAll(flags);
        cmd.addAll(sources);
        cmd.addAll(libs);
        Path log = work.resolve("gcc-" + name + ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return true;
            }
            p.destroyForcibly();
            System.out.println("  gcc failed for " + name + ": " + Files.readString(log).trim());
        } catch (IOException e) {
            System.out.println("  cannot run gcc: " + e.getMessage());
        }
        return false;
    }

    private static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return v;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static String gitHead(Path dir) {
        String head = output(List.of("git", "-C", dir.toAbsolutePath().toString(), "rev-parse", "--short=12", "HEAD"));
        return head.matches("[0-9a-f]{7,40}") ? "commit " + head : "unknown commit";
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
