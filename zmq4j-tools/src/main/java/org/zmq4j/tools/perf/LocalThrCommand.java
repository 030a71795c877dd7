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
 * {@code zmq4j perf local-thr}: the receiving side of a throughput test, like libzmq's local_thr.
 * Binds a PULL socket, receives the messages and prints libzmq's four result lines.
 */
@Command(name = "local-thr",
        mixinStandardHelpOptions = true,
        header = "Throughput receiver (PULL), like libzmq's local_thr.",
        description = "Throughput receiver (PULL), like libzmq's local_thr: binds, receives <msg-count>"
                + " messages of <msg-size> bytes from remote-thr and prints the mean throughput."
                + " The clock starts at the first message.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (wrong message size, ZeroMQ error)", "2:usage error",
            "3:timed out: no peer within --timeout"})
public final class LocalThrCommand extends PerfSubcommand {
    @Parameters(index = "0", paramLabel = "<bind-endpoint>", description = "e.g. tcp://*:5555")
    private String endpoint;

    @Parameters(index = "1", paramLabel = "<msg-size>", description = "bytes per message")
    private int messageSize;

    @Parameters(index = "2", paramLabel = "<msg-count>", description = "number of messages")
    private int messageCount;

    @CommandLine.Option(names = "--timeout", paramLabel = "<ms>", defaultValue = "forever", converter = Millis.class,
            description = "How long to wait for remote-thr to connect, then exit 3; meanwhile 'waiting for peer on EP'"
                    + " goes to standard error. Milliseconds, or with a unit (2s); -1 = forever"
                    + " (default: ${DEFAULT-VALUE}).")
    private long timeoutMillis;

    /** Used by picocli. */
    public LocalThrCommand() {
    }

    @Override
    protected void run() {
        requireMessageSize(messageSize);
        requireCount("<msg-count>", messageCount);
        try (Context context = newContext(); Socket pull = newSocket(context, SocketType.PULL)) {
            try (PeerWatch watch = watchPeer(pull)) {
                pull.bind(endpoint);
                if (!pull.lastEndpoint().equals(endpoint)) {
                    err().println("bound to " + pull.lastEndpoint());
                    err().flush();
                }
                awaitPeer(watch, pull.lastEndpoint(), timeoutMillis);
            }
            ThroughputResult result = Throughput.receive(pull, messageSize, messageCount);
            result.libzmqReport().forEach(out()::println);
        }
    }
}
