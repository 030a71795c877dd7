package org.zmq4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns the repetitions into medians and writes them: performance-results.md (tables, ratios,
 * the targets), performance-results.csv (every repetition) and the SVG plots.
 */
final class Report {
    private final Compare.Options o;
    private final Machine m;
    private final List<Scenario> scenarios;
    private final List<String> impls;
    private final Map<String, Map<String, List<Result>>> results;
    private final Map<String, String> unavailable;
    private final List<String> failures;

    Report(Compare.Options o, Machine m, List<Scenario> scenarios, List<String> impls, Map<String, Map<String, List<Result>>> results,
            Map<String, String> unavailable, List<String> failures) {
        this.o = o;
        this.m = m;
        this.scenarios = scenarios;
        this.impls = impls;
        this.results = results;
        this.unavailable = unavailable;
        this.failures = failures;
    }

    static String name(String impl) {
        switch (impl) {
            case "jeromq": return "JeroMQ";
            case "raw": return "raw socket";
            default: return impl;
        }
    }

    // ------------------------------------------------------------------ medians

    private List<Result> runs(String key, String impl) {
        Map<String, List<Result>> byImpl = results.get(key);
        return byImpl == null ? List.of() : byImpl.getOrDefault(impl, List.of());
    }

    private static double median(List<Result> rs, ToDoubleFunction<Result> f) {
        if (rs.isEmpty()) {
            return Double.NaN;
        }
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private double thr(String transport, int size, String impl) {
        return median(runs("thr/" + transport + "/" + size, impl), Result::msgPerSec);
    }

    private double lat(String transport, boolean pinned, String impl, ToDoubleFunction<Result> f) {
        return median(runs("lat/" + transport + "/" + o.latSize + (pinned ? "/pinned" : ""), impl), f);
    }

    private double oneWay(String transport, boolean pinned, String impl) {
        return lat(transport, pinned, impl, Result::oneWayUs);
    }

    private static double us(long ns) {
        return ns / 1000.0;
    }

    /** Why a cell has no number. */
    private String missing(Scenario s, String impl) {
        if (!impls.contains(impl)) {
            return "not run";
        }
        if (impl.equals("raw") && o.curve) {
            return "— (no CURVE)";
        }
        if (impl.equals("raw") && s.transport().equals("inproc")) {
            return "—";
        }
        if (impl.equals("jeromq") && s.transport().equals("ipc") && !o.jeromqIpc) {
            return "n/a (tcp emulation)";
        }
        if (unavailable.containsKey(impl)) {
            return "unavailable";
        }
        return "failed";
    }

    private static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2f×", a / b);
    }

    private static String pct(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.0f%%", 100 * a / b);
    }

    private boolean noisy() {
        double l = Machine.load1(m.loadBefore);
        return o.quick || o.reps < 3 || l > 0.5;
    }

    // ------------------------------------------------------------------ tables

    private List<Scenario> thrScenarios() {
        return scenarios.stream().filter(s -> s.kind() == Scenario.Kind.THR).toList();
    }

    String throughputTable() {
        List<Scenario> thr = thrScenarios();
        if (thr.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        b.append("| transport | size | zmq4j | JeroMQ | libzmq | raw socket | zmq4j / JeroMQ | zmq4j / libzmq | zmq4j of raw | JeroMQ of raw | libzmq of raw |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Scenario s : thr) {
            b.append("| ").append(transportLabel(s.transport())).append(" | ").append(Compare.sizeLabel(s.size()));
            for (String impl : Compare.ALL_IMPLS) {
                double v = thr(s.transport(), s.size(), impl);
                b.append(" | ");
                if (Double.isNaN(v)) {
                    b.append(missing(s, impl));
                } else {
                    b.append(Compare.si(v)).append(" msg/s<br>").append(Compare.fmt(v * s.size() / 1e6)).append(" MB/s");
                }
            }
            double z = thr(s.transport(), s.size(), "zmq4j");
            double j = thr(s.transport(), s.size(), "jeromq");
            double l = thr(s.transport(), s.size(), "libzmq");
            double r = thr(s.transport(), s.size(), "raw");
            b.append(" | ").append(ratio(z, j)).append(" | ").append(ratio(z, l)).append(" | ").append(pct(z, r)).append(" | ")
                    .append(pct(j, r)).append(" | ").append(pct(l, r)).append(" |\n");
        }
        return b.toString();
    }

    /** The median over the repetitions of one CPU cell (0 = user, 1 = system, 2 = both); NaN without samples. */
    private static double cpuMedian(List<Result> rs, String cell, int part) {
        List<Result> sampled = rs.stream().filter(r -> r.cpu != null && r.cpu.containsKey(cell)).toList();
        return median(sampled, r -> {
            double[] v = r.cpu.get(cell);
            return part == 2 ? v[0] + v[1] : v[part];
        });
    }

    /**
     * With {@code --cpu}: CPU time per message of every throughput run, by side and thread role,
     * so a ratio can be read as "what each implementation spends where".
     */
    String cpuTable() {
        StringBuilder b = new StringBuilder();
        for (boolean inproc : new boolean[] {false, true}) {
            List<String> sides = inproc ? List.of("proc") : List.of("recv", "send");
            StringBuilder rows = new StringBuilder();
            for (Scenario s : thrScenarios()) {
                if (s.transport().equals("inproc") != inproc) {
                    continue;
                }
                for (String impl : Compare.ALL_IMPLS) {
                    List<Result> rs = runs(s.key(), impl);
                    if (rs.stream().noneMatch(r -> r.cpu != null)) {
                        continue;
                    }
                    double total = median(rs.stream().filter(r -> r.cpu != null).toList(),
                            r -> r.cpu.values().stream().mapToDouble(v -> v[0] + v[1]).sum());
                    rows.append("| ").append(transportLabel(s.transport())).append(" | ").append(Compare.sizeLabel(s.size())).append(" | ")
                            .append(name(impl)).append(" | ").append(Compare.si(thr(s.transport(), s.size(), impl))).append(" | ")
                            .append(String.format(Locale.ROOT, "**%.2f**", total));
                    for (String side : sides) {
                        for (String role : CpuSampler.ROLES) {
                            String cell = side + " " + role;
                            double all = cpuMedian(rs, cell, 2);
                            double sys = cpuMedian(rs, cell, 1);
                            rows.append(" | ").append(Double.isNaN(all) || all < 0.005 ? "·"
                                    : String.format(Locale.ROOT, "%.2f (%.2f)", all, sys));
                        }
                    }
                    rows.append(" |\n");
                }
            }
            if (rows.length() == 0) {
                continue;
            }
            b.append("| transport | size | implementation | msg/s | CPU µs/msg");
            StringBuilder rule = new StringBuilder("|---|---:|---|---:|---:");
            for (String side : sides) {
                for (String role : CpuSampler.ROLES) {
                    b.append(" | ").append(inproc ? "" : (side.equals("recv") ? "receiver " : "sender ")).append(role);
                    rule.append("|---:");
                }
            }
            b.append(" |\n").append(rule).append("|\n").append(rows).append('\n');
        }
        return b.toString();
    }

    private List<Scenario> latScenarios(boolean pinned) {
        return scenarios.stream().filter(s -> s.kind() == Scenario.Kind.LAT && s.pinned() == pinned).toList();
    }

    String latencyTable() {
        List<Scenario> lat = latScenarios(false);
        if (lat.isEmpty()) {
            return "";
        }
        boolean pinned = !latScenarios(true).isEmpty();
        StringBuilder b = new StringBuilder();
        b.append("| transport | implementation | one-way µs | RTT p50 µs | RTT p99 µs | RTT p99.9 µs | raw ÷ this");
        if (pinned) {
            b.append(" | pinned one-way µs | pinned p50 | pinned p99 | pinned p99.9 | pinned raw ÷ this");
        }
        b.append(" |\n|---|---|---:|---:|---:|---:|---:");
        if (pinned) {
            b.append("|---:|---:|---:|---:|---:");
        }
        b.append("|\n");
        for (Scenario s : lat) {
            for (String impl : Compare.ALL_IMPLS) {
                if (impl.equals("raw") && (o.curve || s.transport().equals("inproc"))) {
                    continue;
                }
                b.append("| ").append(transportLabel(s.transport())).append(" | ").append(name(impl));
                latCells(b, s, impl, false);
                if (pinned) {
                    latCells(b, new Scenario(Scenario.Kind.LAT, s.transport(), s.size(), true), impl, true);
                }
                b.append(" |\n");
            }
        }
        return b.toString();
    }

    private void latCells(StringBuilder b, Scenario s, String impl, boolean pinned) {
        String t = s.transport();
        double ow = oneWay(t, pinned, impl);
        if (Double.isNaN(ow)) {
            String why = missing(s, impl);
            b.append(" | ").append(why).append(" |  |  |  | ");
            return;
        }
        b.append(" | **").append(Compare.fmt(ow)).append("**");
        b.append(" | ").append(Compare.fmt(lat(t, pinned, impl, r -> us(r.p50Ns))));
        b.append(" | ").append(Compare.fmt(lat(t, pinned, impl, r -> us(r.p99Ns))));
        b.append(" | ").append(Compare.fmt(lat(t, pinned, impl, r -> us(r.p999Ns))));
        b.append(" | ").append(pct(oneWay(t, pinned, "raw"), ow));
    }

    String latencyRatioTable() {
        List<Scenario> lat = latScenarios(false);
        if (lat.isEmpty()) {
            return "";
        }
        boolean pinned = !latScenarios(true).isEmpty();
        StringBuilder b = new StringBuilder();
        b.append("| transport | zmq4j / JeroMQ | zmq4j / libzmq | zmq4j p99 / p50");
        if (pinned) {
            b.append(" | pinned zmq4j / JeroMQ | pinned zmq4j / libzmq | pinned zmq4j p99 / p50");
        }
        b.append(" |\n|---|---:|---:|---:");
        if (pinned) {
            b.append("|---:|---:|---:");
        }
        b.append("|\n");
        for (Scenario s : lat) {
            String t = s.transport();
            b.append("| ").append(transportLabel(t));
            for (boolean p : pinned ? new boolean[] {false, true} : new boolean[] {false}) {
                double z = oneWay(t, p, "zmq4j");
                b.append(" | ").append(ratio(z, oneWay(t, p, "jeromq"))).append(" | ").append(ratio(z, oneWay(t, p, "libzmq")));
                b.append(" | ").append(ratio(lat(t, p, "zmq4j", r -> r.p99Ns), lat(t, p, "zmq4j", r -> r.p50Ns)));
            }
            b.append(" |\n");
        }
        return b.toString();
    }

    private static String transportLabel(String t) {
        return t;
    }

    // ------------------------------------------------------------------ targets (issue 7)

    private record Check(String what, List<String> values, Boolean met) {
    }

    private Check check(String what, List<String[]> cells, double threshold, boolean higherIsBetter) {
        // cells: {label, value-as-double-string}
        List<String> shown = new ArrayList<>();
        Boolean met = cells.isEmpty() ? null : Boolean.TRUE;
        for (String[] c : cells) {
            double v = Double.parseDouble(c[1]);
            if (Double.isNaN(v)) {
                shown.add(c[0] + " —");
                met = null;
                continue;
            }
            shown.add(c[0] + " " + String.format(Locale.ROOT, "%.2f", v));
            boolean ok = higherIsBetter ? v >= threshold : v <= threshold;
            if (!ok && met != null) {
                met = Boolean.FALSE;
            }
        }
        return new Check(what, shown, met);
    }

    private List<Check> targets() {
        List<Check> checks = new ArrayList<>();
        List<String[]> small = new ArrayList<>();
        List<String[]> large = new ArrayList<>();
        List<String[]> largeJ = new ArrayList<>();
        List<String[]> raw64k = new ArrayList<>();
        List<String[]> inproc = new ArrayList<>();
        for (Scenario s : thrScenarios()) {
            String t = s.transport();
            int size = s.size();
            double z = thr(t, size, "zmq4j");
            String label = t + " " + Compare.sizeLabel(size);
            if (!t.equals("inproc")) {
                if (size <= 64) {
                    small.add(new String[] {label, Double.toString(z / thr(t, size, "libzmq"))});
                } else {
                    large.add(new String[] {label, Double.toString(z / thr(t, size, "libzmq"))});
                    if (!t.equals("ipc") || o.jeromqIpc) {
                        largeJ.add(new String[] {label, Double.toString(z / thr(t, size, "jeromq"))});
                    }
                }
                if (size == 65536) {
                    raw64k.add(new String[] {label, Double.toString(z / thr(t, size, "raw"))});
                }
            } else {
                inproc.add(new String[] {label, Double.toString(z / thr(t, size, "libzmq"))});
            }
        }
        checks.add(check("tcp/ipc throughput 1–64 B ≥ 1.0× libzmq (zmq4j / libzmq)", small, 1.0, true));
        checks.add(check("tcp/ipc throughput 1–64 KiB ≥ 1.0× libzmq (zmq4j / libzmq)", large, 1.0, true));
        checks.add(check("tcp throughput 1–64 KiB ≥ 1.0× JeroMQ (zmq4j / JeroMQ)", largeJ, 1.0, true));
        checks.add(check("64 KiB throughput ≥ 85% of the raw socket (zmq4j / raw)", raw64k, 0.85, true));
        checks.add(check("inproc throughput ≥ 1.0× libzmq at every size (zmq4j / libzmq)", inproc, 1.0, true));
        List<String[]> inprocLat = new ArrayList<>();
        List<String[]> latVsLib = new ArrayList<>();
        List<String[]> tail = new ArrayList<>();
        for (boolean p : new boolean[] {false, true}) {
            for (Scenario s : latScenarios(p)) {
                String t = s.transport();
                String label = t + (p ? " pinned" : "");
                double z = oneWay(t, p, "zmq4j");
                if (t.equals("inproc")) {
                    inprocLat.add(new String[] {label, Double.toString(z / oneWay(t, p, "jeromq"))});
                } else {
                    latVsLib.add(new String[] {label, Double.toString(z / oneWay(t, p, "libzmq"))});
                    tail.add(new String[] {label, Double.toString(lat(t, p, "zmq4j", r -> r.p99Ns) / lat(t, p, "zmq4j", r -> r.p50Ns))});
                }
            }
        }
        checks.add(check("inproc latency no worse than JeroMQ (zmq4j / JeroMQ one-way)", inprocLat, 1.0, false));
        checks.add(check("tcp/ipc latency ≤ 1.0× libzmq (zmq4j / libzmq one-way)", latVsLib, 1.0, false));
        checks.add(check("tcp/ipc round-trip p99 ≤ 2× p50 (zmq4j p99 / p50)", tail, 2.0, false));
        return checks;
    }

    String targetsTable() {
        StringBuilder b = new StringBuilder("| target (issue 7) | measured (medians) | met? |\n|---|---|---|\n");
        for (Check c : targets()) {
            String met = c.met() == null ? "n/a" : c.met() ? "yes" : "**no**";
            b.append("| ").append(c.what()).append(" | ").append(String.join(", ", c.values())).append(" | ").append(met).append(" |\n");
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ files

    void write(Path dir) throws IOException {
        Files.writeString(dir.resolve("performance-results.md"), markdown(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("performance-results.csv"), csv(), StandardCharsets.UTF_8);
        String note = (o.quick ? "QUICK MODE, " : "") + o.reps + " repetition(s), medians; " + m.date + "; load before " + m.loadBefore
                + (noisy() ? " — NOISY, indicative only" : "");
        for (String t : o.transports) {
            List<Scenario> thr = thrScenarios().stream().filter(s -> s.transport().equals(t)).toList();
            if (thr.isEmpty()) {
                continue;
            }
            int[] sizes = thr.stream().mapToInt(Scenario::size).toArray();
            List<Plots.Series> series = new ArrayList<>();
            for (String impl : Compare.ALL_IMPLS) {
                double[] y = Arrays.stream(sizes).mapToDouble(size -> thr(t, size, impl)).toArray();
                if (Arrays.stream(y).anyMatch(v -> !Double.isNaN(v))) {
                    series.add(new Plots.Series(impl, y));
                }
            }
            String title = "PUSH→PULL throughput over " + t + (t.equals("inproc") ? " (both ends in one process)" : " (separate processes)");
            Files.writeString(dir.resolve("perf-throughput-" + t + ".svg"), Plots.throughput(title, sizes, series, note), StandardCharsets.UTF_8);
        }
        List<String> panelTitles = new ArrayList<>();
        List<List<String>> groupNames = new ArrayList<>();
        List<List<List<Plots.Bars>>> panels = new ArrayList<>();
        for (boolean p : new boolean[] {false, true}) {
            List<Scenario> lat = latScenarios(p);
            if (lat.isEmpty()) {
                continue;
            }
            panelTitles.add(p ? "pinned: both processes on CPU 0 (taskset -c 0)" : "unpinned");
            List<String> names = new ArrayList<>();
            List<List<Plots.Bars>> groups = new ArrayList<>();
            for (Scenario s : lat) {
                names.add(s.transport());
                List<Plots.Bars> bars = new ArrayList<>();
                for (String impl : Compare.ALL_IMPLS) {
                    double p50 = lat(s.transport(), p, impl, r -> us(r.p50Ns));
                    if (!Double.isNaN(p50)) {
                        bars.add(new Plots.Bars(impl, p50, lat(s.transport(), p, impl, r -> us(r.p99Ns)), lat(s.transport(), p, impl, r -> us(r.p999Ns))));
                    }
                }
                groups.add(bars);
            }
            groupNames.add(names);
            panels.add(groups);
        }
        if (!panels.isEmpty()) {
            Files.writeString(dir.resolve("perf-latency.svg"),
                    Plots.latency("REQ/REP round-trip latency, " + Compare.sizeLabel(o.latSize), note, panelTitles, groupNames, panels),
                    StandardCharsets.UTF_8);
        }
    }

    String csv() {
        StringBuilder b = new StringBuilder("kind,transport,size,pinned,implementation,repetition,msg_per_s,mb_per_s,one_way_us,rtt_p50_us,rtt_p99_us,"
                + "rtt_p999_us,rtt_max_us,samples\n");
        for (Scenario s : scenarios) {
            for (String impl : Compare.ALL_IMPLS) {
                List<Result> rs = runs(s.key(), impl);
                for (int i = 0; i < rs.size(); i++) {
                    Result r = rs.get(i);
                    b.append(s.kind() == Scenario.Kind.THR ? "throughput" : "latency").append(',').append(s.transport()).append(',').append(s.size())
                            .append(',').append(s.pinned()).append(',').append(impl).append(',').append(i + 1).append(',');
                    if (s.kind() == Scenario.Kind.THR) {
                        b.append(String.format(Locale.ROOT, "%.0f,%.3f,,,,,,", r.msgPerSec(), r.msgPerSec() * s.size() / 1e6));
                    } else {
                        b.append(String.format(Locale.ROOT, ",,%.3f,%.3f,%.3f,%.3f,%.3f,%d", r.oneWayUs(), us(r.p50Ns), us(r.p99Ns), us(r.p999Ns),
                                us(r.maxNs), r.samples));
                    }
                    b.append('\n');
                }
            }
        }
        return b.toString();
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append(o.curve ? "# zmq4j CURVE performance results: side by side with JeroMQ and libzmq\n\n"
                : "# zmq4j performance results: side by side with JeroMQ, libzmq and a raw socket\n\n");
        b.append("<!-- Generated by org.zmq4j.bench.Compare (zmq4j-bench). Do not edit by hand: re-run the command below. -->\n\n");
        if (noisy()) {
            b.append("> **Noisy figures.** ");
            if (o.quick) {
                b.append("Quick mode: one repetition with short windows. ");
            } else if (o.reps < 3) {
                b.append("Fewer than 3 repetitions. ");
            }
            if (Machine.load1(m.loadBefore) > 0.5) {
                b.append("The machine was busy (1-minute load average ").append(m.loadBefore.split(" ")[0])
                        .append(" before, ").append(m.loadAfter.split(" ")[0]).append(" after, on ").append(m.cores)
                        .append(" cores): other processes competed for the CPUs. ");
            }
            b.append("Treat these numbers as indicative; compare ratios, not absolutes, and re-run on an idle machine for real figures.\n\n");
        }
        b.append("Command: `").append(o.command).append("`  \n");
        b.append("Date: ").append(m.date).append(" · wall time ").append(String.format(Locale.ROOT, "%.0f s", m.seconds)).append("  \n");
        b.append("Machine: ").append(m.cpu).append(", ").append(m.cores).append(" cores, ").append(m.kernel).append("; load average ")
                .append(m.loadBefore).append(" before, ").append(m.loadAfter).append(" after  \n");
        b.append("Software: zmq4j (this tree), JeroMQ ").append(m.jeromqVersion).append(", libzmq ").append(m.libzmqVersion)
                .append(" (Debian, C programs in zmq4j-bench/src/main/c built with gcc -O2), ").append(m.jvm).append("  \n");
        b.append("JVM options of every Java process: `").append(String.join(" ", o.jvmArgs))
                .append("` (AlwaysPreTouch: a warmed-up process has touched its heap; a fresh one page-faults on every new page)\n\n");

        b.append("## How it was measured\n\n");
        b.append("- ").append(o.reps).append(" repetition(s), **medians** reported; runs interleaved: every repetition visits every scenario and, within it, "
                + "every implementation, in an order rotated each repetition.\n");
        b.append("- Same settings on every side: SNDHWM = RCVHWM = ").append(o.hwm).append(" on every socket, 1 I/O thread, OS-default socket buffers, "
                + "TCP_NODELAY (all four set it), loopback 127.0.0.1, ipc = an AF_UNIX socket in a temp directory.\n");
        if (o.curve) {
            b.append("- **CURVE on every socket** (`--curve`): the binding side (PULL, REP) is the CURVE server, with a key pair made once per "
                    + "comparison and handed to every process in its environment; the connecting side is a client with a key pair of its own. "
                    + "Every message travels as a CurveZMQ MESSAGE box (XSalsa20-Poly1305): libzmq's from libsodium, JeroMQ's from jnacl "
                    + "(a Java port of NaCl), zmq4j's from its own code (Bouncy Castle's with -Dorg.zmq4j.curve.crypto=bouncycastle in the JVM options; "
                    + "Salsa20 in Vector API lanes with --add-modules jdk.incubator.vector there). The raw-socket "
                    + "reference and inproc (no security mechanism) are not run. A JeroMQ throughput run that fails with \"message of "
                    + "the wrong size\" (33 bytes more than sent) met JeroMQ's open bug zeromq/jeromq#1009: under backpressure its CURVE "
                    + "PULL hands the application a MESSAGE command still boxed; the worker refuses it rather than count it.\n");
        }
        b.append("- tcp and ipc: sender and receiver (client and server) in **separate processes**; inproc: two threads of one process.\n");
        b.append("- Each run discards a warm-up of ").append(o.warmupMs).append(" ms after the first message (latency: and at least ")
                .append(Worker.LAT_WARMUP_MIN).append(" round trips, as the JIT counts calls), then measures a window of ")
                .append(o.durationMs).append(" ms (the sender sends until it is stopped): every run lasts the same time whatever the implementation's "
                        + "speed, instead of a fixed count.\n");
        b.append("- Throughput: PUSH→PULL, counted at the receiver; MB/s = 10^6 payload bytes/s. Latency: REQ/REP round trips of ")
                .append(Compare.sizeLabel(o.latSize)).append(", one-way = mean round trip / 2, percentiles of the round trip.\n");
        b.append("- Pinned: both processes under `taskset -c 0`, so no cross-CPU wake-up (about 25 µs on these VMs); this shows the library's own "
                + "cost. A JVM limited to one CPU picks fewer compiler threads (G1 is forced by the JVM options).\n");
        b.append("- What each side copies: the Java senders allocate a new byte[] per message as an application would; libzmq's sender a new "
                + "zmq_msg_t per message (as its remote_thr). On inproc, zmq4j and JeroMQ hand the array over by reference; libzmq passes the "
                + "zmq_msg_t (no copy for zmq_msg_send). Over tcp/ipc the Java receivers get a new byte[] per message, libzmq's a reused zmq_msg_t.\n");
        b.append("- Raw socket: C programs moving the same payloads with a 4-byte length prefix over the same kind of socket (small messages batched "
                + "into 64 KiB writes, large ones with writev, 256 KiB reads), and a blocking ping-pong: the limit of the kernel path.\n");
        b.append("- JeroMQ's `ipc://` is not a Unix socket: it is TCP on loopback (a port derived from the name), so its ipc cells are marked "
                + "n/a (tcp emulation)").append(o.jeromqIpc ? "; this run measured it anyway (`--jeromq-ipc`), so its ipc figures are TCP figures" : "")
                .append(". JeroMQ cannot reach a libzmq or zmq4j ipc endpoint.\n\n");

        String thr = throughputTable();
        if (!thr.isEmpty()) {
            b.append("## Throughput, PUSH → PULL (medians)\n\n").append(thr).append('\n');
            b.append("Ratios above 1× mean zmq4j is faster. \"of raw\" = fraction of the raw-socket reference moving the same bytes.\n\n");
            for (String t : o.transports) {
                if (thrScenarios().stream().anyMatch(s -> s.transport().equals(t))) {
                    b.append("![throughput over ").append(t).append("](perf-throughput-").append(t).append(".svg)\n\n");
                }
            }
        }
        String cpu = cpuTable();
        if (!cpu.isEmpty()) {
            b.append("## Where the CPU time goes (`--cpu`, medians)\n\n");
            b.append("CPU microseconds per message received, summed over the threads of each role: the application thread, the "
                    + "library's I/O thread(s), the garbage collector, the rest of the JVM (compiler, VM thread). Each cell is user + system "
                    + "time, system time in parentheses; · = under 0.005. Read from /proc/<pid>/task/*/stat (10 ms ticks) between the first "
                    + "sample inside the measuring window and the last one before the receiver exits; \"CPU µs/msg\" is the sum of the "
                    + "cells. With ").append(m.cores).append(" cores there are ").append(m.cores).append(" × 10^6 µs / (msg/s) of CPU per message: "
                    + "a run that used less left CPU idle (it waited on wake-ups or on the other side).\n\n");
            b.append(cpu);
        }
        String lat = latencyTable();
        if (!lat.isEmpty()) {
            b.append("## Latency, REQ/REP ").append(Compare.sizeLabel(o.latSize)).append(" (medians)\n\n").append(lat).append('\n');
            b.append("\"raw ÷ this\" = raw-socket ping-pong one-way latency divided by this one (100% = at the kernel's limit).\n\n");
            b.append("Latency ratios (one-way; **below 1× means zmq4j is faster**):\n\n").append(latencyRatioTable()).append('\n');
            b.append("![latency percentiles](perf-latency.svg)\n\n");
        }
        if (!o.curve) { // issue 7's targets are the plain cells'
            b.append("## Targets of issue 7\n\n");
            b.append(noisy() ? "Indicative only (noisy run; see the warning above).\n\n" : "");
            b.append(targetsTable()).append('\n');
        }
        b.append("## Notes\n\n");
        if (unavailable.isEmpty() && failures.isEmpty()) {
            b.append("- Every run completed.\n");
        }
        unavailable.values().forEach(v -> b.append("- ").append(v).append('\n'));
        failures.forEach(f -> b.append("- failed: ").append(f.replace("|", "\\|")).append('\n'));
        b.append("- Every repetition's figures: [performance-results.csv](performance-results.csv).\n");
        return b.toString();
    }
}
