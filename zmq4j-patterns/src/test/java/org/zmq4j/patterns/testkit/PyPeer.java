package org.zmq4j.patterns.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A protocol peer written in Python straight from an RFC ({@code src/test/python/*_peer.py}, on
 * pyzmq, that is libzmq), run as a process: {@code mdp_peer.py} (rfc 7 and 18) or {@code ppp_peer.py}
 * (rfc 6). A peer checks every frame it gets against the RFC and reports a violation as
 * {@code PROTOCOL ERROR} on standard error.
 */
public final class PyPeer implements AutoCloseable {
    public static final String PYTHON = System.getProperty("zmq4j.python", "/usr/bin/python3");
    private static final Path SCRIPTS = Path.of("src/test/python").toAbsolutePath();

    private final Process process;
    private final Path out;
    private final Path err;
    private final String name;

    private PyPeer(Process process, Path out, Path err, String name) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.name = name;
    }

    /** Skips (reported, never passed) the calling tests when pyzmq is missing. */
    public static void assumePyzmq() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", "import zmq").redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                "these interop tests need pyzmq (Debian: apt-get install python3-zmq) at " + PYTHON);
    }

    /** Starts {@code script} (a file name in {@code src/test/python}) with {@code args}; its output goes to {@code dir}. */
    public static PyPeer start(String script, Path dir, String... args) throws IOException {
        Path file = SCRIPTS.resolve(script);
        assertTrue(Files.isRegularFile(file), "missing " + file);
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-u", file.toString()));
        cmd.addAll(List.of(args));
        String name = "py-" + args[0] + "-" + System.nanoTime();
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        // stdin stays a pipe: the peer ends when it reaches EOF, so it cannot outlive the test JVM
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new PyPeer(p, out, err, String.join(" ", args));
    }

    /** Writes {@code line} and a newline to the peer's standard input (its command channel, for peers that have one). */
    public void tell(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Closes the peer's standard input (peers end at its EOF). */
    public void endInput() throws IOException {
        process.getOutputStream().close();
    }

    public String out() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    public String err() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Waits (bounded) for standard output to match; returns group 1 when there is one. */
    public String awaitOut(String regex, long seconds) throws IOException, InterruptedException {
        return await(regex, seconds, true);
    }

    /** Waits (bounded) for standard error to match. */
    public String awaitErr(String regex, long seconds) throws IOException, InterruptedException {
        return await(regex, seconds, false);
    }

    private String await(String regex, long seconds, boolean stdout) throws IOException, InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            boolean alive = process.isAlive();
            Matcher m = p.matcher(stdout ? out() : err());
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
            if (!alive || System.nanoTime() > deadline) {
                throw new AssertionError((alive ? "timed out waiting for /" : "ended before /") + regex + "/:\n" + describe());
            }
            Thread.sleep(20);
        }
    }

    public int exitCode(long seconds) throws InterruptedException, IOException {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), name + " did not end in " + seconds + " s:\n" + describe());
        return process.exitValue();
    }

    /** Kill -9: a crash, no DISCONNECT. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
    }

    /** Fails when the peer saw a frame that breaks the RFC. */
    public void assertNoProtocolError() throws IOException {
        assertTrue(!err().contains("PROTOCOL ERROR"), "the Python peer saw a protocol error:\n" + describe());
    }

    public String describe() throws IOException {
        return "--- python " + name + " out ---\n" + out() + "--- err ---\n" + err();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }
}
