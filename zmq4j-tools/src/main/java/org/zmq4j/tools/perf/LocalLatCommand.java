package org.zmq4j.tools.perf;

import org.zmq4j.Context;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

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
                + " <roundtrip-count> requests of <msg-size> bytes back to remote-lat.")
public final class LocalLatCommand extends PerfSubcommand {
    @Parameters(index = "0", paramLabel = "<bind-endpoint>", description = "e.g. tcp://*:5555")
    private String endpoint;

    @Parameters(index = "1", paramLabel = "<msg-size>", description = "bytes per message")
    private int messageSize;

    @Parameters(index = "2", paramLabel = "<roundtrip-count>", description = "number of round trips")
    private int roundTrips;

    /** Used by picocli. */
    public LocalLatCommand() {
    }

    @Override
    protected void run() {
        requireMessageSize(messageSize);
        requireCount("<roundtrip-count>", roundTrips);
        // Closing the context waits (LINGER) until the last reply has been sent.
        try (Context context = newContext(); Socket rep = newSocket(context, SocketType.REP)) {
            rep.bind(endpoint);
            if (!rep.lastEndpoint().equals(endpoint)) {
                err().println("bound to " + rep.lastEndpoint());
                err().flush();
            }
            Latency.echo(rep, messageSize, roundTrips);
        }
    }
}
