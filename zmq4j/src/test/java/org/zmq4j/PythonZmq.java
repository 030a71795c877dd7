package org.zmq4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs short Python scripts against pyzmq (and through it libzmq) to cross-check zmq4j.
 * The interpreter is the system property {@code zmq4j.python}, by default /usr/bin/python3.
 */
final class PythonZmq {
    private static final String PYTHON = System.getProperty("zmq4j.python", "/usr/bin/python3");
    private static final long TIMEOUT_SECONDS = 60;
    private static volatile Boolean available;

    private PythonZmq() {
    }

    /** Skips the calling test (JUnit assumption) unless the interpreter runs and imports zmq. */
    static void assumeAvailable() {
        if (available == null) {
            available = canImportZmq();
        }
        Assumptions.assumeTrue(available, PYTHON + " with pyzmq (import zmq) is not available");
    }

    /**
     * Runs {@code script} with {@code args} as sys.argv[1:] and returns its standard output lines.
     * Fails the test when the script exits with an error or takes longer than a minute.
     */
    static List<String> run(String script, List<String> args) {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            CompletableFuture<String> stderr = readAsync(process.getErrorStream());
            String stdout = readAll(process.getInputStream());
            assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "python did not finish in time");
            assertEquals(0, process.exitValue(), () -> "python failed: " + stderr.join());
            return stdout.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + PYTHON, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for python", e);
        }
    }

    private static boolean canImportZmq() {
        try {
            Process process = new ProcessBuilder(PYTHON, "-c", "import zmq").redirectErrorStream(true).start();
            readAll(process.getInputStream());
            return process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return readAll(in);
            } catch (IOException e) {
                return "(stderr unreadable: " + e + ")";
            }
        });
    }

    private static String readAll(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
