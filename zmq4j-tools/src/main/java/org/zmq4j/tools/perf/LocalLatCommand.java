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
 * {@code zmq4j perf local-lat}: the echoing side of a latency test, like libzmq's local_lat.
 * Binds a REP socket and sends every request straight back.
 */
@Command(name = "local-lat",
        mixinStandardHelpOptions = true,
        header = "Latency echo (REP), like libzmq's local_lat.",
        description = "Latency echo (REP), like libzmq's local_lat: binds and sends each of"
                + " <roundtrip-count> requests of <msg-size> bytes back to remote-lat.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (wrong message size, ZeroMQ error)", "2:usage error",
            "3:timed out: no peer within --timeout"})
public final class LocalLatCommand extends PerfSubcommand {
    @Parameters(index = "0", paramLabel = "<bind-endpoint>", description = "e.g. tcp://*:5555")
    private String endpoint;

    @Parameters(index = "1", paramLabel = "<msg-size>", description = "bytes per message")
    private int messageSize;

    @Parameters(index = "2", paramLabel = "<roundtrip-count>", description = "number of round trips")
    private int roundTrips;

    @CommandLine.Option(names = "--timeout", paramLabel = "<ms>", defaultValue = "forever", converter = Millis.class,
            description = "How long to wait for remote-lat to connect, then exit 3; meanwhile 'waiting for peer on EP'"
                    + " goes to standard error. Milliseconds, or with a unit (2s); -1 = forever"
                    + " (default: ${DEFAULT-VALUE}).")
    private long timeoutMillis;

    /** Used by picocli. */
    public LocalLatCommand() {
    }

    @Override
    protected void run() {
        requireMessageSize(messageSize);
        requireCount("<roundtrip-count>", roundTrips);
        // Closing the context waits (LINGER) until the last reply has been sent.
        try (Context context = newContext(); Socket rep = newSocket(context, SocketType.REP)) {
            try (PeerWatch watch = watchPeer(rep)) {
                rep.bind(endpoint);
                if (!rep.lastEndpoint().equals(endpoint)) {
                    err().println("bound to " + rep.lastEndpoint());
                    err().flush();
                }
                awaitPeer(watch, rep.lastEndpoint(), timeoutMillis);
            }
            Latency.echo(rep, messageSize, roundTrips);
        }
    }
}
