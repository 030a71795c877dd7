package org.zmq4j.durable.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.patterns.sequenced.SequencedEvent;
import org.zmq4j.patterns.sequenced.SequencedSubscriber;
import org.zmq4j.patterns.sequenced.StartAt;
import org.zmq4j.patterns.testkit.Held;

/**
 * A journaled sequenced publisher in a real process, killed with SIGKILL at random moments and
 * restarted on the same journal and endpoints, while a subscriber in this JVM follows it from
 * sequence 1: the subscriber ends with every message exactly once, in order, each with its own
 * payload, with no gap and no new epoch, and every sequence number a killed publisher reported as
 * published is among them.
 */
@Timeout(240)
class SequencedCrashTest {
    private static final int COUNT = 20_000;
    private static final int KILLS = 8;
    private final Held held = new Held();
    private final List<Process> processes = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        held.close();
    }

    private Process publisher(String[] eps, Path out) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), JournaledPublisherMain.class.getName(),
                dir.resolve("journal").toString(), eps[0], eps[1], Integer.toString(COUNT))
                .redirectOutput(out.toFile()).redirectError(dir.resolve(out.getFileName() + ".err").toFile()).start();
        processes.add(p);
        return p;
    }

    /** The highest sequence the process said it published (AT lines), 0 if none yet. */
    private static long reported(Path out) throws IOException {
        long at = 0;
        for (String l : Files.readAllLines(out)) {
            if (l.startsWith("AT ") || l.startsWith("DONE ")) {
                at = Math.max(at, Long.parseLong(l.substring(l.indexOf(' ') + 1)));
            }
        }
        return at;
    }

    @Test
    void killedAnywhereTheJournaledPublisherLosesNothingItPublished() throws Exception {
        String[] eps = Held.freeEndpoints(2);
        List<SequencedEvent> events = new ArrayList<>();
        SequencedSubscriber sub = held.keep(SequencedSubscriber.builder().subscribe("", StartAt.from(1))
                .heartbeat(Duration.ofMillis(100)).connect(held.ctx, eps[0], eps[1]));
        long reportedByKilled = 0;
        int kills = 0;
        int midStream = 0;
        int run = 0;
        Process current = null;
        Path out = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(200);
        while (true) {
            assertTrue(System.nanoTime() < deadline, "took too long: " + events.size() + " events, " + kills + " kills");
            if (current == null) {
                out = dir.resolve("run-" + run++ + ".out");
                current = publisher(eps, out);
                long up = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.readString(out).contains("START")) { // a JVM starts slowly on a loaded machine
                    assertTrue(System.nanoTime() < up && current.isAlive(), "the publisher did not start: "
                            + Files.readString(dir.resolve(out.getFileName() + ".err")));
                    SequencedEvent e = sub.receive(Duration.ofMillis(20));
                    if (e != null) {
                        events.add(e);
                    }
                }
            }
            long runFor = kills < KILLS ? ThreadLocalRandom.current().nextLong(100, 700) : Long.MAX_VALUE;
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(runFor, 60_000));
            while (System.nanoTime() < until && !(events.size() == COUNT && kills >= KILLS)) {
                SequencedEvent e = sub.receive(Duration.ofMillis(20));
                if (e != null) {
                    events.add(e);
                }
                assertTrue(current.isAlive() || kills >= KILLS, "the publisher died by itself: "
                        + Files.readString(dir.resolve(out.getFileName() + ".err")));
            }
            if (events.size() >= COUNT && kills >= KILLS) {
                break;
            }
            if (kills < KILLS) {
                current.destroyForcibly(); // SIGKILL
                assertTrue(current.waitFor(10, TimeUnit.SECONDS));
                reportedByKilled = Math.max(reportedByKilled, reported(out));
                midStream += Files.readString(out).contains("DONE") ? 0 : 1;
                kills++;
                current = null;
            }
        }
        assertEquals(KILLS, kills);
        assertTrue(midStream >= KILLS / 2, "most kills land while it publishes: " + midStream);
        assertTrue(reportedByKilled > 0, "the killed publishers had published");
        long epoch = -1;
        for (int i = 0; i < events.size(); i++) {
            SequencedEvent.Message m = (SequencedEvent.Message) events.get(i); // no Gap, no NewEpoch
            assertEquals(i + 1, m.sequence(), "in order, once");
            assertEquals("m" + (i + 1), m.text(), "its own payload");
            if (epoch == -1) {
                epoch = m.epoch();
            }
            assertEquals(epoch, m.epoch(), "one epoch across every restart");
        }
        assertEquals(COUNT, events.size());
        assertTrue(reportedByKilled <= COUNT);
    }
}
