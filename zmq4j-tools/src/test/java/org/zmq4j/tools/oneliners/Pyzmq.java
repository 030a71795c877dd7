package org.zmq4j.tools.oneliners;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A short Python script on pyzmq (real libzmq) run as a process for the length of a test: it prints
 * lines the test reads with a bound and reads lines the test writes. {@link #close()} closes its
 * standard input, waits a little, then kills it. Not thread-safe: one test thread drives it.
 */
final class Pyzmq implements AutoCloseable {
    static final String PYTHON = System.getProperty("zmq4j.python", "/usr/bin/python3");
    /** Every script starts with this: zmq, and out() that prints a line at once. */
    private static final String PRELUDE = "import sys, time, zmq\n"
            + "def out(*a):\n"
            + "    print(*a, flush=True)\n"
            + "def hexes(frames):\n"
            + "    return ','.join(f.hex() for f in frames)\n";
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();

    private Pyzmq(Process process) {
        this.process = process;
        Thread out = new Thread(this::pumpOut, "pyzmq-out-" + process.pid());
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(this::pumpErr, "pyzmq-err-" + process.pid());
        err.setDaemon(true);
        err.start();
    }

    /** Skips the test (reported, never passed) when python3 with pyzmq is missing. */
    static void assumePyzmq() throws Exception {
        Process p = new ProcessBuilder(PYTHON, "-c", "import zmq").redirectErrorStream(true).start();
        boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(ok, "these interop tests need pyzmq (Debian: apt-get install python3-zmq) at " + PYTHON);
    }

    /** Starts {@code python3 -u -c PRELUDE+script args...}. */
    static Pyzmq start(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-u", "-c", PRELUDE + script));
        command.addAll(List.of(args));
        return new Pyzmq(new ProcessBuilder(command).start());
    }

    /** The next line the script printed, waiting at most {@code seconds}. */
    String readLine(long seconds) throws InterruptedException {
        String line = lines.poll(seconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("the script printed nothing within " + seconds + " s" + describe());
        }
        if (line.equals(EOF)) {
            lines.add(EOF);
            throw new AssertionError("the script ended its output" + describe());
        }
        return line;
    }

    /** Writes a line to the script's standard input. */
    void writeLine(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits up to {@code seconds} for the script to end; its exit code. */
    int exitCode(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the script did not end within " + seconds + " s" + describe());
        }
        return process.exitValue();
    }

    /** The script's state and standard error, for assertion messages. */
    String describe() {
        synchronized (stderr) {
            return " (exited: " + (process.isAlive() ? "no" : "yes, code " + process.exitValue()) + ")"
                    + (stderr.length() == 0 ? "" : "\n--- python stderr ---\n" + stderr);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // gone already
        }
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void pumpOut() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // process gone
        } finally {
            lines.add(EOF);
        }
    }

    private void pumpErr() {
        byte[] buf = new byte[4096];
        try (InputStream in = process.getErrorStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (stderr) {
                    stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }
}
