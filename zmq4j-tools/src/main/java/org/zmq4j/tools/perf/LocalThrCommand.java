package org.zmq4j.tools.perf;

import org.zmq4j.Context;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

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
                + " The clock starts at the first message.")
public final class LocalThrCommand extends PerfSubcommand {
    @Parameters(index = "0", paramLabel = "<bind-endpoint>", description = "e.g. tcp://*:5555")
    private String endpoint;

    @Parameters(index = "1", paramLabel = "<msg-size>", description = "bytes per message")
    private int messageSize;

    @Parameters(index = "2", paramLabel = "<msg-count>", description = "number of messages")
    private int messageCount;

    /** Used by picocli. */
    public LocalThrCommand() {
    }

    @Override
    protected void run() {
        requireMessageSize(messageSize);
        requireCount("<msg-count>", messageCount);
        try (Context context = newContext(); Socket pull = newSocket(context, SocketType.PULL)) {
            pull.bind(endpoint);
            if (!pull.lastEndpoint().equals(endpoint)) {
                err().println("bound to " + pull.lastEndpoint());
                err().flush();
            }
            ThroughputResult result = Throughput.receive(pull, messageSize, messageCount);
            result.libzmqReport().forEach(out()::println);
        }
    }
}
