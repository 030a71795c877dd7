package org.zmq4j.transport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.zmq4j.SocketType;

/**
 * A libzmq process: pyzmq running the existing line protocol driver {@code src/test/python/zpeer.py}
 * (used unmodified; its header documents the protocol). Every request waits a bounded time for its
 * reply. Tests are skipped (JUnit assumption) only when /usr/bin/python3 or its zmq module is
 * missing.
 */
final class ZPeerProcess implements AutoCloseable {
    private static final long MARGIN_MS = 15_000;
    private static final String EOF = "\u0000EOF";
    private static final HexFormat HEX = HexFormat.of();
    private static volatile String unavailable; // null = unchecked, "" = available

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final String banner;
    private int sockets;

    private ZPeerProcess(Process process) {
        this.process = process;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII), 1 << 16);
        Thread out = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                    replies.add(line);
                }
            } catch (IOException ignored) {
                // process gone
            }
            replies.add(EOF);
        }, "zpeer-out-" + process.pid());
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (stderr.length() < 20_000) {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "zpeer-err-" + process.pid());
        err.setDaemon(true);
        err.start();
        String first = take(MARGIN_MS, "startup");
        if (!first.startsWith("ready ")) {
            process.destroyForcibly();
            fail("zpeer did not start: " + first + "\n" + stderr);
        }
        banner = first.substring(6);
    }

    static String python() {
        return System.getProperty("zmq4j.python", "/usr/bin/python3");
    }

    /** Skips the calling test unless python3 with pyzmq is usable. */
    static void assumeAvailable() {
        String why = unavailable;
        if (why == null) {
            why = check();
            unavailable = why;
        }
        Assumptions.assumeTrue(why.isEmpty(), why);
    }

    private static String check() {
        String python = python();
        if (!new File(python).canExecute()) {
            return "no python interpreter at " + python;
        }
        try {
            Process p = new ProcessBuilder(python, "-c", "import zmq").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "python -c 'import zmq' did not finish";
            }
            return p.exitValue() == 0 ? "" : "pyzmq missing: " + out.trim();
        } catch (IOException e) {
            return "cannot run " + python + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Path script() {
        Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p : List.of(dir.resolve("src/test/python/zpeer.py"), dir.resolve("zmq4j/src/test/python/zpeer.py"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new AssertionError("src/test/python/zpeer.py not found from " + dir);
    }

    /** Starts a peer process (skips the test when pyzmq is unavailable). */
    static ZPeerProcess start() {
        assumeAvailable();
        ProcessBuilder pb = new ProcessBuilder(python(), "-u", script().toString(), "--max-seconds", "300");
        try {
            return new ZPeerProcess(pb.start());
        } catch (IOException e) {
            throw new AssertionError("cannot start " + pb.command(), e);
        }
    }

    /** "zmq=4.3.4 pyzmq=... pid=...". */
    String banner() {
        return banner;
    }

    private String take(long millis, String what) {
        try {
            String line = replies.poll(millis, TimeUnit.MILLISECONDS);
            if (line == null) {
                fail("zpeer gave no reply to '" + what + "' within " + millis + " ms\n" + stderr);
            }
            if (line.equals(EOF)) {
                replies.add(EOF);
                fail("zpeer exited during '" + what + "'\n" + stderr);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends one request and returns its reply line; fails on "err ...". */
    String request(String line, long extraMillis) {
        String shortLine = line.length() > 120 ? line.substring(0, 120) + "..." : line;
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to zpeer: " + e + "\n" + stderr, e);
        }
        String reply = take(MARGIN_MS + extraMillis, shortLine);
        if (reply.startsWith("err ")) {
            throw new PeerError(reply.substring(4), shortLine);
        }
        return reply;
    }

    /** A libzmq socket in this process. */
    End socket(SocketType type) {
        String name = "s" + (++sockets);
        request("socket " + name + " " + type.name(), 0);
        return new PyEnd(name, type);
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                stdin.write("exit\n");
                stdin.flush();
                stdin.close();
            }
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** An "err ERRNAME text" reply. */
    static final class PeerError extends AssertionError {
        private static final long serialVersionUID = 1L;
        final String errno;

        PeerError(String reply, String request) {
            super("zpeer failed '" + request + "': " + reply);
            int sp = reply.indexOf(' ');
            this.errno = sp < 0 ? reply : reply.substring(0, sp);
        }
    }

    private static String hex(byte[] b) {
        return "x" + HEX.formatHex(b);
    }

    private final class PyEnd implements End {
        private final String name;
        private final SocketType type;

        PyEnd(String name, SocketType type) {
            this.name = name;
            this.type = type;
        }

        @Override
        public SocketType type() {
            return type;
        }

        @Override
        public String bind(String endpoint) {
            return request("bind " + name + " " + endpoint, 0).substring(3);
        }

        @Override
        public void connect(String endpoint) {
            request("connect " + name + " " + endpoint, 0);
        }

        @Override
        public void unbind(String endpoint) {
            request("unbind " + name + " " + endpoint, 0);
        }

        @Override
        public void routingId(byte[] id) {
            request("setopt " + name + " ROUTING_ID " + hex(id), 0);
        }

        @Override
        public void subscribe(byte[] prefix) {
            request("setopt " + name + " SUBSCRIBE " + hex(prefix), 0);
        }

        @Override
        public void unsubscribe(byte[] prefix) {
            request("setopt " + name + " UNSUBSCRIBE " + hex(prefix), 0);
        }

        @Override
        public void routerMandatory() {
            request("setopt " + name + " ROUTER_MANDATORY 1", 0);
        }

        @Override
        public void send(List<byte[]> frames) {
            StringBuilder sb = new StringBuilder(type == SocketType.ROUTER ? "sendretry " : "send ");
            sb.append(name).append(' ').append(TransportTestSupport.TIMEOUT_MS);
            for (byte[] f : frames) {
                sb.append(' ').append(hex(f));
            }
            request(sb.toString(), TransportTestSupport.TIMEOUT_MS);
        }

        @Override
        public List<byte[]> recv(long timeoutMs) {
            String reply = request("recv " + name + " " + timeoutMs, timeoutMs);
            if (reply.equals("timeout")) {
                return null;
            }
            if (!reply.startsWith("msg ")) {
                fail("unexpected zpeer reply: " + reply);
            }
            List<byte[]> frames = new ArrayList<>();
            for (String token : reply.substring(4).split(" ")) {
                frames.add(HEX.parseHex(token.substring(1)));
            }
            return frames;
        }

        @Override
        public String describe() {
            return "libzmq " + type;
        }
    }
}
