package org.zmq4j.testsuite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.zmq4j.SocketType;
import org.zmq4j.support.LibzmqScript;
import org.zmq4j.support.Python;

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
    private static final HexFormat HEX = HexFormat.of();
    private static final AtomicInteger SOCKET_NAMES = new AtomicInteger();

    private final LibzmqScript process;
    private final String banner;
    private boolean broken;

    private LibzmqPeer(LibzmqScript process) {
        this.process = process;
        String first = take(REPLY_MARGIN_MS, "startup");
        if (!first.startsWith("ready ")) {
            process.kill();
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
        ProcessBuilder pb = new ProcessBuilder(Python.interpreter(), "-u", script.toString(), "--max-seconds", "900");
        if (Boolean.getBoolean("zmq4j.zpeer.trace")) {
            pb.environment().put("ZPEER_TRACE", "1");
        }
        return new LibzmqPeer(LibzmqScript.start(pb));
    }

    /** Skips the calling test (JUnit assumption) unless python3 with the zmq module is usable. */
    public static void assumeAvailable() {
        Python.assumePyzmq();
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
            process.writeLine(line);
        } catch (AssertionError e) {
            broken = true;
            throw new AssertionError("zpeer request not sent: " + abbreviate(line) + ": " + e.getMessage(), e);
        }
        return take(timeoutMs + REPLY_MARGIN_MS, line);
    }

    private String take(long waitMs, String forWhat) {
        try {
            return process.readLine(waitMs);
        } catch (AssertionError e) {
            broken = true;
            throw new AssertionError("no reply from zpeer to " + abbreviate(forWhat) + ": " + e.getMessage(), e);
        }
    }

    private void expectOk(String reply) {
        if (!reply.equals("ok") && !reply.startsWith("ok ")) {
            throw new AssertionError("zpeer: " + reply);
        }
    }

    /** Kills the process with SIGKILL (a crash: no linger, no goodbye) and waits for it to be gone. */
    public void kill() {
        broken = true;
        process.kill();
    }

    /** Asks the peer to exit (bounded wait), then kills it if it is still there. Idempotent. */
    @Override
    public void close() {
        try {
            if (process.isAlive() && !broken) {
                request("exit", 0);
            }
        } catch (AssertionError ignored) {
            // killed below
        } finally {
            broken = true;
            process.close();
        }
    }

    /** The last few KiB the peer wrote to stderr, for failure messages. */
    public String stderrTail() {
        return process.stderrTail();
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
