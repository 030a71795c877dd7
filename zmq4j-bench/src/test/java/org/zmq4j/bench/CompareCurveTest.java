package org.zmq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Compare --curve}: the option, the key hand-over, and real CURVE runs of zmq4j, JeroMQ and
 * libzmq (the C programs, built here with gcc against Debian's libzmq3-dev).
 */
class CompareCurveTest {

    @Test
    void theCurveOptionWritesBesideThePlainResults() {
        Compare.Options o = Compare.parse(new String[] {"--curve"});
        assertTrue(o.curve);
        assertEquals(Paths.get("docs", "curve"), o.out);
        assertEquals(Paths.get("elsewhere", "curve"), Compare.parse(new String[] {"--curve", "--out", "elsewhere"}).out);
        assertFalse(Compare.parse(new String[0]).curve);
        assertEquals(Paths.get("docs"), Compare.parse(new String[0]).out);
    }

    @Test
    void theServerKeysTravelInTheEnvironmentAsAPair() {
        assertNull(BenchCurve.from(Map.of()));
        BenchCurve keys = BenchCurve.generate();
        Map<String, String> env = new HashMap<>();
        keys.export(env);
        BenchCurve back = BenchCurve.from(env);
        assertEquals(keys, back);
        assertEquals(32, back.serverPublicKey().length);
        assertEquals(32, back.serverSecretKey().length);
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> BenchCurve.from(Map.of(BenchCurve.PUBLIC, keys.serverPublic())));
        assertTrue(one.getMessage().contains(BenchCurve.SECRET), one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchCurve.from(Map.of(BenchCurve.PUBLIC, "short", BenchCurve.SECRET, "short")));
    }

    /**
     * libzmq's sender, given the keys in its environment, reaches zmq4j's CURVE server, and so does
     * JeroMQ's: a CURVE server refuses a peer that does not speak CURVE, so a message arriving proves
     * both use the keys. JeroMQ 0.6.0's CURVE client fails about once in a few hundred
     * connections here (1 of 300 and 1 of 400 against zmq4j's server, 1 of 400 against its own) and
     * then never delivers,
     * so JeroMQ gets up to three connections, each with a key pair of its own.
     */
    @Test
    void libzmqAndJeromqClientsReachAZmq4jCurveServer(@TempDir Path dir) throws Exception {
        Path sender = compile(dir, "zmq_thr_send");
        BenchCurve keys = BenchCurve.generate();
        try (Zmq4jApi server = new Zmq4jApi(keys)) {
            int port = freePort();
            String endpoint = "tcp://127.0.0.1:" + port;
            Api.Sock pull = server.socket(Api.Kind.PULL, 1000, true, endpoint);
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try {
                    for (byte[] m = pull.recv(); m != null; m = pull.recv()) {
                        received.add(m);
                    }
                } catch (RuntimeException closed) {
                    // the context closes at the end of the test
                }
            }, "curve-test-reader");
            reader.setDaemon(true);
            reader.start();
            ProcessBuilder pb = new ProcessBuilder(sender.toString(), endpoint, "100", "1000").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sender.log").toFile());
            keys.export(pb.environment());
            Process c = pb.start();
            try {
                assertTrue(awaitMessage(received, 100, 10), "a 100-byte message from libzmq over CURVE");
            } finally {
                c.destroyForcibly();
                c.waitFor(10, TimeUnit.SECONDS);
            }
            boolean fromJeromq = false;
            for (int attempt = 0; attempt < 3 && !fromJeromq; attempt++) {
                try (JeromqApi jeromq = new JeromqApi(keys)) {
                    jeromq.socket(Api.Kind.PUSH, 1000, false, endpoint).send(new byte[7]);
                    fromJeromq = awaitMessage(received, 7, 5);
                }
            }
            assertTrue(fromJeromq, "JeroMQ's message over CURVE");
        }
    }

    /**
     * A short real comparison: zmq4j's and libzmq's CURVE pairs move messages and answer requests,
     * and the report says CURVE. JeroMQ is left out here: under backpressure its CURVE PULL sometimes hands the
     * application a MESSAGE command still boxed (zeromq/jeromq#1009, seen with 0.6.0 as a 97-byte
     * message for a 64-byte one), which the worker reports as a failed run.
     */
    @Test
    void aShortCurveComparisonRunsEveryImplementation(@TempDir Path dir) throws Exception {
        compile(dir, "zmq_thr_send"); // only to skip (or fail on CI) cleanly when gcc or libzmq3-dev is missing
        Path out = dir.resolve("out");
        Compare.Options o = Compare.parse(new String[] {"--curve", "--reps", "1", "--sizes", "64", "--lat-size", "64", "--no-pinned", "--transports", "tcp,inproc",
                "--impls", "zmq4j,libzmq,raw", "--warmup-ms", "100", "--duration-ms", "200", "--out", out.toString()});
        Path work = Files.createDirectories(dir.resolve("work"));
        new Compare(o, work).run();
        String md = Files.readString(out.resolve("curve").resolve("performance-results.md"), StandardCharsets.UTF_8);
        assertTrue(md.startsWith("# zmq4j CURVE performance results"), md);
        assertTrue(md.contains("**CURVE on every socket**"), md);
        assertFalse(md.contains("- failed:"), md);
        assertTrue(md.contains("the raw-socket reference has no CURVE"), md);
        assertTrue(md.contains("inproc has no security mechanism"), md);
        String csv = Files.readString(out.resolve("curve").resolve("performance-results.csv"), StandardCharsets.UTF_8);
        for (String impl : List.of("zmq4j", "libzmq")) {
            Matcher row = Pattern.compile("throughput,tcp,64,false," + impl + ",1,(\\d+),").matcher(csv);
            assertTrue(row.find(), impl + " has no tcp row: " + csv);
            assertTrue(Long.parseLong(row.group(1)) > 0, csv);
        }
        for (String impl : List.of("zmq4j", "libzmq")) {
            assertTrue(csv.contains("latency,tcp,64,false," + impl + ",1,"), impl + " has no latency row: " + csv);
            assertTrue(md.contains("| tcp | " + impl + " | **"), "the latency table lacks " + impl + ": " + md);
        }
        assertTrue(md.contains("## Latency, REQ/REP 64 B (medians)\n\n| transport | implementation |"), md);
        assertFalse(csv.contains(",raw,"), csv);
        assertFalse(csv.contains("inproc"), csv);
    }

    /** Waits up to {@code seconds} for a message of {@code size} bytes, passing over others (libzmq's last ones). */
    private static boolean awaitMessage(BlockingQueue<byte[]> received, int size, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            byte[] m = received.poll(left, TimeUnit.NANOSECONDS);
            if (m != null && m.length == size) {
                return true;
            }
        }
        return false;
    }

    /** Builds one of src/main/c's libzmq programs into {@code dir}; skips (fails on CI) without gcc or zmq.h. */
    private static Path compile(Path dir, String name) throws Exception {
        boolean tools = Files.isExecutable(Paths.get("/usr/bin/gcc")) && Files.exists(Paths.get("/usr/include/zmq.h"));
        if (System.getenv("CI") == null) {
            assumeTrue(tools, "gcc and libzmq3-dev are needed to build the libzmq programs");
        }
        Path bin = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-o", bin.toString(), Paths.get("src/main/c", name + ".c").toString(), "-lzmq"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "gcc " + name + ": " + log);
        return bin;
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
