package org.zmq4j.testsuite;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;
import org.zmq4j.SocketType;

/**
 * A libzmq process (pyzmq running {@code src/test/python/zpeer.py}) that a test scripts line by
 * line: create sockets, set options, bind/connect, send and receive multipart messages. The one
 * driver of that script: the suite's {@link LibzmqEnd} wraps its sockets, and tests elsewhere
 * (options, proxy, stream, io) script it directly.
 * <p>
 * Every call waits a bounded time for the peer's reply and fails with the peer's stderr when the
 * reply does not come; {@link #close()} asks the process to exit and kills it if it does not.
 * Tests are skipped (JUnit assumption) only when the Python interpreter or its {@code zmq} module
 * is missing; any other problem starting the peer fails the test.
 * <p>
 * System properties: {@code zmq4j.python} (interpreter, default {@code /usr/bin/python3}),
 * {@code zmq4j.zpeer} (script path, default found under {@code src/test/python}),
 * {@code zmq4j.zpeer.trace=true} (the peer logs every request and reply on its stderr, which
 * failure messages include).
 */
public final class LibzmqPeer implements AutoCloseable {
    /** How long any request may take beyond its own timeout argument. */
    static final long REPLY_MARGIN_MS = 15_000;
    private static final String EOF = "\u0000EOF";
    private static final HexFormat HEX = HexFormat.of();
    private static final AtomicInteger SOCKET_NAMES = new AtomicInteger();
    private static volatile String availability; // null = not checked, "" = ok, else why not

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final String banner;
    private boolean broken;

    private LibzmqPeer(Process process) {
        this.process = process;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII), 1 << 16);
        Thread out = new Thread(() -> pumpLines(process.getInputStream()), "zpeer-stdout-" + process.pid());
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(() -> pumpStderr(process.getErrorStream()), "zpeer-stderr-" + process.pid());
        err.setDaemon(true);
        err.start();
        String first = take(REPLY_MARGIN_MS, "startup");
        if (!first.startsWith("ready ")) {
            process.destroyForcibly();
            throw new AssertionError("zpeer did not start; first line: " + first + stderrTail());
        }
        this.banner = first.substring("ready ".length());
    }

    /**
     * Starts a peer process, or skips the calling test when python3/pyzmq is not installed.
     *
     * @return a running peer
     */
    public static LibzmqPeer start() {
        assumeAvailable();
        Path script = script();
        ProcessBuilder pb = new ProcessBuilder(python(), "-u", script.toString(), "--max-seconds", "900");
        if (Boolean.getBoolean("zmq4j.zpeer.trace")) {
            pb.environment().put("ZPEER_TRACE", "1");
        }
        try {
            return new LibzmqPeer(pb.start());
        } catch (IOException e) {
            throw new AssertionError("cannot start " + pb.command(), e);
        }
    }

    /** Skips the calling test (JUnit assumption) unless python3 with the zmq module is usable. */
    public static void assumeAvailable() {
        String why = availability;
        if (why == null) {
            why = checkAvailability();
            availability = why;
        }
        Assumptions.assumeTrue(why.isEmpty(), why);
    }

    private static synchronized String checkAvailability() {
        String python = python();
        if (!new File(python).canExecute()) {
            return "python interpreter not found: " + python + " (set -Dzmq4j.python)";
        }
        try {
            Process p = new ProcessBuilder(python, "-c", "import zmq; print(zmq.zmq_version())")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return python + " -c 'import zmq' did not finish within 60 s";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                return "pyzmq not usable with " + python + ": " + out;
            }
            return "";
        } catch (IOException e) {
            return "cannot run " + python + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking python";
        }
    }

    static String python() {
        return System.getProperty("zmq4j.python", "/usr/bin/python3");
    }

    /** Finds zpeer.py; fails (does not skip) when it is missing: that is a broken checkout. */
    static Path script() {
        String explicit = System.getProperty("zmq4j.zpeer");
        List<Path> candidates = new ArrayList<>();
        if (explicit != null) {
            candidates.add(Paths.get(explicit));
        }
        Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        candidates.add(dir.resolve("src/test/python/zpeer.py"));
        candidates.add(dir.resolve("zmq4j/src/test/python/zpeer.py"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new AssertionError("zpeer.py not found; looked at " + candidates);
    }

    /** The "ready" banner: libzmq and pyzmq versions and the pid. */
    public String banner() {
        return banner;
    }

    /** The process id of the peer. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process is running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Creates a socket in the peer.
     *
     * @param type the socket type (created with LINGER 0)
     * @return a handle to script it
     */
    public PeerSocket socket(SocketType type) {
        String name = type.name().toLowerCase() + SOCKET_NAMES.incrementAndGet();
        expectOk(request("socket " + name + " " + type.name(), 0));
        return new PeerSocket(name, type);
    }

    /**
     * Sends one request line and waits for its reply line.
     *
     * @param line      the request
     * @param timeoutMs the timeout the request itself carries (the wait adds {@link #REPLY_MARGIN_MS})
     * @return the reply line
     */
    public synchronized String request(String line, long timeoutMs) {
        if (broken) {
            throw new AssertionError("zpeer is out of step after an earlier failure; not sending: " + abbreviate(line));
        }
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            broken = true;
            throw new AssertionError("cannot write to zpeer (exited: " + exitDescription() + "): "
                    + abbreviate(line) + stderrTail(), e);
        }
        return take(timeoutMs + REPLY_MARGIN_MS, line);
    }

    private String take(long waitMs, String forWhat) {
        String reply;
        try {
            reply = replies.poll(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broken = true;
            throw new AssertionError("interrupted waiting for zpeer reply to " + abbreviate(forWhat));
        }
        if (reply == null) {
            broken = true;
            throw new AssertionError("no reply from zpeer within " + waitMs + " ms to " + abbreviate(forWhat)
                    + " (exited: " + exitDescription() + ")" + stderrTail());
        }
        if (reply == EOF) {
            broken = true;
            replies.offer(EOF);
            throw new AssertionError("zpeer closed its stdout before replying to " + abbreviate(forWhat)
                    + " (exited: " + exitDescription() + ")" + stderrTail());
        }
        return reply;
    }

    private void expectOk(String reply) {
        if (!reply.equals("ok") && !reply.startsWith("ok ")) {
            throw new AssertionError("zpeer: " + reply);
        }
    }

    /** Kills the process with SIGKILL (a crash: no linger, no goodbye) and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("zpeer pid " + process.pid() + " still alive 20 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing zpeer", e);
        }
        broken = true;
    }

    /** Asks the peer to exit (bounded wait), then kills it if it is still there. Idempotent. */
    @Override
    public void close() {
        try {
            if (process.isAlive() && !broken) {
                try {
                    request("exit", 0);
                } catch (AssertionError ignored) {
                    // killed below
                }
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            broken = true;
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                stdin.close();
            } catch (IOException ignored) {
                // the process is gone
            }
        }
    }

    private void pumpLines(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                replies.add(line);
            }
        } catch (IOException ignored) {
            // the process died; EOF below
        } finally {
            replies.add(EOF);
        }
    }

    private void pumpStderr(InputStream in) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (stderr) {
                    stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (stderr.length() > 16_384) {
                        stderr.delete(0, stderr.length() - 8_192);
                    }
                }
            }
        } catch (IOException ignored) {
            // the process died
        }
    }

    private String exitDescription() {
        return process.isAlive() ? "no, still running" : "yes, code " + process.exitValue();
    }

    /** The last few KiB the peer wrote to stderr, for failure messages. */
    public String stderrTail() {
        synchronized (stderr) {
            return stderr.length() == 0 ? "" : "\n--- zpeer stderr ---\n" + stderr + "--- end stderr ---";
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...(" + s.length() + " chars)";
    }

    static String encode(byte[] frame) {
        return "x" + HEX.formatHex(frame);
    }

    static byte[] decode(String token) {
        if (!token.startsWith("x")) {
            throw new AssertionError("zpeer sent a malformed frame token: " + abbreviate(token));
        }
        return HEX.parseHex(token, 1, token.length());
    }

    /** A socket living in the peer process. */
    public final class PeerSocket {
        private final String name;
        private final SocketType type;

        private PeerSocket(String name, SocketType type) {
            this.name = name;
            this.type = type;
        }

        /** The socket type. */
        public SocketType type() {
            return type;
        }

        /** The peer that owns this socket. */
        public LibzmqPeer peer() {
            return LibzmqPeer.this;
        }

        /** Sets an integer option (libzmq name without ZMQ_, e.g. "LINGER"). */
        public void setOption(String option, int value) {
            expectOk(request("setopt " + name + " " + option + " " + value, 0));
        }

        /** Sets a binary option (e.g. "ROUTING_ID", "SUBSCRIBE"). */
        public void setOption(String option, byte[] value) {
            expectOk(request("setopt " + name + " " + option + " " + encode(value), 0));
        }

        /** Reads an option; returns its value as text (integer, or x-hex for binary values). */
        public String getOption(String option) {
            String reply = request("getopt " + name + " " + option, 0);
            expectOk(reply);
            return reply.substring("ok ".length());
        }

        /**
         * Binds and returns the resolved endpoint.
         *
         * @param endpoint e.g. tcp://127.0.0.1:*
         * @param retryMs  how long to retry while the address is in use (a restarted peer)
         * @return the resolved endpoint, e.g. tcp://127.0.0.1:40123
         */
        public String bind(String endpoint, int retryMs) {
            String reply = request("bind " + name + " " + endpoint + " " + retryMs, retryMs);
            expectOk(reply);
            return reply.substring("ok ".length());
        }

        /** Connects to an endpoint. */
        public void connect(String endpoint) {
            expectOk(request("connect " + name + " " + endpoint, 0));
        }

        /** Unbinds an endpoint. */
        public void unbind(String endpoint) {
            expectOk(request("unbind " + name + " " + endpoint, 0));
        }

        /** Disconnects from an endpoint. */
        public void disconnect(String endpoint) {
            expectOk(request("disconnect " + name + " " + endpoint, 0));
        }

        /**
         * Sends a multipart message.
         *
         * @param frames    the frames
         * @param timeoutMs SNDTIMEO for this send
         * @param retryUnreachable whether to retry EHOSTUNREACH (ROUTER_MANDATORY) until the timeout
         * @return null when sent, else the libzmq error name (e.g. "EAGAIN")
         */
        public String send(List<byte[]> frames, int timeoutMs, boolean retryUnreachable) {
            StringBuilder sb = new StringBuilder(retryUnreachable ? "sendretry " : "send ");
            sb.append(name).append(' ').append(timeoutMs);
            for (byte[] f : frames) {
                sb.append(' ').append(encode(f));
            }
            String reply = request(sb.toString(), timeoutMs);
            if (reply.equals("ok")) {
                return null;
            }
            if (reply.startsWith("err ")) {
                String rest = reply.substring(4);
                int sp = rest.indexOf(' ');
                return sp < 0 ? rest : rest.substring(0, sp);
            }
            throw new AssertionError("zpeer: unexpected reply to send: " + abbreviate(reply));
        }

        /**
         * Receives a multipart message.
         *
         * @param timeoutMs how long to wait
         * @return the frames, or null when nothing arrived in time
         */
        public List<byte[]> recv(int timeoutMs) {
            String reply = request("recv " + name + " " + timeoutMs, timeoutMs);
            if (reply.equals("timeout")) {
                return null;
            }
            if (!reply.startsWith("msg")) {
                throw new AssertionError("zpeer: unexpected reply to recv: " + abbreviate(reply));
            }
            String[] tokens = reply.split(" ", -1);
            List<byte[]> frames = new ArrayList<>(tokens.length - 1);
            for (int i = 1; i < tokens.length; i++) {
                frames.add(decode(tokens[i]));
            }
            return frames;
        }

        /** Closes the socket (LINGER 0). */
        public void close() {
            if (!broken && process.isAlive()) {
                expectOk(request("close " + name, 0));
            }
        }

        @Override
        public String toString() {
            return "libzmq " + type + " (" + name + " in pid " + process.pid() + ")";
        }
    }
}
