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
 * {@code zmq4j perf remote-thr}: the sending side of a throughput test, like libzmq's remote_thr.
 * Connects a PUSH socket, sends the messages and exits once they are delivered.
 */
@Command(name = "remote-thr",
        mixinStandardHelpOptions = true,
        header = "Throughput sender (PUSH), like libzmq's remote_thr.",
        description = "Throughput sender (PUSH), like libzmq's remote_thr: connects to local-thr, sends"
                + " <msg-count> messages of <msg-size> bytes and waits until they are delivered.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (wrong message size, ZeroMQ error)", "2:usage error",
            "3:timed out: no peer within --timeout"})
public final class RemoteThrCommand extends PerfSubcommand {
    @Parameters(index = "0", paramLabel = "<connect-endpoint>", description = "e.g. tcp://127.0.0.1:5555")
    private String endpoint;

    @Parameters(index = "1", paramLabel = "<msg-size>", description = "bytes per message")
    private int messageSize;

    @Parameters(index = "2", paramLabel = "<msg-count>", description = "number of messages")
    private int messageCount;

    @CommandLine.Option(names = "--timeout", paramLabel = "<ms>", defaultValue = "30s", converter = Millis.class,
            description = "How long to wait for local-thr to connect, then exit 3; meanwhile 'waiting for peer on EP'"
                    + " goes to standard error. Milliseconds, or with a unit (2s); -1 = forever"
                    + " (default: ${DEFAULT-VALUE}).")
    private long timeoutMillis;

    /** Used by picocli. */
    public RemoteThrCommand() {
    }

    @Override
    protected void run() {
        requireMessageSize(messageSize);
        requireCount("<msg-count>", messageCount);
        // Closing the context waits (LINGER, infinite by default) until every queued message is sent.
        try (Context context = newContext(); Socket push = newSocket(context, SocketType.PUSH)) {
            try (PeerWatch watch = watchPeer(push)) {
                push.connect(endpoint);
                awaitPeer(watch, endpoint, timeoutMillis);
            }
            Throughput.send(push, messageSize, messageCount);
        }
    }
}
