package org.zmq4j.tools.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.tools.patterns.CliProcess;

/**
 * Crash tests of durable delivery with real processes: {@code zmq4j durable-recv} and two
 * {@code zmq4j durable-send}s, kill -9 of any of them at random moments and a restart with the same
 * arguments, many times, during the stream. At the end the receiver's output file holds every
 * message exactly once, in order per sender.
 */
class DurableCrashTest {
    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A command that is restarted with the same arguments after each kill. */
    private final class Restartable implements AutoCloseable {
        final String[] args;
        CliProcess process;
        int kills;

        Restartable(String... args) throws IOException {
            this.args = args;
            this.process = CliProcess.start(dir, args);
        }

        void killAndRestart() throws IOException, InterruptedException {
            process.kill();
            kills++;
            process = CliProcess.start(dir, args);
        }

        @Override
        public void close() throws InterruptedException {
            process.close();
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void groupCommitSurvivesManyKillsOfEitherSide() throws Exception {
        crashRun("group", 60_000, 30, 12, 150);
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void defaultPolicySurvivesKillsOfEitherSide() throws Exception {
        crashRun(null, 3_000, 8, 4, 120);
    }

    /**
     * Two senders of {@code perSender} messages each to one receiver; up to {@code kills} kill -9s at
     * random moments (a random victim each time) while the senders run, bounded by {@code seconds};
     * the run must have got at least {@code atLeast} of them in, or it proved little.
     */
    private void crashRun(String policy, int perSender, int kills, int atLeast, int seconds) throws Exception {
        String ep = "tcp://127.0.0.1:" + freePort();
        Path out = dir.resolve("out.txt");
        List<String> extra = policy == null ? List.of() : List.of("--fsync", policy);
        Random random = new Random(20261207L + perSender);
        try (Restartable recv = new Restartable(with(extra, "durable-recv", "--bind", ep, "--state",
                dir.resolve("rstate").toString(), "--out", out.toString()));
                Restartable a = new Restartable(with(extra, "durable-send", "--connect", ep, "--journal",
                        dir.resolve("ja").toString(), "--id", "a", "--count", String.valueOf(perSender)));
                Restartable b = new Restartable(with(extra, "durable-send", "--connect", ep, "--journal",
                        dir.resolve("jb").toString(), "--id", "b", "--count", String.valueOf(perSender)))) {
            List<Restartable> all = List.of(recv, a, b);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            int done = 0;
            while (done < kills && System.nanoTime() < deadline && (a.process.isAlive() || b.process.isAlive())) {
                Thread.sleep(200 + random.nextInt(700)); // a random moment: the crash is the point, not a condition
                List<Restartable> victims = new ArrayList<>();
                for (Restartable r : all) {
                    if (r.process.isAlive()) {
                        victims.add(r);
                    }
                }
                if (victims.size() < 2) {
                    break; // only the receiver is left: the senders finished
                }
                victims.get(random.nextInt(victims.size())).killAndRestart();
                done++;
            }
            assertEquals(0, a.process.exitCode(seconds), a.process.describe());
            assertEquals(0, b.process.exitCode(seconds), b.process.describe());
            assertEquals(0, recv.process.terminate(), recv.process.describe());
            assertTrue(done >= atLeast, "the run got " + done + " kills in (receiver " + recv.kills
                    + ", a " + a.kills + ", b " + b.kills + ")");
            System.out.println("kills: receiver " + recv.kills + ", a " + a.kills + ", b " + b.kills);
        }
        checkExactlyOnceInOrder(out, perSender, "a", "b");
    }

    private static String[] with(List<String> extra, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(extra);
        return all.toArray(String[]::new);
    }

    static void checkExactlyOnceInOrder(Path out, int perSender, String... ids) throws IOException {
        List<String> lines = Files.readAllLines(out);
        Map<String, Integer> next = new HashMap<>();
        for (String id : ids) {
            next.put(id, 0);
        }
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            int dash = line.lastIndexOf('-');
            assertTrue(dash > 0, "line " + lineNo + " is not NAME-i: " + line);
            String id = line.substring(0, dash);
            int i = Integer.parseInt(line.substring(dash + 1));
            Integer expected = next.get(id);
            assertTrue(expected != null, "line " + lineNo + " from an unknown sender: " + line);
            assertEquals(expected.intValue(), i, "line " + lineNo + ": " + id + "'s messages in order, each once");
            next.put(id, i + 1);
        }
        for (String id : ids) {
            assertEquals(perSender, next.get(id), "every message of " + id + " arrived");
        }
        assertEquals(perSender * ids.length, lines.size());
    }
}
