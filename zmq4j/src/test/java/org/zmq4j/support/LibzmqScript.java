package org.zmq4j.support;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Python script using pyzmq (libzmq) run as a separate process for the length of a test: it
 * prints lines the test reads with a bound, reads lines the test writes, and must end when its
 * stdin closes (tests close it in {@link #close()}, then kill the process if it lingers). The
 * process under {@code testsuite.LibzmqPeer} (zpeer.py) is one; short inline scripts are others.
 */
public final class LibzmqScript implements AutoCloseable {
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();

    private LibzmqScript(Process process) {
        this.process = process;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII), 1 << 16);
        Thread out = new Thread(this::pumpStdout, "libzmq-script-out-" + process.pid());
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(this::pumpStderr, "libzmq-script-err-" + process.pid());
        err.setDaemon(true);
        err.start();
    }

    /**
     * Starts {@code python3 -u -c script args...}; skips the test when python3 with pyzmq is not
     * installed.
     *
     * @param script the Python source
     * @param args   its sys.argv[1:]
     * @return the running process
     */
    public static LibzmqScript start(String script, String... args) {
        Python.assumePyzmq();
        List<String> command = new ArrayList<>(List.of(Python.interpreter(), "-u", "-c", script));
        command.addAll(List.of(args));
        return start(new ProcessBuilder(command));
    }

    /** Starts the process {@code pb} describes (the caller has checked that python3 is usable). */
    public static LibzmqScript start(ProcessBuilder pb) {
        try {
            return new LibzmqScript(pb.start());
        } catch (IOException e) {
            throw new AssertionError("cannot start " + pb.command(), e);
        }
    }

    /**
     * The next line the script printed.
     *
     * @param timeoutMillis how long to wait
     * @return the line
     * @throws AssertionError when no line comes in time or the output ended
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
            throw new AssertionError("the script printed nothing within " + timeoutMillis + " ms (exited: "
                    + exitDescription() + ")" + stderrTail());
        }
        if (line == EOF) {
            lines.add(EOF);
            throw new AssertionError("the script ended its output (exited: " + exitDescription() + ")" + stderrTail());
        }
        return line;
    }

    /** Sends one line to the script's stdin. */
    public void writeLine(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to the script (exited: " + exitDescription() + ")" + stderrTail(), e);
        }
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process is running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** "no, still running" or "yes, code N", for failure messages. */
    public String exitDescription() {
        return process.isAlive() ? "no, still running" : "yes, code " + process.exitValue();
    }

    /** The last few KiB the script wrote to stderr, for failure messages. */
    public String stderrTail() {
        synchronized (stderr) {
            return stderr.length() == 0 ? "" : "\n--- python stderr ---\n" + stderr + "--- end ---";
        }
    }

    /** Kills the process with SIGKILL (a crash: no linger, no goodbye) and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("pid " + process.pid() + " still alive 20 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing pid " + process.pid(), e);
        }
    }

    /** Closes stdin (the script's cue to exit), waits up to 5 s, then kills it. Idempotent. */
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
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
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
        try (InputStream in = process.getErrorStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (stderr) {
                    stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (stderr.length() > 32_768) {
                        stderr.delete(0, stderr.length() - 16_384); // keep the latest
                    }
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }
}
