package org.zmq4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * PUB to SUB over {@code epgm://} on the loopback interface, zmq4j beside libzmq (with OpenPGM) in
 * one run, both at the same RATE: a publisher process sends COUNT messages of SIZE bytes with
 * SNDHWM 0 (nothing dropped before the wire), a subscriber process (RCVBUF 4 MiB) counts what arrives and times
 * it from the first message to the last. Reported: messages per second (median of the
 * repetitions) and messages lost (on one host's loopback a lost packet cannot be repaired, since
 * the NAK may reach any socket sharing the port, see docs/pgm-notes.md §7; the rate is chosen so
 * that none are). The libzmq side is {@code zmq_pgm} (src/main/c), compiled here with gcc.
 * <pre>
 * java -cp zmq4j-bench.jar org.zmq4j.bench.PgmThroughput [size] [count] [rate-kbit/s] [reps]
 * </pre>
 */
public final class PgmThroughput {
    private PgmThroughput() {
    }

    /** What one run measured. */
    private record Run(long received, double perSecond) {
    }

    /**
     * Runs the comparison, or one side when called as a child process.
     *
     * @param args {@code [size] [count] [rate] [reps]}, or {@code pub|sub endpoint size count rate}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 5 && (args[0].equals("pub") || args[0].equals("sub"))) {
            side(args[0].equals("pub"), args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path c = compile();
        List<Run> ours = new ArrayList<>();
        List<Run> theirs = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            ours.add(pair(javaCommand(), size, count, rate));
            theirs.add(pair(List.of(c.toString()), size, count, rate));
            System.out.printf("  rep %d: zmq4j %.0f msg/s (%d lost), libzmq %.0f msg/s (%d lost)%n", r + 1, ours.get(r).perSecond(),
                    count - ours.get(r).received(), theirs.get(r).perSecond(), count - theirs.get(r).received());
        }
        double a = median(ours);
        double b = median(theirs);
        System.out.printf("epgm PUB->SUB on lo, %d x %d B at RATE %d kbit/s, median of %d: zmq4j %.0f msg/s (%.1f MB/s), "
                + "libzmq %.0f msg/s (%.1f MB/s), zmq4j/libzmq %.2fx%n", count, size, rate, reps, a, a * size / 1e6, b, b * size / 1e6,
                a / b);
    }

    private static Path compile() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("zmq4j-pgm-bench");
        for (String f : List.of("zmq_pgm.c", "zmq_common.h", "bench_common.h")) {
            try (InputStream in = PgmThroughput.class.getResourceAsStream("/c/" + f)) {
                if (in == null) {
                    throw new IOException("C source /c/" + f + " is not on the classpath");
                }
                Files.copy(in, dir.resolve(f));
            }
        }
        Path bin = dir.resolve("zmq_pgm");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-o", bin.toString(), dir.resolve("zmq_pgm.c").toString(), "-lzmq", "-lpthread")
                .inheritIO().start();
        if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IOException("gcc could not build zmq_pgm (needs gcc and libzmq3-dev)");
        }
        return bin;
    }

    private static List<String> javaCommand() {
        String java = System.getProperty("java.home") + "/bin/java";
        return List.of(java, "-Xms512m", "-Xmx512m", "-cp", System.getProperty("java.class.path"), PgmThroughput.class.getName());
    }

    /** One run; once more on another group and port if nothing at all arrived (a port taken meanwhile, say). */
    private static Run pair(List<String> command, int size, int count, int rate) throws Exception {
        Run r = once(command, size, count, rate);
        return r.received() > 0 ? r : once(command, size, count, rate);
    }

    private static Run once(List<String> command, int size, int count, int rate) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String endpoint = "epgm://127.0.0.1;239.194." + random.nextInt(1, 250) + "." + random.nextInt(1, 250) + ":"
                + random.nextInt(20_000, 40_000);
        List<String> args = List.of(endpoint, Integer.toString(size), Integer.toString(count), Integer.toString(rate));
        List<String> sub = new ArrayList<>(command);
        sub.add("sub");
        sub.addAll(args);
        List<String> pub = new ArrayList<>(command);
        pub.add("pub");
        pub.addAll(args);
        Process subscriber = new ProcessBuilder(sub).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Process publisher = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(subscriber.getInputStream(), StandardCharsets.UTF_8));
            String line = nextLine(out);
            if (!"ready".equals(line)) {
                return new Run(0, 0);
            }
            publisher = new ProcessBuilder(pub).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            line = nextLine(out);
            if (line == null) {
                return new Run(0, 0);
            }
            String[] parts = line.trim().split(" ");
            long received = Long.parseLong(parts[0]);
            long nanos = Long.parseLong(parts[1]);
            return new Run(received, received < 2 ? 0 : (received - 1) * 1e9 / nanos);
        } finally {
            if (publisher != null) {
                publisher.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            subscriber.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The next line that is not one of OpenPGM's warnings about the loopback interface. */
    private static String nextLine(BufferedReader out) throws IOException {
        String line;
        do {
            line = out.readLine();
        } while (line != null && (line.startsWith("Warn: ") || line.isBlank()));
        return line;
    }

    private static void side(boolean publisher, String endpoint, int size, int count, int rate) throws Exception {
        try (Context ctx = new Context()) {
            if (publisher) {
                Socket pub = ctx.socket(SocketType.PUB);
                pub.setOption(Option.SNDHWM, 0);
                pub.setOption(Option.RATE, rate);
                pub.connect(endpoint);
                byte[] body = new byte[size];
                for (int i = 0; i < count; i++) {
                    pub.send(body);
                }
                Thread.sleep(Long.MAX_VALUE); // stays up, as the C side, until the runner kills it
                return;
            }
            Socket sub = ctx.socket(SocketType.SUB);
            sub.setOption(Option.RCVHWM, 0);
            sub.setOption(Option.RCVBUF, 4 << 20); // as the C side: the default 208 KiB overflows on loopback
            sub.setOption(Option.RATE, rate);
            sub.setOption(Option.SUBSCRIBE, new byte[0]);
            sub.setOption(Option.RCVTIMEO, 60_000);
            sub.connect(endpoint);
            System.out.println("ready");
            System.out.flush();
            long n = 0;
            long first = 0;
            long last = 0;
            byte[] buf = new byte[size + 1];
            while (true) {
                int got = sub.recv(buf, 0, buf.length, 0);
                if (got < 0) {
                    break;
                }
                if (got != size) {
                    throw new IllegalStateException("message of " + got + " bytes, expected " + size);
                }
                last = System.nanoTime();
                if (n++ == 0) {
                    first = last;
                    sub.setOption(Option.RCVTIMEO, 3000);
                }
                if (n == count) {
                    break;
                }
            }
            System.out.println(n + " " + (last - first));
            System.out.flush();
            sub.setOption(Option.LINGER, 0);
        }
    }

    private static double median(List<Run> runs) {
        List<Double> sorted = new ArrayList<>();
        for (Run r : runs) {
            sorted.add(r.perSecond());
        }
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
