package org.zmq4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
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
 * The side-by-side comparison: zmq4j, JeroMQ, libzmq and a raw-socket reference, in one run,
 * interleaved (every repetition visits every scenario and, within it, every implementation, in an
 * order rotated per repetition), reporting medians of the repetitions.
 * <p>
 * Every run puts the two ends in separate processes (JVMs running {@link Worker}, or the C
 * programs in src/main/c, which this class compiles with gcc at start-up) except inproc, where
 * both ends are threads of one process. Every implementation is given the same settings: SNDHWM =
 * RCVHWM = 1000 on every socket, one I/O thread, OS-default socket buffers, the same message sizes,
 * the same warm-up and measuring window. Results go to docs/performance-results.md (+ .csv) and SVG
 * plots beside it. With {@code --curve} every socket uses CURVE, with the keys {@link BenchCurve}
 * hands over, and the results go to docs/curve/ instead (no raw reference, no inproc).
 * <p>
 * {@code java -jar zmq4j-bench.jar [--quick] [--reps N] ...} (see {@link #usage()});
 * {@code java -jar zmq4j-bench.jar jmh [JMH options]} runs the JMH microbenchmarks instead.
 */
public final class Compare {
    static final List<String> ALL_IMPLS = List.of("zmq4j", "jeromq", "libzmq", "raw");
    static final List<String> C_PROGRAMS = List.of("zmq_thr_send", "zmq_thr_recv", "zmq_lat_client", "zmq_lat_server", "zmq_inproc");
    static final List<String> C_FILES = List.of("bench_common.h", "zmq_common.h", "zmq_thr_send.c", "zmq_thr_recv.c", "zmq_lat_client.c",
            "zmq_lat_server.c", "zmq_inproc.c", "raw.c");

    /** Settings of one comparison. */
    static final class Options {
        boolean quick;
        int reps = 5;
        long warmupMs = 400;
        long durationMs = 600;
        int hwm = 1000;
        int[] sizes = {1, 64, 1024, 65536};
        int latSize = 64;
        Set<String> impls = new LinkedHashSet<>(ALL_IMPLS);
        Set<String> transports = new LinkedHashSet<>(List.of("tcp", "ipc", "inproc"));
        boolean thr = true;
        boolean lat = true;
        boolean pinned = true;
        boolean jeromqIpc;
        boolean copyApi;
        boolean cpu;
        /** Every socket uses CURVE (the binding side is the server); raw and inproc are not run. */
        boolean curve;
        Path out = Paths.get("docs");
        Path cbin;
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvmArgs = new ArrayList<>(List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch"));
        String command = "java -jar zmq4j-bench/target/zmq4j-bench.jar";
    }

    private final Options o;
    private final Path work;
    private final String classpath = System.getProperty("java.class.path");
    private final Map<String, String> unavailable = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Result>>> results = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private Path cbin;
    /** The server key pair of a {@code --curve} run, handed to every process; null otherwise. */
    private final BenchCurve curve;
    private boolean haveLibzmq;
    private boolean haveRaw;
    private boolean haveTaskset;
    private int seq;

    Compare(Options o, Path work) {
        this.o = o;
        this.work = work;
        this.curve = o.curve ? BenchCurve.generate() : null;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("majordomo")) {
            MajordomoBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        Path work = Files.createTempDirectory("zmq4j-bench-");
        try {
            new Compare(o, work).run();
        } finally {
            deleteRecursively(work);
        }
    }

    static String usage() {
        return String.join("\n",
                "usage: java -jar zmq4j-bench.jar [options]        side-by-side comparison, writes <out>/performance-results.md",
                "       java -jar zmq4j-bench.jar jmh [JMH args]   JMH microbenchmarks (e.g. jmh -prof gc FrameDecoder)",
                "       java -jar zmq4j-bench.jar majordomo [opts] the Majordomo benchmark (majordomo --help)",
                "options:",
                "  --quick                 1 repetition, short windows (under 2 minutes)",
                "  --reps N                repetitions, medians reported (default 5)",
                "  --warmup-ms MS          discarded warm-up after the first message (default 400; quick 200)",
                "  --duration-ms MS        measuring window per run (default 600; quick 250)",
                "  --sizes 1,64,1024,65536 throughput message sizes in bytes",
                "  --lat-size 64           latency message size in bytes",
                "  --hwm 1000              SNDHWM and RCVHWM on every socket",
                "  --impls zmq4j,jeromq,libzmq,raw",
                "  --transports tcp,ipc,inproc",
                "  --no-thr | --no-lat     skip throughput or latency",
                "  --no-pinned             skip the latency runs pinned to CPU 0 (taskset -c 0)",
                "  --jeromq-ipc            also run JeroMQ's ipc:// (which is TCP on loopback, not a Unix socket)",
                "  --out DIR               where the markdown, csv and svg files go (default docs)",
                "  --cbin DIR              prebuilt C programs (default: compile src/main/c from the jar with gcc)",
                "  --jvm-args \"ARGS\"       JVM options for the Java worker processes (default \"-Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch\")",
                "  --copy-api              Java workers use the copying calls with reused buffers (zmq_send/zmq_recv style)",
                "  --curve                 every socket uses CURVE (binding side = server, a key pair per comparison): zmq4j,",
                "                          JeroMQ and libzmq over tcp and ipc; writes <out>/curve/performance-results.md",
                "  --cpu                   throughput runs also report CPU time per message by side and thread role (from /proc;",
                "                          the measuring window becomes 3000 ms unless --duration-ms is given)",
                "  --command \"TEXT\"        how this run was started, quoted in the report");
    }

    static Options parse(String[] args) {
        Options o = new Options();
        boolean warmupSet = false;
        boolean durationSet = false;
        boolean repsSet = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick": o.quick = true; break;
                case "--reps": o.reps = Integer.parseInt(value(args, ++i, a)); repsSet = true; break;
                case "--warmup-ms": o.warmupMs = Long.parseLong(value(args, ++i, a)); warmupSet = true; break;
                case "--duration-ms": o.durationMs = Long.parseLong(value(args, ++i, a)); durationSet = true; break;
                case "--sizes": o.sizes = Arrays.stream(value(args, ++i, a).split(",")).mapToInt(Integer::parseInt).toArray(); break;
                case "--lat-size": o.latSize = Integer.parseInt(value(args, ++i, a)); break;
                case "--hwm": o.hwm = Integer.parseInt(value(args, ++i, a)); break;
                case "--impls": o.impls = names(value(args, ++i, a), ALL_IMPLS); break;
                case "--transports": o.transports = names(value(args, ++i, a), List.of("tcp", "ipc", "inproc")); break;
                case "--no-thr": o.thr = false; break;
                case "--no-lat": o.lat = false; break;
                case "--no-pinned": o.pinned = false; break;
                case "--jeromq-ipc": o.jeromqIpc = true; break;
                case "--copy-api": o.copyApi = true; break;
                case "--cpu": o.cpu = true; break;
                case "--curve": o.curve = true; break;
                case "--out": o.out = Paths.get(value(args, ++i, a)); break;
                case "--cbin": o.cbin = Paths.get(value(args, ++i, a)); break;
                case "--java": o.java = value(args, ++i, a); break;
                case "--jvm-args": {
                    String v = value(args, ++i, a).trim();
                    o.jvmArgs = v.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(v.split("\\s+")));
                    break;
                }
                case "--command": o.command = value(args, ++i, a); break;
                case "-h":
                case "--help":
                    System.out.println(usage());
                    System.exit(0);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (o.curve) {
            o.out = o.out.resolve("curve"); // beside the plain results, which stay as they are
        }
        if (o.cpu && !durationSet) {
            o.durationMs = 3000;
        }
        if (o.quick) {
            if (!repsSet) {
                o.reps = 1;
            }
            if (!warmupSet) {
                o.warmupMs = 200;
            }
            if (!durationSet) {
                o.durationMs = 250;
            }
        }
        if (o.reps < 1 || o.durationMs < 1 || o.warmupMs < 0 || o.hwm < 0) {
            throw new IllegalArgumentException("reps and duration must be positive, warm-up and hwm not negative");
        }
        return o;
    }

    /** The value after option {@code args[i-1]}; the runners' shared argument helper. */
    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** A comma-separated list of names, each one of {@code allowed}; lower-cased, in order. */
    static Set<String> names(String list, List<String> allowed) {
        Set<String> s = new LinkedHashSet<>();
        for (String n : list.split(",")) {
            String t = n.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(t)) {
                throw new IllegalArgumentException("'" + t + "' is not one of " + allowed);
            }
            s.add(t);
        }
        return s;
    }

    // ------------------------------------------------------------------ the run

    void run() throws IOException, InterruptedException {
        long began = System.nanoTime();
        Machine machine = Machine.probe();
        haveTaskset = which("taskset");
        prepareNative();
        machine.libzmqVersion = haveLibzmq ? libzmqVersion() : "n/a";
        if (o.curve) {
            if (o.impls.contains("raw")) {
                unavailable.put("curve-raw", "--curve: the raw-socket reference has no CURVE; not run");
            }
            if (o.transports.contains("inproc")) {
                unavailable.put("curve-inproc", "--curve: inproc has no security mechanism (libzmq skips it there); not run");
            }
        }
        if (!haveTaskset && o.pinned) {
            unavailable.put("pinned", "taskset not found: pinned latency skipped");
        }
        List<Scenario> scenarios = scenarios();
        List<String> impls = new ArrayList<>();
        for (String i : ALL_IMPLS) {
            if (o.impls.contains(i)) {
                impls.add(i);
            }
        }
        int runs = 0;
        for (Scenario s : scenarios) {
            for (String i : impls) {
                if (applicable(s, i)) {
                    runs++;
                }
            }
        }
        double perRun = (o.warmupMs + o.durationMs) / 1000.0 + 0.6;
        System.out.printf(Locale.ROOT, "zmq4j-bench: %d scenarios x %s, %d repetition(s): %d runs, about %.0f s%n",
                scenarios.size(), impls, o.reps, runs * o.reps, runs * o.reps * perRun);
        unavailable.forEach((k, v) -> System.out.println("  note: " + v));
        int done = 0;
        int total = runs * o.reps;
        for (int rep = 0; rep < o.reps; rep++) {
            for (Scenario s : scenarios) {
                for (int j = 0; j < impls.size(); j++) {
                    String impl = impls.get((j + rep) % impls.size()); // rotate the order each repetition
                    if (!applicable(s, impl)) {
                        continue;
                    }
                    done++;
                    Result r = runOne(s, impl);
                    String shown = r == null ? "FAILED" : describe(s, r);
                    System.out.printf(Locale.ROOT, "[%3d/%d] rep %d  %-30s %-7s %s%n", done, total, rep + 1, s.label(), impl, shown);
                    if (r != null) {
                        results.computeIfAbsent(s.key(), k -> new LinkedHashMap<>()).computeIfAbsent(impl, k -> new ArrayList<>()).add(r);
                    }
                }
            }
        }
        machine.loadAfter = Machine.loadAverage();
        machine.seconds = (System.nanoTime() - began) / 1e9;
        Report report = new Report(o, machine, scenarios, impls, results, unavailable, failures);
        Files.createDirectories(o.out);
        report.write(o.out);
        System.out.println();
        System.out.println(report.throughputTable());
        System.out.println(report.cpuTable());
        System.out.println(report.latencyTable());
        System.out.printf(Locale.ROOT, "wrote %s (%.0f s)%n", o.out.resolve("performance-results.md"), machine.seconds);
        if (!failures.isEmpty()) {
            System.out.println(failures.size() + " run(s) failed; see the report's notes");
        }
    }

    private List<Scenario> scenarios() {
        List<Scenario> list = new ArrayList<>();
        List<String> transports = o.transports.stream().filter(t -> !(o.curve && t.equals("inproc"))).toList();
        if (o.thr) {
            for (String t : transports) {
                for (int size : o.sizes) {
                    list.add(new Scenario(Scenario.Kind.THR, t, size, false));
                }
            }
        }
        if (o.lat) {
            for (String t : transports) {
                list.add(new Scenario(Scenario.Kind.LAT, t, o.latSize, false));
            }
            if (o.pinned && haveTaskset) {
                for (String t : transports) {
                    list.add(new Scenario(Scenario.Kind.LAT, t, o.latSize, true));
                }
            }
        }
        return list;
    }

    boolean applicable(Scenario s, String impl) {
        if (o.curve && (impl.equals("raw") || s.transport().equals("inproc"))) {
            return false;
        }
        switch (impl) {
            case "libzmq":
                return haveLibzmq;
            case "raw":
                return haveRaw && !s.transport().equals("inproc");
            case "jeromq":
                return !s.transport().equals("ipc") || o.jeromqIpc;
            default:
                return true;
        }
    }

    static String describe(Scenario s, Result r) {
        if (s.kind() == Scenario.Kind.THR) {
            return String.format(Locale.ROOT, "%s msg/s  %s MB/s", si(r.msgPerSec()), fmt(r.msgPerSec() * s.size() / 1e6));
        }
        return String.format(Locale.ROOT, "one-way %s us  rtt p50 %s p99 %s p99.9 %s us  (%d samples)", fmt(r.oneWayUs()),
                fmt(r.p50Ns / 1000.0), fmt(r.p99Ns / 1000.0), fmt(r.p999Ns / 1000.0), r.samples);
    }

    /** Runs one scenario for one implementation; null when it failed (the reason is recorded). */
    private Result runOne(Scenario s, String impl) throws IOException, InterruptedException {
        int id = ++seq;
        String t = s.transport();
        boolean thr = s.kind() == Scenario.Kind.THR;
        List<String> primary;
        List<String> secondary = null;
        boolean secondaryFirst;
        if (t.equals("inproc")) {
            primary = inprocCommand(impl, thr, s.size());
            secondaryFirst = false;
        } else {
            String zmqEp;
            String rawAddr;
            if (t.equals("tcp")) {
                int port = freePort();
                zmqEp = "tcp://127.0.0.1:" + port;
                rawAddr = "tcp:127.0.0.1:" + port;
            } else {
                Path p = work.resolve("s" + id + ".ipc");
                zmqEp = impl.equals("jeromq") ? "ipc://zmq4j-bench-" + ProcessHandle.current().pid() + "-" + id : "ipc://" + p;
                rawAddr = "unix:" + p;
            }
            String ep = impl.equals("raw") ? rawAddr : zmqEp;
            if (thr) {
                primary = command(impl, "thr-recv", ep, s.size());   // binds
                secondary = command(impl, "thr-send", ep, s.size()); // connects
                secondaryFirst = false;
            } else {
                primary = command(impl, "lat-client", ep, s.size());   // connects
                secondary = command(impl, "lat-server", ep, s.size()); // binds
                secondaryFirst = true;
            }
        }
        if (s.pinned()) {
            primary = pin(primary);
            secondary = secondary == null ? null : pin(secondary);
        }
        Path out = work.resolve("run" + id + ".out");
        Path err = work.resolve("run" + id + ".err");
        Path err2 = work.resolve("run" + id + ".err2");
        Process p1 = null;
        Process p2 = null;
        CpuSampler sampler = null;
        try {
            if (secondary != null && secondaryFirst) {
                p2 = start(secondary, null, err2);
            }
            p1 = start(primary, out, err);
            if (secondary != null && !secondaryFirst) {
                p2 = start(secondary, null, err2);
            }
            if (thr && o.cpu && CpuSampler.available()) {
                Map<String, Long> sides = new LinkedHashMap<>();
                sides.put(p2 == null ? "proc" : "recv", p1.pid());
                if (p2 != null) {
                    sides.put("send", p2.pid());
                }
                sampler = new CpuSampler(sides);
            }
            long limitMs = 30_000 + o.warmupMs + o.durationMs;
            boolean finished = p1.waitFor(limitMs, TimeUnit.MILLISECONDS);
            long exitNanos = System.nanoTime();
            if (!finished) {
                fail(s, impl, "no result within " + limitMs + " ms", err, err2);
                return null;
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Result r = Result.parse(text);
            if (r == null || p1.exitValue() != 0) {
                fail(s, impl, "exit code " + p1.exitValue() + ", output: " + text.trim(), err, err2);
                return null;
            }
            if (sampler != null) {
                r.cpu = sampler.perMessage(exitNanos, r.elapsedNs, r.msgPerSec());
            }
            return r;
        } finally {
            if (sampler != null) {
                sampler.close();
            }
            kill(p1);
            kill(p2);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(err2);
        }
    }

    private void fail(Scenario s, String impl, String why, Path err, Path err2) throws IOException {
        String detail = tail(err) + tail(err2);
        String line = s.label() + " / " + impl + ": " + why + (detail.isEmpty() ? "" : " | stderr: " + detail);
        failures.add(line);
        System.out.println("  FAILED " + line);
    }

    private static String tail(Path p) throws IOException {
        if (!Files.exists(p)) {
            return "";
        }
        String s = Files.readString(p, StandardCharsets.UTF_8).trim().replace('\n', ' ');
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    private Process start(List<String> cmd, Path out, Path err) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (curve != null) {
            curve.export(pb.environment());
        }
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.redirectOutput(out == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(out.toFile()));
        pb.redirectError(ProcessBuilder.Redirect.to(err.toFile()));
        return pb.start();
    }

    private static void kill(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        if (p.isAlive()) {
            p.destroyForcibly();
        }
        p.waitFor(10, TimeUnit.SECONDS);
    }

    private static List<String> pin(List<String> cmd) {
        List<String> c = new ArrayList<>(List.of("taskset", "-c", "0"));
        c.addAll(cmd);
        return c;
    }

    private List<String> javaWorker(String impl, String role, String ep, int size) {
        List<String> c = new ArrayList<>();
        c.add(o.java);
        c.addAll(o.jvmArgs);
        if (o.copyApi) {
            c.add("-Dbench.copy=true");
        }
        c.addAll(List.of("-cp", classpath, Worker.class.getName(), impl, role, ep, Integer.toString(size), Long.toString(o.warmupMs),
                Long.toString(o.durationMs), Integer.toString(o.hwm)));
        return c;
    }

    private List<String> command(String impl, String role, String ep, int size) {
        String sz = Integer.toString(size);
        String w = Long.toString(o.warmupMs);
        String d = Long.toString(o.durationMs);
        String h = Integer.toString(o.hwm);
        switch (impl) {
            case "zmq4j":
            case "jeromq":
                return javaWorker(impl, role, ep, size);
            case "libzmq":
                switch (role) {
                    case "thr-recv": return List.of(bin("zmq_thr_recv"), ep, sz, w, d, h);
                    case "thr-send": return List.of(bin("zmq_thr_send"), ep, sz, h);
                    case "lat-client": return List.of(bin("zmq_lat_client"), ep, sz, w, d, h);
                    default: return List.of(bin("zmq_lat_server"), ep, h);
                }
            case "raw":
                switch (role) {
                    case "thr-recv": return List.of(bin("raw"), "thr-recv", ep, sz, w, d);
                    case "thr-send": return List.of(bin("raw"), "thr-send", ep, sz);
                    case "lat-client": return List.of(bin("raw"), "lat-client", ep, sz, w, d);
                    default: return List.of(bin("raw"), "lat-server", ep, sz);
                }
            default:
                throw new IllegalArgumentException(impl);
        }
    }

    private List<String> inprocCommand(String impl, boolean thr, int size) {
        if (impl.equals("libzmq")) {
            return List.of(bin("zmq_inproc"), thr ? "thr" : "lat", Integer.toString(size), Long.toString(o.warmupMs), Long.toString(o.durationMs),
                    Integer.toString(o.hwm));
        }
        return javaWorker(impl, thr ? "inproc-thr" : "inproc-lat", "inproc", size);
    }

    private String bin(String name) {
        return cbin.resolve(name).toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    // ------------------------------------------------------------------ native programs

    /** Uses --cbin, or extracts the C sources from the jar and compiles them with gcc. */
    private void prepareNative() throws IOException, InterruptedException {
        boolean wantC = o.impls.contains("libzmq") || o.impls.contains("raw");
        if (!wantC) {
            return;
        }
        if (o.cbin != null) {
            cbin = o.cbin.toAbsolutePath();
            haveLibzmq = C_PROGRAMS.stream().allMatch(n -> Files.isExecutable(cbin.resolve(n)));
            haveRaw = Files.isExecutable(cbin.resolve("raw"));
        } else {
            Path src = work.resolve("c-src");
            cbin = work.resolve("c-bin");
            Files.createDirectories(src);
            Files.createDirectories(cbin);
            for (String f : C_FILES) {
                try (InputStream in = Compare.class.getResourceAsStream("/c/" + f)) {
                    if (in == null) {
                        throw new IOException("C source /c/" + f + " is not on the classpath");
                    }
                    Files.copy(in, src.resolve(f));
                }
            }
            haveRaw = gcc(src, "raw", false);
            boolean ok = true;
            for (String p : C_PROGRAMS) {
                ok &= gcc(src, p, true);
            }
            haveLibzmq = ok;
        }
        if (o.impls.contains("libzmq") && !haveLibzmq) {
            unavailable.put("libzmq", "libzmq programs could not be built (needs gcc and libzmq3-dev): libzmq skipped");
        }
        if (o.impls.contains("raw") && !haveRaw) {
            unavailable.put("raw", "raw-socket programs could not be built (needs gcc): raw reference skipped");
        }
        haveLibzmq &= o.impls.contains("libzmq");
        haveRaw &= o.impls.contains("raw");
    }

    private boolean gcc(Path src, String name, boolean zmq) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-o", cbin.resolve(name).toString(), src.resolve(name + ".c").toString()));
        if (zmq) {
            cmd.add("-lzmq");
        }
        cmd.add("-lpthread");
        Path log = work.resolve("gcc-" + name + ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return true;
            }
            System.out.println("  gcc failed for " + name + ": " + tail(log));
        } catch (IOException e) {
            System.out.println("  cannot run gcc: " + e.getMessage());
        }
        return false;
    }

    private String libzmqVersion() {
        try {
            Process p = new ProcessBuilder(bin("zmq_inproc"), "version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return v;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static boolean which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Paths.get(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ formatting

    static String sizeLabel(int size) {
        if (size >= 1024 && size % 1024 == 0) {
            return (size / 1024) + " KiB";
        }
        return size + " B";
    }

    /** 1234567 -> "1.23M". */
    static String si(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.2fG", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        if (v >= 1 || v == 0) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2g", v);
    }

    /** Three significant digits, no exponent. */
    static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
