package org.zmq4j.tools.perf;

import org.zmq4j.Context;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.tools.oneliners.Millis;
import org.zmq4j.tools.oneliners.PeerWatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code zmq4j perf remote-lat}: the measuring side of a latency test, like libzmq's remote_lat.
 * Connects a REQ socket, makes the round trips and prints libzmq's result lines plus percentiles.
 */
@Command(name = "remote-lat",
        mixinStandardHelpOptions = true,
        header = "Latency measurer (REQ), like libzmq's remote_lat.",
        description = "Latency measurer (REQ), like libzmq's remote_lat: connects to local-lat, makes"
                + " <roundtrip-count> round trips of <msg-size> bytes and prints the average one-way"
                + " latency (half the mean round trip) and the round-trip p50, p99 and p99.9.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (wrong message size, ZeroMQ error)", "2:usage error",
            "3:timed out: no peer within --timeout"})
public final class RemoteLatCommand extends PerfSubcommand {
    @Parameters(index = "0", paramLabel = "<connect-endpoint>", description = "e.g. tcp://127.0.0.1:5555")
    private String endpoint;

    @Parameters(index = "1", paramLabel = "<msg-size>", description = "bytes per message")
    private int messageSize;

    @Parameters(index = "2", paramLabel = "<roundtrip-count>", description = "number of round trips")
    private int roundTrips;

    @CommandLine.Option(names = "--timeout", paramLabel = "<ms>", defaultValue = "30s", converter = Millis.class,
            description = "How long to wait for local-lat to connect, then exit 3; meanwhile 'waiting for peer on EP'"
                    + " goes to standard error. Milliseconds, or with a unit (2s); -1 = forever"
                    + " (default: ${DEFAULT-VALUE}).")
    private long timeoutMillis;

    /** Used by picocli. */
    public RemoteLatCommand() {
    }

    @Override
    protected void run() {
        requireMessageSize(messageSize);
        requireCount("<roundtrip-count>", roundTrips);
        try (Context context = newContext(); Socket req = newSocket(context, SocketType.REQ)) {
            try (PeerWatch watch = watchPeer(req)) {
                req.connect(endpoint);
                awaitPeer(watch, endpoint, timeoutMillis);
            }
            LatencyResult result = Latency.measure(req, messageSize, roundTrips);
            result.report().forEach(out()::println);
        }
    }
}
