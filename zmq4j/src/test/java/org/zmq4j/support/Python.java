package org.zmq4j.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The Python interpreter the tests cross-check zmq4j with through pyzmq (and so libzmq): the system
 * property {@code zmq4j.python}, by default /usr/bin/python3. Tests that need it are skipped (JUnit
 * assumption) only when the interpreter or the module they need is missing; each such check runs
 * once per JVM and is bounded in time.
 */
public final class Python {
    private static final long TIMEOUT_SECONDS = 60;
    /** Check statement to "" (passed) or why it failed. */
    private static final Map<String, String> CHECKS = new ConcurrentHashMap<>();

    private Python() {
    }

    /** The interpreter's path. */
    public static String interpreter() {
        return System.getProperty("zmq4j.python", "/usr/bin/python3");
    }

    /** Skips the calling test unless the interpreter runs and imports zmq. */
    public static void assumePyzmq() {
        assume("import zmq", "pyzmq");
    }

    /**
     * Skips the calling test unless {@code statement} runs without error.
     *
     * @param statement Python code, e.g. {@code import zmq; assert zmq.has('curve')}
     * @param what      what it checks, for the skip message
     */
    public static void assume(String statement, String what) {
        String why = CHECKS.computeIfAbsent(statement, Python::check);
        Assumptions.assumeTrue(why.isEmpty(), () -> what + " is not available: " + why);
    }

    private static String check(String statement) {
        String python = interpreter();
        if (!new File(python).canExecute()) {
            return "python interpreter not found: " + python + " (set -Dzmq4j.python)";
        }
        try {
            Process p = new ProcessBuilder(python, "-c", statement).redirectErrorStream(true).start();
            p.getOutputStream().close();
            CompletableFuture<String> out = readAsync(p.getInputStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return python + " -c '" + statement + "' did not finish within " + TIMEOUT_SECONDS + " s";
            }
            return p.exitValue() == 0 ? "" : python + " -c '" + statement + "' failed: " + out.join().trim();
        } catch (IOException e) {
            return "cannot run " + python + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking python";
        }
    }

    /**
     * Runs {@code script} with {@code args} as sys.argv[1:] and returns its standard output lines.
     * Fails the test when the script exits with an error or takes longer than a minute.
     */
    public static List<String> run(String script, List<String> args) {
        List<String> command = new ArrayList<>(List.of(interpreter(), "-c", script));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            CompletableFuture<String> stderr = readAsync(process.getErrorStream());
            CompletableFuture<String> stdout = readAsync(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            assertTrue(!process.isAlive(), "python did not finish in " + TIMEOUT_SECONDS + " s");
            assertEquals(0, process.exitValue(), () -> "python failed: " + stderr.join() + stdout.join());
            return stdout.join().lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + interpreter(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for python", e);
        }
    }

    /** {@link #run(String, List)} with the arguments given one by one. */
    public static List<String> run(String script, String... args) {
        return run(script, List.of(args));
    }

    /** Reads a child's stream to its end on a daemon thread (a blocked read never holds a test). */
    private static CompletableFuture<String> readAsync(InputStream in) {
        return Msgs.async(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
    }
}
