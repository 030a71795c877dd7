package org.zmq4j.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.zmq4j.support.Python;

/**
 * Runs pyzmq (and through it libzmq) for the auth tests: short inline scripts ({@link Python}), and
 * {@code src/test/python/auth_peer.py} as a libzmq client.
 */
final class Pyzmq implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;

    private final List<Process> processes = new ArrayList<>();

    /** Skips the calling test (JUnit assumption) unless pyzmq with CURVE support can be imported. */
    static void assumeAvailable() {
        Python.assume("import zmq, zmq.auth; assert zmq.has('curve')", "pyzmq with zmq.auth and CURVE");
    }

    /**
     * Runs {@code script} with {@code args} as sys.argv[1:]; fails the test unless it exits with 0.
     *
     * @return its standard output, line by line
     */
    static List<String> run(String script, String... args) {
        return Python.run(script, args);
    }

    /**
     * Runs auth_peer.py: a libzmq REQ client that connects to {@code endpoint} with {@code mechanism}
     * and sends "hello from libzmq".
     *
     * @return its outcome line: "reply &lt;text&gt;", "refused &lt;event&gt; &lt;value&gt;" or "timeout"
     */
    String client(String mechanism, String endpoint, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Python.interpreter(), new File("src/test/python/auth_peer.py").getAbsolutePath(),
                mechanism, endpoint));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(p);
        p.getOutputStream().close();
        // read on another thread so a python peer that hangs (e.g. in libzmq's context shutdown)
        // costs a bounded wait, never a hung build
        java.util.concurrent.LinkedBlockingQueue<String> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    queue.add(line);
                }
            } catch (IOException e) {
                queue.add("read failed: " + e);
            }
        }, "auth_peer.py reader");
        reader.setDaemon(true);
        reader.start();
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (lines.size() < 2) {
            String line = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertTrue(line != null, () -> "auth_peer.py gave no outcome in time; said " + lines);
            lines.add(line);
        }
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly(); // the outcome is in; a peer stuck in shutdown is not the test's subject
        } else {
            assertEquals(0, p.exitValue(), () -> "auth_peer.py failed: " + lines);
        }
        assertEquals("ready", lines.get(0));
        return lines.get(1);
    }

    /** Kills the clients still running (after a failed assertion). */
    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }
}
