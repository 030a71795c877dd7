package org.zmq4j.tools.perf;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code zmq4j perf demo}: a throughput test and a latency test in one process, with no setup.
 * <p>
 * Each test binds on {@code --endpoint} (a free loopback TCP port by default) and runs its peer
 * in a second thread with its own context, as if local and remote were separate processes
 * (inproc endpoints share one context, which inproc requires). Results are printed as a short
 * table: throughput in messages and megabits per second, latency as libzmq's average one-way
 * figure plus round-trip percentiles.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        header = "Throughput and latency in one process, no setup.",
        sortOptions = false,
        description = "Runs a throughput test (PUSH -> PULL) and a latency test (REQ <-> REP) in this"
                + " process over loopback TCP and prints a short table. No setup needed.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (no message within --timeout, ZeroMQ error)", "2:usage error"})
public final class DemoCommand extends PerfSubcommand {
    private static final String ROW = "%-32s%s%n";
    private static final long BIND_RETRY_NANOS = 10_000_000L;

    @CommandLine.Option(names = "--endpoint", defaultValue = "tcp://127.0.0.1:*", paramLabel = "<endpoint>",
            description = "Where the receiving side binds; port * picks a free port (default: ${DEFAULT-VALUE}).")
    private String endpoint;

    @CommandLine.Option(names = "--thr-size", defaultValue = "64", paramLabel = "<bytes>",
            description = "Message size of the throughput test (default: ${DEFAULT-VALUE}).")
    private int throughputSize;

    @CommandLine.Option(names = "--thr-count", defaultValue = "1000000", paramLabel = "<messages>",
            description = "Messages in the throughput test (default: ${DEFAULT-VALUE}).")
    private int throughputCount;

    @CommandLine.Option(names = "--lat-size", defaultValue = "64", paramLabel = "<bytes>",
            description = "Message size of the latency test (default: ${DEFAULT-VALUE}).")
    private int latencySize;

    @CommandLine.Option(names = "--lat-count", defaultValue = "20000", paramLabel = "<round-trips>",
            description = "Measured round trips in the latency test (default: ${DEFAULT-VALUE}).")
    private int latencyCount;

    @CommandLine.Option(names = "--lat-warmup", defaultValue = "1000", paramLabel = "<round-trips>",
            description = "Round trips before the measured ones, to warm up the JIT (default: ${DEFAULT-VALUE}).")
    private int latencyWarmup;

    @CommandLine.Option(names = "--timeout", defaultValue = "10", paramLabel = "<seconds>",
            description = "Give up when no message arrives for this long (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @CommandLine.Mixin
    private org.zmq4j.tools.monitor.HttpOption http = new org.zmq4j.tools.monitor.HttpOption();

    /** Used by picocli. */
    public DemoCommand() {
    }

    @Override
    protected void run() throws Exception {
        require(throughputSize >= 0, "--thr-size must be 0 or more bytes, got " + throughputSize);
        requireCount("--thr-count", throughputCount);
        require(latencySize >= 0, "--lat-size must be 0 or more bytes, got " + latencySize);
        requireCount("--lat-count", latencyCount);
        require(latencyWarmup >= 0, "--lat-warmup must be 0 or more, got " + latencyWarmup);
        require(timeoutSeconds >= 1 && timeoutSeconds <= Integer.MAX_VALUE / 1000,
                "--timeout must be between 1 and " + Integer.MAX_VALUE / 1000 + " seconds, got " + timeoutSeconds);

        out().printf(Locale.ROOT, "zmq4j perf demo over %s (io-threads %d per side, hwm %d)%n",
                endpoint, ioThreads(), highWaterMark());
        row("test", "result");
        boolean inproc = endpoint.startsWith("inproc://");
        // The connecting side's context is closed first (try-with-resources closes in reverse).
        try (Context bindSide = newContext(); Context ownConnectSide = inproc ? null : newContext()) {
            Context connectSide = inproc ? bindSide : ownConnectSide;
            try (AutoCloseable monitor = inproc ? http.start(spec(), "zmq4j perf demo", bindSide)
                    : http.start(spec(), "zmq4j perf demo", bindSide, connectSide)) {
                printThroughput(throughput(bindSide, connectSide));
                printLatency(latency(bindSide, connectSide));
                if (http.enabled()) {
                    out().flush();
                    serveUntilStopped();
                }
            }
        }
    }

    /** With --http the page stays up after the run, for a look at its figures, until SIGINT or SIGTERM. */
    private void serveUntilStopped() throws InterruptedException {
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        try (org.zmq4j.tools.patterns.StopSignals signals = org.zmq4j.tools.patterns.StopSignals.install(stop::countDown)) {
            err().println(spec().name() + ": done; the monitor stays up until SIGINT or SIGTERM");
            err().flush();
            stop.await();
        }
    }

    /** PULL binds and receives in this thread; PUSH connects and sends in a peer thread. */
    private ThroughputResult throughput(Context bindSide, Context connectSide) {
        try (Socket pull = demoSocket(bindSide, SocketType.PULL)) {
            String address = bind(pull);
            Peer<Void> sender = Peer.run("throughput sender (PUSH)", () -> {
                try (Socket push = demoSocket(connectSide, SocketType.PUSH)) {
                    push.connect(address);
                    Throughput.send(push, throughputSize, throughputCount);
                }
            });
            ThroughputResult result = Throughput.receive(pull, throughputSize, throughputCount);
            sender.await(timeoutMillis());
            return result;
        }
    }

    /** REP binds and echoes in this thread; REQ connects, warms up and measures in a peer thread. */
    private LatencyResult latency(Context bindSide, Context connectSide) {
        try (Socket rep = demoSocket(bindSide, SocketType.REP)) {
            String address = bind(rep);
            Peer<LatencyResult> measurer = Peer.call("latency measurer (REQ)", () -> {
                try (Socket req = demoSocket(connectSide, SocketType.REQ)) {
                    req.connect(address);
                    if (latencyWarmup > 0) {
                        Latency.measure(req, latencySize, latencyWarmup);
                    }
                    return Latency.measure(req, latencySize, latencyCount);
                }
            });
            Latency.echo(rep, latencySize, latencyWarmup + latencyCount);
            return measurer.await(timeoutMillis());
        }
    }

    /**
     * Binds to {@code --endpoint}. Both tests bind there in turn and a closed socket releases its
     * port in the background (as in libzmq), so with a fixed port the second bind can briefly
     * find it still in use: that is retried for up to {@code --timeout}.
     */
    private String bind(Socket socket) {
        long deadline = System.nanoTime() + timeoutMillis() * 1_000_000L;
        while (true) {
            try {
                socket.bind(endpoint);
                return socket.lastEndpoint();
            } catch (ZmqException e) {
                if (e.errno() != ZmqException.Errno.EADDRINUSE || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            LockSupport.parkNanos(BIND_RETRY_NANOS);
        }
    }

    /**
     * A socket that gives up instead of hanging when its peer fails: sends, receives and the
     * delivery of queued messages at close all time out after {@code --timeout}.
     */
    private Socket demoSocket(Context context, SocketType type) {
        Socket socket = newSocket(context, type);
        try {
            socket.setOption(Option.RCVTIMEO, timeoutMillis());
            socket.setOption(Option.SNDTIMEO, timeoutMillis());
            socket.setOption(Option.LINGER, timeoutMillis());
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void printThroughput(ThroughputResult result) {
        row("throughput, " + result.messageCount() + " x " + result.messageSize() + " B",
                String.format(Locale.ROOT, "%d msg/s, %.3f Mb/s",
                        (long) result.messagesPerSecond(), result.megabitsPerSecond()));
    }

    private void printLatency(LatencyResult result) {
        row("latency, " + result.roundTripCount() + " x " + result.messageSize() + " B",
                microseconds(result.averageLatencyMicros()) + " one-way (average)");
        row("round trip p50", microseconds(result.roundTripPercentileMicros(50)));
        row("round trip p99", microseconds(result.roundTripPercentileMicros(99)));
        row("round trip p99.9", microseconds(result.roundTripPercentileMicros(99.9)));
    }

    private void row(String test, String result) {
        out().printf(Locale.ROOT, ROW, test, result);
        out().flush();
    }

    private static String microseconds(double value) {
        return String.format(Locale.ROOT, "%.3f us", value);
    }

    private int timeoutMillis() {
        return timeoutSeconds * 1000;
    }
}
