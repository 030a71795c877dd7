package org.zmq4j.tools.oneliners;

import java.util.List;

import org.zmq4j.Context;
import org.zmq4j.Multipart;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

import picocli.CommandLine.Mixin;

/**
 * {@code recv} and {@code sub}: receive messages and print each on standard output, until
 * {@code --count} messages came, a signal, or {@code --timeout} without a message (exit 3).
 * <p>
 * Thread-safety: as {@link OneLiner}, everything on the command's thread.
 */
abstract class ReceivingCommand extends SocketCommand {
    @picocli.CommandLine.Option(names = "--count", order = 5, paramLabel = "N", defaultValue = "0",
            description = "Exit 0 after N messages (default: 0, no end).")
    long count;

    @picocli.CommandLine.Option(names = "--timeout", order = 6, paramLabel = "MS", defaultValue = "-1", converter = Millis.class,
            description = "How long to wait for each message (RCVTIMEO); then exit 3 (default: forever).")
    long timeoutMillis;

    @Mixin
    FrameFormat format;

    /**
     * The prefixes a SUB or XSUB socket subscribes to.
     *
     * @return prefixes; the empty one for everything
     */
    protected abstract List<byte[]> subscriptions();

    /**
     * The reply a REP socket sends to {@code request}.
     *
     * @param request what came
     * @return the reply
     */
    protected abstract Multipart reply(Multipart request);

    /** The command's own checks, after the shared ones. */
    protected abstract void checkOwn();

    @Override
    protected final void checkMore() {
        format.check(spec);
        if (count < 0) {
            throw usage("--count must be 0 (no end) or more, got " + count);
        }
        checkOwn();
    }

    @Override
    protected final int execute(Context context) throws Exception {
        SocketType type = type();
        Socket socket = open(context, type);
        if (type == SocketType.SUB) {
            for (byte[] prefix : subscriptions()) {
                socket.subscribe(prefix);
            }
        } else if (type == SocketType.XSUB) {
            for (byte[] prefix : subscriptions()) {
                socket.send(FrameFormat.prefixed(1, prefix));
            }
        }
        socket.setOption(Option.RCVTIMEO, timeoutMillis < 0 ? -1 : (int) timeoutMillis);
        long received = 0;
        while (count == 0 || received < count) {
            checkStop();
            Multipart m = socket.recvMultipart();
            if (m == null) {
                throw new Timeout("timed out after " + timeoutMillis + " ms waiting for "
                        + (received == 0 ? "a message" : "message " + (received + 1)) + " on " + endpointList());
            }
            received++;
            format.print(out(), m);
            checkOutput();
            if (type == SocketType.REP) {
                socket.send(reply(m));
            }
        }
        note("received " + received + " message" + (received == 1 ? "" : "s"));
        return ExitCodes.OK;
    }
}
