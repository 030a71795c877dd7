package org.zmq4j.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * ROUTER/DEALER over tcp, zmq4j beside JeroMQ and libzmq in one run, interleaved: a server process
 * with one ROUTER that sends every message back to the DEALER it came from (identity frame
 * first), and a client process with N DEALERs polled together, each keeping W requests in
 * flight. The figure is replies per second over the last three quarters of the count (the first
 * quarter warms up the JIT and the connections), medians of the repetitions. HWM 0 on every
 * socket (nothing dropped, nothing blocks), the same on every side.
 * <pre>
 * java -cp zmq4j-bench.jar org.zmq4j.bench.RouterDealer &lt;cbin-dir&gt; [dealers] [size] [count] [window] [reps]
 * </pre>
 * The libzmq side is {@code zmq_router_dealer} (src/main/c); without it only the Java libraries run.
 */
public final class RouterDealer {
    private static final List<String> JAVA_IMPLS = List.of("zmq4j", "jeromq");

    private RouterDealer() {
    }

    /**
     * Runs the comparison, or one side when called as a child process.
     *
     * @param args {@code cbin [dealers] [size] [count] [window] [reps]}, or
     *             {@code impl server endpoint} / {@code impl client endpoint size count dealers window}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (JAVA_IMPLS.contains(args[0])) {
            side(args);
            return;
        }
        File cbin = new File(args[0], "zmq_router_dealer");
        int dealers = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        long count = args.length > 3 ? Long.parseLong(args[3]) : 1_000_000;
        int window = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        int reps = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        Map<String, List<Double>> rates = new TreeMap<>();
        List<String> impls = new ArrayList<>(JAVA_IMPLS);
        if (cbin.canExecute()) {
            impls.add("libzmq");
        } else {
            System.err.println("RouterDealer: no " + cbin + " (zmq4j-bench/run.sh builds it): libzmq skipped");
        }
        int port = 61300;
        for (int r = 0; r < reps; r++) {
            for (int i = 0; i < impls.size(); i++) {
                String impl = impls.get((i + r) % impls.size()); // the order rotates each repetition
                List<String> command = impl.equals("libzmq") ? List.of(cbin.getPath()) : javaCommand(impl);
                double rate = pair(command, dealers, size, count, window, port);
                port += 2;
                System.err.printf("RouterDealer: rep %d %-6s %.0f replies/s%n", r + 1, impl, rate);
                rates.computeIfAbsent(impl, k -> new ArrayList<>()).add(rate);
            }
        }
        double ours = median(rates.get("zmq4j"));
        StringBuilder line = new StringBuilder(String.format("ROUTER/DEALER tcp, %d dealers x %d in flight, %d x %d B, median of %d: zmq4j %.0f replies/s",
                dealers, window, count, size, reps, ours));
        for (String impl : impls) {
            if (!impl.equals("zmq4j")) {
                double theirs = median(rates.get(impl));
                line.append(String.format(", %s %.0f (zmq4j/%s %.2fx)", impl, theirs, impl, ours / theirs));
            }
        }
        System.out.println(line);
    }

    private static List<String> javaCommand(String impl) {
        String java = System.getProperty("java.home") + "/bin/java";
        return List.of(java, "-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"),
                RouterDealer.class.getName(), impl);
    }

    private static double pair(List<String> command, int dealers, int size, long count, int window, int port) throws Exception {
        String endpoint = "tcp://127.0.0.1:" + port;
        List<String> server = new ArrayList<>(command);
        server.addAll(List.of("server", endpoint));
        List<String> client = new ArrayList<>(command);
        client.addAll(List.of("client", endpoint, Integer.toString(size), Long.toString(count), Integer.toString(dealers),
                Integer.toString(window)));
        Process s = new ProcessBuilder(server).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            Process c = new ProcessBuilder(client).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            c.waitFor();
            if (line == null) {
                throw new IllegalStateException("client printed nothing: " + client);
            }
            return Double.parseDouble(line.trim());
        } finally {
            s.destroy();
            s.waitFor();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    // ------------------------------------------------------------------ the two sides

    /** One library's sockets as the two sides use them. */
    private interface Lib extends AutoCloseable {
        /** Echoes every message back to its sender until the process is killed. */
        void serve(String endpoint);

        /** The client's DEALERs, connected. */
        void dealers(String endpoint, int n);

        /** Sends one request of {@code size} bytes on DEALER {@code i}. */
        void request(int i, int size);

        /** Waits until some DEALER has a reply. */
        void poll();

        /** Takes a reply from DEALER {@code i} if it has one. */
        boolean reply(int i);

        @Override
        void close();
    }

    private static void side(String[] args) {
        try (Lib lib = args[0].equals("zmq4j") ? new Zmq4j() : new Jeromq()) {
            if (args[1].equals("server")) {
                lib.serve(args[2]);
                return;
            }
            int size = Integer.parseInt(args[3]);
            long count = Long.parseLong(args[4]);
            int n = Integer.parseInt(args[5]);
            int window = Integer.parseInt(args[6]);
            lib.dealers(args[2], n);
            long sent = 0;
            long got = 0;
            long mark = count / 4;
            for (int i = 0; i < n; i++) {
                for (int w = 0; w < window && sent < count; w++, sent++) {
                    lib.request(i, size);
                }
            }
            long t0 = 0;
            while (got < count) {
                lib.poll();
                for (int i = 0; i < n; i++) {
                    while (lib.reply(i)) {
                        if (++got == mark) {
                            t0 = System.nanoTime();
                        }
                        if (sent < count) {
                            lib.request(i, size);
                            sent++;
                        }
                    }
                }
            }
            System.out.printf("%.0f%n", (count - mark) / ((System.nanoTime() - t0) / 1e9));
            System.out.flush();
        }
    }

    /** zmq4j through its public API. */
    private static final class Zmq4j implements Lib {
        private final Context ctx = new Context(1);
        private Socket[] dealers;
        private final Poller poller = new Poller();

        @Override
        public void serve(String endpoint) {
            Socket router = ctx.socket(SocketType.ROUTER);
            router.setOption(Option.SNDHWM, 0);
            router.setOption(Option.RCVHWM, 0);
            router.bind(endpoint);
            while (true) {
                byte[] id = router.recv();
                byte[] body = router.recv();
                router.sendMore(id);
                router.send(body);
            }
        }

        @Override
        public void dealers(String endpoint, int n) {
            dealers = new Socket[n];
            for (int i = 0; i < n; i++) {
                dealers[i] = ctx.socket(SocketType.DEALER);
                dealers[i].setOption(Option.SNDHWM, 0);
                dealers[i].setOption(Option.RCVHWM, 0);
                dealers[i].connect(endpoint);
                poller.register(dealers[i], Poller.POLLIN);
            }
        }

        @Override
        public void request(int i, int size) {
            dealers[i].send(new byte[size]);
        }

        @Override
        public void poll() {
            poller.poll(-1);
        }

        @Override
        public boolean reply(int i) {
            return dealers[i].recv(Socket.DONTWAIT) != null;
        }

        @Override
        public void close() {
            ctx.close();
        }
    }

    /** JeroMQ through ZContext and ZMQ.Socket, as its users write it. */
    private static final class Jeromq implements Lib {
        private final ZContext ctx = new ZContext(1);
        private ZMQ.Socket[] dealers;
        private ZMQ.Poller poller;

        @Override
        public void serve(String endpoint) {
            ZMQ.Socket router = ctx.createSocket(org.zeromq.SocketType.ROUTER);
            router.setSndHWM(0);
            router.setRcvHWM(0);
            router.bind(endpoint);
            while (true) {
                byte[] id = router.recv(0);
                byte[] body = router.recv(0);
                router.sendMore(id);
                router.send(body, 0);
            }
        }

        @Override
        public void dealers(String endpoint, int n) {
            dealers = new ZMQ.Socket[n];
            poller = ctx.createPoller(n);
            for (int i = 0; i < n; i++) {
                dealers[i] = ctx.createSocket(org.zeromq.SocketType.DEALER);
                dealers[i].setSndHWM(0);
                dealers[i].setRcvHWM(0);
                dealers[i].connect(endpoint);
                poller.register(dealers[i], ZMQ.Poller.POLLIN);
            }
        }

        @Override
        public void request(int i, int size) {
            dealers[i].send(new byte[size], 0);
        }

        @Override
        public void poll() {
            poller.poll(-1);
        }

        @Override
        public boolean reply(int i) {
            return dealers[i].recv(ZMQ.DONTWAIT) != null;
        }

        @Override
        public void close() {
            ctx.close();
        }
    }
}
