package org.zmq4j.tools.patterns;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One {@code zmq4j} command run as a real process (its own JVM), its output in files, so that tests
 * can signal it, kill -9 it, write to its standard input and read what it printed. Not thread-safe:
 * one test thread drives it.
 */
public final class CliProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;
    private final String name;

    private CliProcess(Process process, Path out, Path err, String name) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.name = name;
    }

    /** Starts {@code zmq4j args...}, output into {@code dir}. */
    public static CliProcess start(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add("-Xss512k");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("org.zmq4j.tools.Main");
        cmd.addAll(List.of(args));
        String name = args[0] + "-" + System.nanoTime();
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new CliProcess(p, out, err, String.join(" ", args));
    }

    /** This JVM's class and module path, as one class path for the child. */
    private static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(prop);
            if (v != null && !v.isEmpty()) {
                parts.add(v);
            }
        }
        return String.join(File.pathSeparator, parts);
    }

    public String out() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    public String err() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits (bounded) until standard error matches {@code regex}; returns the first match's group 1 or whole. */
    public String awaitErr(String regex, long seconds) throws IOException, InterruptedException {
        return await(true, regex, seconds);
    }

    /** Waits (bounded) until standard output matches {@code regex}; returns the first match's group 1 or whole. */
    public String awaitOut(String regex, long seconds) throws IOException, InterruptedException {
        return await(false, regex, seconds);
    }

    private String await(boolean stderr, String regex, long seconds) throws IOException, InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            var m = p.matcher(stderr ? err() : out());
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
            assertTrue(process.isAlive() || p.matcher(stderr ? err() : out()).find(), name + " ended early:\n" + describe());
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for /" + regex + "/ from " + name + ":\n" + describe());
    }

    /** Writes {@code text} (UTF-8) to the process's standard input and flushes it. */
    public void writeStdin(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Closes the process's standard input: the end of input it reads. */
    public void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    /** SIGTERM, then the exit code (bounded wait). */
    public int terminate() throws InterruptedException {
        process.destroy();
        return exitCode(15);
    }

    /**
     * SIGTERM alone, then the exit code (bounded wait). Unlike {@link #terminate()} (Process.destroy,
     * which also closes the pipe to the process's standard input) the process does not see its
     * input end, so a command reading standard input is stopped by the signal and nothing else.
     */
    public int sigterm() throws InterruptedException {
        process.toHandle().destroy();
        return exitCode(15);
    }

    /** SIGKILL, as a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
    }

    /** Waits up to {@code seconds} for the exit code. */
    public int exitCode(long seconds) throws InterruptedException {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), name + " did not end in " + seconds + " s");
        return process.exitValue();
    }

    /** The command line and everything it printed so far, for assertion messages. */
    public String describe() throws IOException {
        return "--- " + name + " out ---\n" + out() + "--- err ---\n" + err();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(15, TimeUnit.SECONDS);
        }
    }
}
