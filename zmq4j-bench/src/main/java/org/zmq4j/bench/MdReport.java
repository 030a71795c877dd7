package org.zmq4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.zmq4j.bench.MajordomoBench.Cell;
import org.zmq4j.bench.MajordomoBench.Run;

/**
 * The Majordomo benchmark's report: medians of the repetitions (requests per second), the ratios of
 * issue 15's goals, CPU per request by role, every repetition; markdown and csv.
 */
final class MdReport {
    static final String MD = "majordomo-bench-results.md";
    static final String CSV = "majordomo-bench-results.csv";

    private final MajordomoBench.Options o;
    private final Machine m;
    private final List<String> stacks;
    private final MajordomoBench bench;

    MdReport(MajordomoBench.Options o, Machine m, List<String> stacks, MajordomoBench bench) {
        this.o = o;
        this.m = m;
        this.stacks = stacks;
        this.bench = bench;
    }

    static String title(String stack) {
        switch (stack) {
            case "zmq4j": return "zmq4j broker";
            case "direct": return "direct zmq4j";
            case "zguide": return "zguide C broker";
            case "direct-libzmq": return "direct libzmq";
            case "majortomo": return "majortomo";
            case "zmq4j-cpeers": return "zmq4j broker, C peers";
            default: return stack;
        }
    }

    static String describe(String stack) {
        switch (stack) {
            case "zmq4j": return "zmq4j's `MajordomoBroker` (own JVM) with `MajordomoClient`s (one JVM, a thread each) and `MajordomoWorker`s (one JVM, a thread each), MDP/0.1";
            case "direct": return "no broker: zmq4j DEALERs (one JVM, a thread each, each connected to every worker, round robin) to echoing ROUTERs (one JVM, a ROUTER and thread per worker)";
            case "zguide": return "the zguide's C `mdbroker.c` with `mdcliapi.c` clients and `mdwrkapi.c` workers (one process each for clients and workers, a thread and czmq context per client or worker), czmq 4 with `zguide_czmq3_compat.h`";
            case "direct-libzmq": return "no broker, in C on libzmq: the same DEALER-to-ROUTER layout as *direct zmq4j* (`zmq_md_direct.c`, one context per process)";
            case "majortomo": return "majortomo's Python `Broker` with its `Client`s and `Worker`s (pyzmq; one process per client and per worker)";
            case "zmq4j-cpeers": return "zmq4j's broker (own JVM) with the zguide's C clients and workers (as in *zguide C broker*)";
            default: return stack;
        }
    }

    // ------------------------------------------------------------------ medians

    private List<Run> runs(Cell c, String stack) {
        Map<String, List<Run>> byStack = bench.results.get(c.key());
        return byStack == null ? List.of() : byStack.getOrDefault(stack, List.of());
    }

    static double median(List<Run> rs, ToDoubleFunction<Run> f) {
        double[] v = rs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        int n = v.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    double rate(Cell c, String stack) {
        return median(runs(c, stack), Run::rate);
    }

    private long errors(Cell c, String stack) {
        return runs(c, stack).stream().mapToLong(Run::errors).sum();
    }

    private String rateCell(Cell c, String stack) {
        double r = rate(c, stack);
        if (Double.isNaN(r)) {
            return "failed";
        }
        long e = errors(c, stack);
        return Compare.si(r) + (e > 0 ? " (" + e + " timeouts)" : "");
    }

    private String ratio(Cell c, String a, String b) {
        if (!stacks.contains(a) || !stacks.contains(b)) {
            return "n/a";
        }
        double x = rate(c, a);
        double y = rate(c, b);
        return Double.isNaN(x) || Double.isNaN(y) ? "n/a" : String.format(Locale.ROOT, "%.2f×", x / y);
    }

    // ------------------------------------------------------------------ tables

    String rateTable() {
        StringBuilder sb = new StringBuilder("| cell |");
        for (String s : stacks) {
            sb.append(' ').append(title(s)).append(" |");
        }
        sb.append("\n|---|");
        sb.append("---:|".repeat(stacks.size()));
        sb.append('\n');
        for (Cell c : o.cells) {
            sb.append("| ").append(c.label()).append(" |");
            for (String s : stacks) {
                sb.append(' ').append(rateCell(c, s)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    String ratioTable() {
        StringBuilder sb = new StringBuilder(
                "| cell | zmq4j ÷ zguide C (goal ≥ 1) | direct zmq4j ÷ zmq4j broker (goal < 2) | zmq4j ÷ majortomo | zmq4j broker, C peers ÷ zguide C | direct libzmq ÷ zguide C |\n"
                        + "|---|---:|---:|---:|---:|---:|\n");
        for (Cell c : o.cells) {
            sb.append("| ").append(c.label()).append(" | ").append(ratio(c, "zmq4j", "zguide")).append(" | ").append(ratio(c, "direct", "zmq4j"))
                    .append(" | ").append(ratio(c, "zmq4j", "majortomo")).append(" | ").append(ratio(c, "zmq4j-cpeers", "zguide"))
                    .append(" | ").append(ratio(c, "direct-libzmq", "zguide")).append(" |\n");
        }
        return sb.toString();
    }

    /** Per cell and stack: CPU µs per request of each role, and the broker's cores in use. */
    String cpuTable() {
        StringBuilder sb = new StringBuilder("| cell | stack | req/s | broker cores | broker µs/req | workers µs/req | clients µs/req | all µs/req "
                + "| of which JIT: broker | JIT: workers + clients |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Cell c : o.cells) {
            for (String s : stacks) {
                List<Run> rs = runs(c, s);
                if (rs.isEmpty()) {
                    continue;
                }
                boolean brokered = !s.startsWith("direct");
                double cores = median(rs, r -> r.cores(r.brokerCpu()));
                double b = median(rs, r -> r.perRequest(r.brokerCpu()));
                double w = median(rs, r -> r.perRequest(r.workersCpu()));
                double cl = median(rs, r -> r.perRequest(r.clientsCpu()));
                double all = median(rs, r -> r.perRequest(r.brokerCpu() + r.workersCpu() + r.clientsCpu()));
                double bj = median(rs, r -> r.perRequest(r.brokerJit()));
                double pj = median(rs, r -> r.perRequest(r.peersJit()));
                sb.append("| ").append(c.label()).append(" | ").append(title(s)).append(" | ").append(Compare.si(rate(c, s))).append(" | ")
                        .append(brokered ? fmt(cores) : "·").append(" | ").append(brokered ? fmt(b) : "·").append(" | ").append(fmt(w))
                        .append(" | ").append(fmt(cl)).append(" | ").append(fmt(all)).append(" | ").append(brokered && bj > 0 ? fmt(bj) : "·")
                        .append(" | ").append(pj > 0 ? fmt(pj) : "·").append(" |\n");
            }
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "?" : Compare.fmt(v);
    }

    private String repsTable() {
        StringBuilder sb = new StringBuilder("| cell | stack | req/s of each repetition, in run order |\n|---|---|---|\n");
        for (Cell c : o.cells) {
            for (String s : stacks) {
                List<Run> rs = runs(c, s);
                StringBuilder v = new StringBuilder();
                for (Run r : rs) {
                    v.append(v.length() == 0 ? "" : ", ").append(Compare.si(r.rate()));
                }
                sb.append("| ").append(c.label()).append(" | ").append(title(s)).append(" | ").append(rs.isEmpty() ? "none" : v).append(" |\n");
            }
        }
        return sb.toString();
    }

    private String goals() {
        StringBuilder sb = new StringBuilder();
        for (Cell c : o.cells) {
            double z = rate(c, "zmq4j");
            double g = stacks.contains("zguide") ? rate(c, "zguide") : Double.NaN;
            double d = stacks.contains("direct") ? rate(c, "direct") : Double.NaN;
            sb.append("- ").append(c.label()).append(": ");
            sb.append(Double.isNaN(z) || Double.isNaN(g) ? "vs the C broker: not measured" : String.format(Locale.ROOT,
                    "%.2f× the C broker (%s)", z / g, z >= g ? "met" : "missed"));
            sb.append("; ");
            sb.append(Double.isNaN(z) || Double.isNaN(d) ? "overhead: not measured" : String.format(Locale.ROOT,
                    "overhead over direct %.2f× (%s)", d / z, d / z < 2 ? "met" : "missed"));
            sb.append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ files

    void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(MD), markdown(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(CSV), csv(), StandardCharsets.UTF_8);
    }

    private String csv() {
        StringBuilder sb = new StringBuilder("clients,workers,size,stack,repetition,replies,errors,window_ms,req_per_s,cpu_ms,broker_cpu_s,workers_cpu_s,clients_cpu_s,broker_jit_s,peers_jit_s\n");
        for (Cell c : o.cells) {
            for (String s : stacks) {
                int i = 0;
                for (Run r : runs(c, s)) {
                    sb.append(String.format(Locale.ROOT, "%d,%d,%d,%s,%d,%d,%d,%d,%.1f,%d,%.2f,%.2f,%.2f,%.2f,%.2f%n", c.clients(), c.workers(), c.size(), s,
                            ++i, r.replies(), r.errors(), r.windowMs(), r.rate(), r.cpuMs(), r.brokerCpu(), r.workersCpu(), r.clientsCpu(),
                            r.brokerJit(), r.peersJit()));
                }
            }
        }
        return sb.toString();
    }

    private String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Majordomo benchmark results\n\n");
        sb.append("Generated by `org.zmq4j.bench.MajordomoBench` (zmq4j-bench); how to read it: docs/majordomo-bench.md.\n\n");
        sb.append("```sh\n").append(o.command).append("\n```\n\n");
        sb.append("## Machine and software\n\n");
        sb.append("| | |\n|---|---|\n");
        sb.append("| date (UTC) | ").append(m.date).append(" |\n");
        sb.append("| CPU | ").append(m.cpu).append(", ").append(m.cores).append(" cores |\n");
        sb.append("| OS | ").append(m.kernel).append(" |\n");
        sb.append("| JVM | ").append(m.jvm).append(", options `").append(String.join(" ", o.jvmArgs)).append("` |\n");
        bench.versions.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        sb.append("| load average before / after | ").append(m.loadBefore).append(" / ").append(m.loadAfter).append(" |\n");
        sb.append(String.format(Locale.ROOT, "| run time | %.0f s |%n%n", m.seconds));
        sb.append("## Settings\n\n");
        sb.append(String.format(Locale.ROOT, "- %d repetition(s); each visits every cell and, within a cell, every stack in an order rotated per repetition; medians are reported.%n", o.reps));
        sb.append(String.format(Locale.ROOT, "- Each run starts fresh processes (broker, workers, clients at once: peers reconnect until the broker listens, and it queues requests until a worker registers); once every client has had a reply, %d ms of warm-up, then a %d ms window: the replies completed inside it, over its length.%n",
                o.warmupMs, o.durationMs));
        sb.append("- Clients are synchronous: one request in flight each, the next sent when its reply is in; a request with no reply within "
                + MdLoad.TIMEOUT.toSeconds() + " s after a client's first reply counts as a timeout and is not retried. Workers echo the request's frames. Service `"
                + MajordomoBench.SERVICE + "`, loopback tcp, default heartbeats (2.5 s).\n");
        sb.append("- CPU: user + system time of each role's processes (whole processes: JIT and GC threads included), from /proc (10 ms ticks), "
                + "over the window less its last 200 ms (clients may exit right at its end); cores = CPU seconds per second, µs/req = CPU per request at the window's rate; "
                + "*of which JIT* is the part of HotSpot's compiler threads (C1/C2 CompilerThread): a JVM still compiling in the window was not warm yet.\n\n");
        sb.append("Stacks:\n\n");
        for (String s : stacks) {
            sb.append("- **").append(title(s)).append("**: ").append(describe(s)).append(".\n");
        }
        if (!bench.unavailable.isEmpty()) {
            sb.append("\nSkipped (not measured, nothing is estimated in their place):\n\n");
            bench.unavailable.forEach((k, v) -> sb.append("- **").append(title(k)).append("**: ").append(v).append('\n'));
        }
        sb.append("\n## Requests per second (medians)\n\n").append(rateTable());
        sb.append("\n## Ratios (of the medians)\n\n").append(ratioTable());
        sb.append("\nGoals of issue 15 (zmq4j broker at least as fast as the C broker; broker overhead over direct DEALER-ROUTER under 2×):\n\n")
                .append(goals());
        sb.append("\n## CPU per request (medians)\n\n").append(cpuTable());
        sb.append("\n## Every repetition\n\n").append(repsTable());
        if (!bench.warnings.isEmpty()) {
            sb.append("\n## Warnings the processes printed (runs kept)\n\n");
            for (String w : bench.warnings) {
                sb.append("- ").append(w.replace("|", "\\|")).append('\n');
            }
        }
        if (!bench.failures.isEmpty()) {
            sb.append("\n## Failed runs\n\n");
            for (String f : bench.failures) {
                sb.append("- ").append(f.replace("|", "\\|")).append('\n');
            }
        }
        return sb.toString();
    }
}
