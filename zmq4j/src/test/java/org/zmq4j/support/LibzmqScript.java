package org.zmq4j.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.zmq4j.testsuite.LibzmqPeer;

/**
 * A Python script using pyzmq (libzmq) run as a separate process for the length of a test: it
 * prints lines the test reads with a bound, and it must end when its stdin closes (tests close it
 * in {@link #close()}, then kill the process if it lingers). Skips the test when python3 with pyzmq
 * is not installed.
 */
public final class LibzmqScript implements AutoCloseable {
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    private LibzmqScript(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread out = new Thread(this::pumpStdout, "libzmq-script-out-" + process.pid());
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(this::pumpStderr, "libzmq-script-err-" + process.pid());
        err.setDaemon(true);
        err.start();
    }

    /**
     * Starts {@code python3 -c script args...}.
     *
     * @param script the Python source
     * @param args   its sys.argv[1:]
     * @return the running process
     */
    public static LibzmqScript start(String script, String... args) {
        LibzmqPeer.assumeAvailable();
        List<String> command = new ArrayList<>(List.of(System.getProperty("zmq4j.python", "/usr/bin/python3"), "-u", "-c", script));
        command.addAll(List.of(args));
        try {
            return new LibzmqScript(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command.get(0), e);
        }
    }

    /**
     * The next line the script printed.
     *
     * @param timeoutMillis how long to wait
     * @return the line
     */
    public String readLine(long timeoutMillis) {
        String line;
        try {
            line = lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the script");
        }
        if (line == null) {
            throw new AssertionError("the script printed nothing within " + timeoutMillis + " ms" + stderrTail());
        }
        if (line == EOF) {
            lines.add(EOF);
            throw new AssertionError("the script ended its output" + stderrTail());
        }
        return line;
    }

    /** Sends one line to the script's stdin. */
    public void writeLine(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to the script" + stderrTail(), e);
        }
    }

    /** What the script wrote to stderr, for failure messages. */
    public String stderrTail() {
        return stderr.length() == 0 ? "" : "\n--- python stderr ---\n" + stderr + "--- end ---";
    }

    /** Closes stdin (the script's cue to exit), waits up to 5 s, then kills it. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // gone already
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void pumpStdout() {
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

    private void pumpStderr() {
        byte[] buf = new byte[4096];
        try (var in = process.getErrorStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (stderr.length() < 32_768) {
                    stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }
}
