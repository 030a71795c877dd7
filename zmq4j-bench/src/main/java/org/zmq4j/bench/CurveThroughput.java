package org.zmq4j.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.zmq4j.Context;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * CURVE throughput, PUSH→PULL over tcp, zmq4j beside libzmq in one run: each side's sender and
 * receiver are separate processes; the receiver times the last three quarters of the messages (the
 * first quarter warms the JIT up; the C side follows the same rule).
 * <pre>
 * java -cp zmq4j-bench.jar org.zmq4j.bench.CurveThroughput &lt;cbin-dir&gt; [size] [count] [repetitions]
 * </pre>
 * The libzmq side is {@code zmq_curve_thr} (src/main/c), built by run.sh into the cbin directory.
 */
public final class CurveThroughput {
    private CurveThroughput() {
    }

    /**
     * Runs the comparison, or one side of zmq4j's pair when called as a child process.
     *
     * @param args {@code cbin [size] [count] [reps]}, or {@code recv|send endpoint size count key}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("recv") || args[0].equals("send")) {
            side(args);
            return;
        }
        String cbin = args[0];
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            ours.add(pair(javaCommand(), size, count, 61100 + r * 2));
            theirs.add(pair(List.of(new File(cbin, "zmq_curve_thr").getPath()), size, count, 61101 + r * 2));
        }
        double a = median(ours);
        double b = median(theirs);
        System.out.printf("CURVE PUSH->PULL tcp, %d x %d B, median of %d: zmq4j %.0f msg/s (%.1f MB/s), libzmq %.0f msg/s (%.1f MB/s), "
                + "zmq4j/libzmq %.2fx%n", count, size, reps, a, a * size / 1e6, b, b * size / 1e6, a / b);
    }

    private static List<String> javaCommand() {
        String java = System.getProperty("java.home") + "/bin/java";
        return List.of(java, "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"),
                CurveThroughput.class.getName());
    }

    private static double pair(List<String> command, int size, int count, int port) throws Exception {
        CurveKeyPair server = CurveKeyPair.generate();
        String endpoint = "tcp://127.0.0.1:" + port;
        List<String> recv = new ArrayList<>(command);
        recv.addAll(List.of("recv", endpoint, Integer.toString(size), Integer.toString(count), server.secretKeyZ85()));
        List<String> send = new ArrayList<>(command);
        send.addAll(List.of("send", endpoint, Integer.toString(size), Integer.toString(count), server.publicKeyZ85()));
        Process receiver = new ProcessBuilder(recv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Process sender = new ProcessBuilder(send).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        receiver.waitFor();
        sender.waitFor();
        if (line == null) {
            throw new IllegalStateException("receiver printed nothing: " + recv);
        }
        return Double.parseDouble(line.trim().split(" ")[0]);
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
                for (int i = 0; i < warm; i++) {
                    s.recv(buffer, 0, buffer.length, 0);
                }
                long t0 = System.nanoTime();
                for (int i = warm; i < count; i++) {
                    s.recv(buffer, 0, buffer.length, 0);
                }
                double dt = (System.nanoTime() - t0) / 1e9;
                int timed = count - warm;
                System.out.printf("%.0f %.1f%n", timed / dt, timed * (double) size / dt / 1e6);
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

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
