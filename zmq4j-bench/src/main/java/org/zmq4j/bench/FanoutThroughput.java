package org.zmq4j.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * PUB fan-out over tcp, zmq4j beside libzmq in one run: one publisher process, one process holding
 * N SUB sockets polled together; messages delivered per second summed over all subscribers, timed
 * from the first message. HWM 0 on both sides so nothing is dropped and every subscriber gets every
 * message (the same on both sides). Timing starts at the first message, so the Java side's JIT
 * warm-up is inside the measurement: the default count (100,000 messages, 10M deliveries to 100
 * subscribers) makes it a small part; with 20,000 it dominated (zmq4j 0.91x libzmq, against
 * 1.37-1.97x with 100,000 in the same session).
 * <pre>
 * java -cp zmq4j-bench.jar org.zmq4j.bench.FanoutThroughput &lt;cbin-dir&gt; [subscribers] [size] [count] [reps]
 * </pre>
 * The libzmq side is {@code zmq_fanout} (src/main/c). The side channel on port+1 carries hellos.
 */
public final class FanoutThroughput {
    private FanoutThroughput() {
    }

    /**
     * Runs the comparison, or one side when called as a child process.
     *
     * @param args {@code cbin [subs] [size] [count] [reps]}, or {@code pub|sub endpoint size count subs}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("pub") || args[0].equals("sub")) {
            side(args[0].equals("pub"), args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        String cbin = args[0];
        int subs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
        int reps = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            ours.add(pair(javaCommand(), subs, size, count, 61200 + r * 4));
            theirs.add(pair(List.of(new File(cbin, "zmq_fanout").getPath()), subs, size, count, 61202 + r * 4));
        }
        double a = median(ours);
        double b = median(theirs);
        System.out.printf("PUB fan-out tcp to %d subscribers, %d x %d B, median of %d: zmq4j %.0f deliveries/s, libzmq %.0f, "
                + "zmq4j/libzmq %.2fx%n", subs, count, size, reps, a, b, a / b);
    }

    private static List<String> javaCommand() {
        String java = System.getProperty("java.home") + "/bin/java";
        return List.of(java, "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"),
                FanoutThroughput.class.getName());
    }

    private static double pair(List<String> command, int subs, int size, int count, int port) throws Exception {
        String endpoint = "tcp://127.0.0.1:" + port;
        List<String> pub = new ArrayList<>(command);
        pub.addAll(List.of("pub", endpoint, Integer.toString(size), Integer.toString(count), Integer.toString(subs)));
        List<String> sub = new ArrayList<>(command);
        sub.addAll(List.of("sub", endpoint, Integer.toString(size), Integer.toString(count), Integer.toString(subs)));
        Process publisher = new ProcessBuilder(pub).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Process subscriber = new ProcessBuilder(sub).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(subscriber.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        subscriber.waitFor();
        publisher.waitFor();
        if (line == null) {
            throw new IllegalStateException("subscriber side printed nothing: " + sub);
        }
        return Double.parseDouble(line.trim());
    }

    private static String sideChannel(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return endpoint.substring(0, colon + 1) + (Integer.parseInt(endpoint.substring(colon + 1)) + 1);
    }

    private static void side(boolean publisher, String endpoint, int size, int count, int n) {
        try (Context ctx = new Context()) {
            if (publisher) {
                Socket pub = ctx.socket(SocketType.PUB);
                pub.setOption(Option.SNDHWM, 0);
                pub.bind(endpoint);
                Socket hello = ctx.socket(SocketType.PULL);
                hello.bind(sideChannel(endpoint));
                for (int i = 0; i < n; i++) {
                    hello.recv();
                }
                hello.setOption(Option.RCVTIMEO, 1);
                do {
                    pub.send(new byte[0]); // probes until every subscriber has one
                } while (hello.recv() == null);
                for (int i = 0; i < count; i++) {
                    pub.send(new byte[size]);
                }
                hello.setOption(Option.RCVTIMEO, -1);
                hello.recv(); // done
                pub.setOption(Option.LINGER, 0);
                pub.close();
                hello.close();
                return;
            }
            Socket hello = ctx.socket(SocketType.PUSH);
            hello.connect(sideChannel(endpoint));
            Socket[] subs = new Socket[n];
            Poller poller = new Poller();
            for (int i = 0; i < n; i++) {
                subs[i] = ctx.socket(SocketType.SUB);
                subs[i].setOption(Option.RCVHWM, 0);
                subs[i].setOption(Option.SUBSCRIBE, new byte[0]);
                subs[i].connect(endpoint);
                poller.register(subs[i], Poller.POLLIN);
                hello.send("hi".getBytes());
            }
            for (Socket s : subs) {
                s.recv(); // the probe
            }
            hello.send("go".getBytes());
            long total = (long) n * count;
            long got = 0;
            long t0 = 0;
            while (got < total) {
                poller.poll(-1);
                for (Socket s : subs) {
                    byte[] m;
                    while ((m = s.recv(Socket.DONTWAIT)) != null) {
                        if (m.length == 0) {
                            continue; // a late probe
                        }
                        if (got++ == 0) {
                            t0 = System.nanoTime();
                        }
                    }
                }
            }
            double dt = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%.0f%n", total / dt);
            hello.send("done".getBytes());
            for (Socket s : subs) {
                s.setOption(Option.LINGER, 0);
                s.close();
            }
            hello.setOption(Option.LINGER, 1000);
            hello.close();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
