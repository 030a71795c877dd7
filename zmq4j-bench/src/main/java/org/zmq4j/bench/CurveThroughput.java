package org.zmq4j.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.zmq4j.Context;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * CURVE throughput (PUSH→PULL over tcp) and, optionally, CURVE REQ/REP latency, zmq4j beside
 * libzmq in one run. Each side's two peers are separate processes.
 * <ul>
 * <li>Throughput: the receiver times the last three quarters of the messages (the first quarter
 * warms the JIT up; the C side follows the same rule). While a pair runs, {@link CpuSampler}
 * reads both processes' per-thread CPU time, printed as microseconds per message by side and
 * thread role (app, io, gc, other), user + system.</li>
 * <li>Latency (when {@code roundtrips > 0}): REQ connects to REP, both CURVE, messages of the same
 * size; the requester times the last three quarters of the round trips and reports the mean
 * one-way latency (round trip / 2), as libzmq's remote_lat does.</li>
 * </ul>
 * <pre>
 * java -cp zmq4j-bench.jar org.zmq4j.bench.CurveThroughput &lt;cbin-dir&gt; [size] [count] [repetitions] [roundtrips]
 * </pre>
 * The libzmq side is {@code zmq_curve_thr} (src/main/c), compiled into the cbin directory
 * ({@code gcc -O2 -o cbin/zmq_curve_thr zmq_curve_thr.c -lzmq}). Repetitions alternate zmq4j and
 * libzmq; medians are printed. {@code -Dorg.zmq4j.curve.crypto=bouncycastle},
 * {@code -Dorg.zmq4j.curve.vector=true|loops|false} and {@code --add-modules jdk.incubator.vector}
 * (the vector Salsa20 path) on this command are passed on to zmq4j's processes, and so is
 * {@code -Dorg.zmq4j.bench.timeline=N}, which makes zmq4j's receiver print its rate over every N
 * messages (the JIT's warm-up) to standard error.
 * <p>
 * Not thread-safe; a command-line program.
 */
public final class CurveThroughput {
    /**
     * With a message count N ({@code -Dorg.zmq4j.bench.timeline=20000}), zmq4j's receiver prints
     * its rate over every N messages to standard error: the JIT's warm-up, run by run.
     */
    static final String TIMELINE = "org.zmq4j.bench.timeline";

    private CurveThroughput() {
    }

    /** One throughput pair's result: the rate and the CPU breakdown (null when not sampled). */
    private record Run(double rate, Map<String, double[]> cpu) {
    }

    /**
     * Runs the comparison, or one side of zmq4j's pair when called as a child process.
     *
     * @param args {@code cbin [size] [count] [reps] [roundtrips]}, or {@code recv|send|rep|req endpoint size count key}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("recv") || args[0].equals("send")) {
            side(args);
            return;
        }
        if (args[0].equals("rep") || args[0].equals("req")) {
            latencySide(args);
            return;
        }
        String cbin = args[0];
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int roundtrips = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        List<Run> ours = new ArrayList<>();
        List<Run> theirs = new ArrayList<>();
        List<Double> ourLatency = new ArrayList<>();
        List<Double> theirLatency = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            Run a = pair(javaCommand(), size, count, 61100 + r * 4);
            Run b = pair(List.of(new File(cbin, "zmq_curve_thr").getPath()), size, count, 61101 + r * 4);
            ours.add(a);
            theirs.add(b);
            System.out.printf("  round %d: zmq4j %.0f msg/s %s | libzmq %.0f msg/s %s%n", r + 1, a.rate, cpuLine(a.cpu),
                    b.rate, cpuLine(b.cpu));
            if (roundtrips > 0) {
                double la = latency(javaCommand(), size, roundtrips, 61102 + r * 4);
                double lb = latency(List.of(new File(cbin, "zmq_curve_thr").getPath()), size, roundtrips, 61103 + r * 4);
                ourLatency.add(la);
                theirLatency.add(lb);
                System.out.printf("  round %d: REQ/REP one-way latency zmq4j %.2f us | libzmq %.2f us%n", r + 1, la, lb);
            }
        }
        double a = median(rates(ours));
        double b = median(rates(theirs));
        System.out.printf("CURVE PUSH->PULL tcp, %d x %d B, median of %d: zmq4j %.0f msg/s (%.1f MB/s), libzmq %.0f msg/s (%.1f MB/s), "
                + "zmq4j/libzmq %.2fx%n", count, size, reps, a, a * size / 1e6, b, b * size / 1e6, a / b);
        System.out.printf("  CPU us/msg (user+sys), medians: zmq4j %s%n", cpuLine(medianCpu(ours)));
        System.out.printf("  CPU us/msg (user+sys), medians: libzmq %s%n", cpuLine(medianCpu(theirs)));
        if (roundtrips > 0) {
            double la = median(ourLatency);
            double lb = median(theirLatency);
            System.out.printf("CURVE REQ/REP tcp, %d round trips of %d B, median of %d: one-way latency zmq4j %.2f us, libzmq %.2f us, "
                    + "zmq4j/libzmq %.2fx%n", roundtrips, size, reps, la, lb, la / lb);
        }
    }

    private static List<String> javaCommand() {
        String java = System.getProperty("java.home") + "/bin/java";
        List<String> command = new ArrayList<>(List.of(java, "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"));
        for (String property : List.of("org.zmq4j.curve.crypto", "org.zmq4j.curve.vector", TIMELINE)) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value);
            }
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CurveThroughput.class.getName()));
        return command;
    }

    /** Starts the server peer ({@code roles[0]}, binding) and the client peer ({@code roles[1]}) of one run. */
    private static Process[] start(List<String> command, String[] roles, int size, int count, int port) throws Exception {
        CurveKeyPair server = CurveKeyPair.generate();
        String endpoint = "tcp://127.0.0.1:" + port;
        Process[] peers = new Process[2];
        for (int i = 0; i < 2; i++) {
            List<String> c = new ArrayList<>(command);
            c.addAll(List.of(roles[i], endpoint, Integer.toString(size), Integer.toString(count),
                    i == 0 ? server.secretKeyZ85() : server.publicKeyZ85()));
            peers[i] = new ProcessBuilder(c).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        }
        return peers;
    }

    /** The first line {@code printer} writes, once both peers have exited. */
    private static String result(Process printer, Process other) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(printer.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        printer.waitFor();
        other.waitFor();
        if (line == null) {
            throw new IllegalStateException("a benchmark peer printed nothing: " + printer.info().commandLine().orElse("?"));
        }
        return line.trim();
    }

    private static Run pair(List<String> command, int size, int count, int port) throws Exception {
        Process[] peers = start(command, new String[] {"recv", "send"}, size, count, port);
        Map<String, Long> sides = new LinkedHashMap<>();
        sides.put("send", peers[1].pid());
        sides.put("recv", peers[0].pid());
        CpuSampler sampler = CpuSampler.available() ? new CpuSampler(sides) : null;
        try {
            String line = result(peers[0], peers[1]);
            long exitNanos = System.nanoTime();
            double rate = Double.parseDouble(line.split(" ")[0]);
            long windowNs = (long) ((count - count / 4) / rate * 1e9);
            return new Run(rate, sampler == null ? null : sampler.perMessage(exitNanos, windowNs, rate));
        } finally {
            if (sampler != null) {
                sampler.close();
            }
        }
    }

    private static double latency(List<String> command, int size, int roundtrips, int port) throws Exception {
        Process[] peers = start(command, new String[] {"rep", "req"}, size, roundtrips, port);
        return Double.parseDouble(result(peers[1], peers[0]));
    }

    private static void side(String[] a) {
        boolean receiving = a[0].equals("recv");
        int size = Integer.parseInt(a[2]);
        int count = Integer.parseInt(a[3]);
        try (Context ctx = new Context(); Socket s = ctx.socket(receiving ? SocketType.PULL : SocketType.PUSH)) {
            if (receiving) {
                s.setOption(Option.CURVE_SERVER, true);
                s.setOption(Option.CURVE_SECRETKEY, a[4].getBytes(StandardCharsets.US_ASCII));
                s.bind(a[1]);
                // the first quarter is warm-up (JIT), as in zmq_curve_thr.c; zmq_recv-style receive
                byte[] buffer = new byte[Math.max(1, size)];
                int warm = count / 4;
                int step = Integer.getInteger(TIMELINE, 0);
                long[] marks = step > 0 ? new long[count / step + 1] : null;
                long start = 0;
                for (int i = 0; i < warm; i++) {
                    s.recv(buffer, 0, buffer.length, 0);
                    if (i == 0) {
                        start = System.nanoTime(); // the timeline starts at the first message
                    }
                    mark(marks, step, i);
                }
                long t0 = System.nanoTime();
                if (warm == 0) {
                    start = t0;
                }
                for (int i = warm; i < count; i++) {
                    s.recv(buffer, 0, buffer.length, 0);
                    mark(marks, step, i);
                }
                double dt = (System.nanoTime() - t0) / 1e9;
                int timed = count - warm;
                System.out.printf("%.0f %.1f%n", timed / dt, timed * (double) size / dt / 1e6);
                if (marks != null) { // on standard error: the parent reads the first line of standard output
                    System.err.println("  zmq4j receiver, " + timeline(marks, start, step, warm));
                }
            } else {
                CurveKeyPair client = CurveKeyPair.generate();
                s.setOption(Option.CURVE_SERVERKEY, a[4].getBytes(StandardCharsets.US_ASCII));
                s.setOption(Option.CURVE_SECRETKEY, client.secretKey());
                s.connect(a[1]);
                byte[] buffer = new byte[size];
                for (int i = 0; i < count; i++) {
                    s.send(buffer, 0, size, 0); // zmq_send-style, as zmq_curve_thr.c
                }
            }
        }
    }

    /** Notes when message {@code i} (counted from 0) arrived if it ends a timeline step. */
    private static void mark(long[] marks, int step, int i) {
        if (marks != null && (i + 1) % step == 0) {
            marks[(i + 1) / step] = System.nanoTime();
        }
    }

    /**
     * The receiver's rate over each {@code step} messages, timed from the first message's arrival:
     * {@code "msg/s per 20000 messages: 12k 68k | 88k ... (3.35 s in all)"}, a bar where the timed
     * part begins. Shows how long the JIT takes to reach the steady rate.
     *
     * @param marks {@code marks[k]}: when message {@code k * step} arrived (nanoTime), 0 when not reached
     * @param start when the first message arrived (the first step holds one message fewer)
     * @param step  messages per step
     * @param warm  untimed messages at the start
     * @return one line
     */
    static String timeline(long[] marks, long start, int step, int warm) {
        StringBuilder b = new StringBuilder("msg/s per " + step + " messages:");
        long last = start;
        boolean timed = false;
        for (int k = 1; k < marks.length && marks[k] != 0; k++) {
            if (!timed && (long) k * step > warm) { // this step holds the first timed message
                b.append(" |");
                timed = true;
            }
            int messages = k == 1 && warm > 0 ? step - 1 : step;
            b.append(String.format(Locale.ROOT, " %.0fk", messages / ((marks[k] - last) / 1e9) / 1e3));
            last = marks[k];
        }
        return b.append(String.format(Locale.ROOT, " (%.2f s in all)", (last - start) / 1e9)).toString();
    }

    private static void latencySide(String[] a) {
        boolean replying = a[0].equals("rep");
        int size = Integer.parseInt(a[2]);
        int count = Integer.parseInt(a[3]);
        byte[] buffer = new byte[Math.max(1, size)];
        try (Context ctx = new Context(); Socket s = ctx.socket(replying ? SocketType.REP : SocketType.REQ)) {
            if (replying) {
                s.setOption(Option.CURVE_SERVER, true);
                s.setOption(Option.CURVE_SECRETKEY, a[4].getBytes(StandardCharsets.US_ASCII));
                s.bind(a[1]);
                for (int i = 0; i < count; i++) {
                    s.recv(buffer, 0, buffer.length, 0);
                    s.send(buffer, 0, size, 0);
                }
            } else {
                CurveKeyPair client = CurveKeyPair.generate();
                s.setOption(Option.CURVE_SERVERKEY, a[4].getBytes(StandardCharsets.US_ASCII));
                s.setOption(Option.CURVE_SECRETKEY, client.secretKey());
                s.connect(a[1]);
                int warm = count / 4;
                long t0 = 0;
                for (int i = 0; i < count; i++) {
                    if (i == warm) {
                        t0 = System.nanoTime();
                    }
                    s.send(buffer, 0, size, 0);
                    s.recv(buffer, 0, buffer.length, 0);
                }
                double us = (System.nanoTime() - t0) / 1e3;
                System.out.printf("%.2f%n", us / (count - warm) / 2);
            }
        }
    }

    /** "recv app 1.2+0.1 io ... | send ..." for the busy roles, or "(no CPU figures)". */
    private static String cpuLine(Map<String, double[]> cpu) {
        if (cpu == null) {
            return "(no CPU figures)";
        }
        StringBuilder b = new StringBuilder("[");
        String lastSide = null;
        double total = 0;
        for (Map.Entry<String, double[]> e : cpu.entrySet()) {
            String[] sideRole = e.getKey().split(" ");
            if (!sideRole[0].equals(lastSide)) {
                b.append(lastSide == null ? "" : "; ").append(sideRole[0]);
                lastSide = sideRole[0];
            }
            double[] v = e.getValue();
            total += v[0] + v[1];
            b.append(String.format(" %s %.2f+%.2f", sideRole[1], v[0], v[1]));
        }
        return b.append(String.format("; total %.2f us/msg]", total)).toString();
    }

    private static Map<String, double[]> medianCpu(List<Run> runs) {
        Map<String, double[]> out = new LinkedHashMap<>();
        List<Map<String, double[]>> sampled = new ArrayList<>();
        for (Run r : runs) {
            if (r.cpu != null) {
                sampled.add(r.cpu);
            }
        }
        if (sampled.isEmpty()) {
            return null;
        }
        for (String key : sampled.get(0).keySet()) {
            List<Double> user = new ArrayList<>();
            List<Double> sys = new ArrayList<>();
            for (Map<String, double[]> m : sampled) {
                double[] v = m.getOrDefault(key, new double[2]);
                user.add(v[0]);
                sys.add(v[1]);
            }
            out.put(key, new double[] {median(user), median(sys)});
        }
        return out;
    }

    private static List<Double> rates(List<Run> runs) {
        List<Double> out = new ArrayList<>();
        for (Run r : runs) {
            out.add(r.rate);
        }
        return out;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
