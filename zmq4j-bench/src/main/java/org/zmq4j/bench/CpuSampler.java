package org.zmq4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a throughput run's CPU time goes: per-thread user and system time of the benchmark
 * processes, read from {@code /proc/<pid>/task/<tid>/stat} every {@value #PERIOD_MS} ms while
 * they run, then turned into microseconds per message for each side (receiver, sender) and thread
 * role (the application thread, the library's I/O thread, the garbage collector, the rest of the
 * JVM).
 * <p>
 * The receiver's result gives the measuring window (it ends when the receiver exits and lasts
 * {@link Result#elapsedNs}); the sampler takes the first snapshot inside that window and the last
 * one before the exit, and divides each thread's CPU time between them by the messages received
 * in that span (the measured rate times its length). Linux counts thread time in clock ticks of
 * 10 ms (USER_HZ 100), so windows of a few seconds are needed for a figure to a few percent:
 * {@code --cpu} makes the measuring window 3 s unless {@code --duration-ms} says otherwise.
 */
final class CpuSampler implements AutoCloseable {
    /** Sampling period. */
    static final long PERIOD_MS = 100;
    /** Shortest span between the two snapshots used, or no figure. */
    private static final long MIN_SPAN_NS = 500_000_000L;
    /** Microseconds per clock tick (USER_HZ 100 on Linux). */
    private static final double TICK_US = 10_000;
    /** The thread roles, in table order. */
    static final List<String> ROLES = List.of("app", "io", "gc", "other");

    /** One reading: when, and each thread's role and (user, system) ticks, by "side/tid". */
    private record Snapshot(long nanos, Map<String, String> roles, Map<String, long[]> ticks) {
    }

    private final Map<String, Long> sides;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Starts sampling.
     *
     * @param sides the processes by side name ("recv", "send", or "proc" for an inproc run)
     */
    CpuSampler(Map<String, Long> sides) {
        this.sides = new LinkedHashMap<>(sides);
        thread = new Thread(this::loop, "cpu-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether this machine has per-thread CPU times in /proc. */
    static boolean available() {
        return Files.isReadable(Paths.get("/proc/self/task"));
    }

    private void loop() {
        while (running) {
            Snapshot s = read();
            synchronized (snapshots) {
                snapshots.add(s);
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Snapshot read() {
        long now = System.nanoTime();
        Map<String, String> roles = new HashMap<>();
        Map<String, long[]> ticks = new HashMap<>();
        for (Map.Entry<String, Long> side : sides.entrySet()) {
            long pid = side.getValue();
            Path tasks = Paths.get("/proc", Long.toString(pid), "task");
            List<Path> threads = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
                dir.forEach(threads::add);
            } catch (IOException | RuntimeException e) {
                continue; // the process has exited: this snapshot lacks it
            }
            String mainName;
            try {
                mainName = read(Paths.get("/proc", Long.toString(pid), "comm")).trim();
            } catch (IOException e) {
                continue;
            }
            for (Path task : threads) {
                String tid = task.getFileName().toString();
                try {
                    long[] t = parseTicks(read(task.resolve("stat")));
                    if (t != null) {
                        String key = side.getKey() + "/" + tid;
                        String name = read(task.resolve("comm")).trim();
                        ticks.put(key, t);
                        roles.put(key, role(name, Long.parseLong(tid) == pid || name.equals(mainName)));
                    }
                } catch (IOException | RuntimeException e) {
                    // this thread has just exited
                }
            }
        }
        return new Snapshot(now, roles, ticks);
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.US_ASCII);
    }

    /** utime and stime (fields 14 and 15) of a stat line; the name in parentheses may hold spaces. */
    static long[] parseTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        if (f.length < 13) {
            return null;
        }
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    /**
     * The role of a thread by its name: zmq4j's, JeroMQ's and libzmq's I/O threads, HotSpot's
     * collector threads, and the application (a Java main thread is named "java"; a C program's
     * threads carry the program's name unless they set another; the inproc runs' second Java
     * thread is "pusher" or "replier").
     *
     * @param name       the thread's name (comm)
     * @param mainThread whether it is the process's first thread or carries the process's name
     */
    static String role(String name, boolean mainThread) {
        if (name.startsWith("zmq4j-io") || name.startsWith("iothread") || name.startsWith("ZMQbg/IO")) {
            return "io";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("GC_")) {
            return "gc";
        }
        if (mainThread || name.equals("java") || name.equals("pusher") || name.equals("replier")) {
            return "app";
        }
        return "other";
    }

    /**
     * CPU microseconds per message, by "side role" ("recv io", ...), each {user, system}; null
     * when the snapshots do not span enough of the measuring window.
     *
     * @param exitNanos    when the receiver exited ({@link System#nanoTime()})
     * @param windowNs     the receiver's measuring window
     * @param msgPerSecond the receiver's measured rate
     */
    Map<String, double[]> perMessage(long exitNanos, long windowNs, double msgPerSecond) {
        List<Snapshot> all;
        synchronized (snapshots) {
            all = new ArrayList<>(snapshots);
        }
        long start = exitNanos - windowNs;
        Snapshot a = null;
        Snapshot b = null;
        for (Snapshot s : all) {
            if (s.nanos < start || s.nanos > exitNanos) {
                continue;
            }
            if (a == null) {
                if (s.roles.containsValue("app")) {
                    a = s;
                }
            } else if (stillRunning(a, s)) {
                b = s; // an exiting process loses its threads: the last complete snapshot ends the span
            }
        }
        if (a == null || b == null || b.nanos - a.nanos < MIN_SPAN_NS) {
            return null;
        }
        double messages = msgPerSecond * (b.nanos - a.nanos) / 1e9;
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String side : sides.keySet()) {
            for (String role : ROLES) {
                out.put(side + " " + role, new double[2]);
            }
        }
        for (Map.Entry<String, long[]> e : b.ticks.entrySet()) {
            long[] before = a.ticks.get(e.getKey());
            if (before == null) {
                continue; // a thread that started inside the span: its time is not split reliably
            }
            String side = e.getKey().substring(0, e.getKey().indexOf('/'));
            double[] cell = out.get(side + " " + b.roles.get(e.getKey()));
            cell[0] += (e.getValue()[0] - before[0]) * TICK_US / messages;
            cell[1] += (e.getValue()[1] - before[1]) * TICK_US / messages;
        }
        return out;
    }

    /** Whether every application and I/O thread of snapshot {@code a} is still there in {@code s}. */
    private static boolean stillRunning(Snapshot a, Snapshot s) {
        for (Map.Entry<String, String> e : a.roles.entrySet()) {
            boolean busy = e.getValue().equals("app") || e.getValue().equals("io");
            if (busy && !s.ticks.containsKey(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
