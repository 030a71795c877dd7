package org.zmq4j.tools.oneliners;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.zmq4j.Context;
import org.zmq4j.Multipart;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code send} and {@code pub}: wait for a peer (for PUB and XPUB, for a first subscription, so that
 * the first message is not dropped), then send the FRAME arguments as one message, {@code --count}
 * times, or each line of standard input as a message; a REQ socket prints each reply.
 * <p>
 * Thread-safety: as {@link OneLiner}, everything on the command's thread (standard input is read
 * ahead by a daemon thread of {@link StdinLines}).
 */
abstract class SendingCommand extends SocketCommand {
    @Parameters(paramLabel = "FRAME", arity = "0..*",
            description = "The message's frames (several make a multipart message); put -- before a frame that"
                    + " starts with '-'. Without FRAME, each line of standard input is sent as a message.")
    List<String> frameArguments = new ArrayList<>();

    @picocli.CommandLine.Option(names = "--count", order = 5, paramLabel = "N",
            description = "Send N messages: the FRAME message N times, or the first N lines of standard input;"
                    + " 0 = no end (until a signal, or the end of standard input). Default: once with FRAME,"
                    + " every line of standard input.")
    Integer count;

    @picocli.CommandLine.Option(names = "--timeout", order = 6, paramLabel = "MS", defaultValue = "-1", converter = Millis.class,
            description = "How long to wait for a peer, for each message to be taken (SNDTIMEO) and, for REQ, for each"
                    + " reply; then exit 3 (default: forever).")
    long timeoutMillis;

    @picocli.CommandLine.Option(names = "--interval", order = 7, paramLabel = "MS", defaultValue = "0", converter = Millis.class,
            description = "Pause between messages (default: none).")
    long intervalMillis;

    @Mixin
    FrameFormat format;

    private List<byte[]> message;
    private byte[] topicFrame;

    /**
     * The topic frame put before every message's frames, given as text (or hex with --hex).
     *
     * @return the topic, or null for none
     */
    protected abstract String topic();

    @Override
    protected final void checkMore() {
        format.check(spec);
        if (count != null && count < 0) {
            throw usage("--count must be 0 (no end) or more, got " + count);
        }
        if (intervalMillis < 0) {
            throw usage("--interval must be a time of 0 or more, not forever");
        }
        try {
            message = new ArrayList<>();
            for (int i = 0; i < frameArguments.size(); i++) {
                message.add(format.frame(frameArguments.get(i), "FRAME " + (i + 1)));
            }
            topicFrame = topic() == null ? null : format.frame(topic(), "--topic");
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    @Override
    protected final boolean dropsAreFailures() {
        return true;
    }

    @Override
    protected final int execute(Context context) throws Exception {
        SocketType type = type();
        boolean publisher = type == SocketType.PUB || type == SocketType.XPUB;
        // an XPUB is a PUB that shows the subscriptions: wait for one, so that the first message is not lost
        Socket socket = open(context, publisher ? SocketType.XPUB : type);
        int timeout = timeoutMillis < 0 ? -1 : (int) timeoutMillis;
        socket.setOption(Option.SNDTIMEO, timeout);
        if (publisher) {
            awaitPeer(ms -> awaitSubscription(socket, ms), timeoutMillis, " (a subscriber)");
        } else {
            awaitPeer(watch()::await, timeoutMillis, "");
        }
        socket.setOption(Option.RCVTIMEO, timeout); // REQ: the reply's bound
        long sent = 0;
        if (!message.isEmpty()) {
            long n = count == null ? 1 : count;
            while (n == 0 || sent < n) {
                checkStop();
                pause(sent);
                send(socket, message, sent + 1);
                sent++;
            }
        } else {
            sent = sendLines(socket);
        }
        note("sent " + sent + " message" + (sent == 1 ? "" : "s"));
        return ExitCodes.OK;
    }

    private long sendLines(Socket socket) throws Exception {
        note("no FRAME arguments: sending each line of standard input as a message");
        StdinLines lines = StdinLines.start(System.in);
        long n = count == null ? 0 : count;
        long sent = 0;
        long number = 0;
        while (n == 0 || sent < n) {
            byte[] line;
            try {
                line = lines.next();
            } catch (IOException e) {
                throw new Failure("cannot read standard input: " + e.getMessage());
            }
            if (line == null) {
                break;
            }
            number++;
            List<byte[]> frames;
            try {
                frames = format.lineFrames(line, number);
            } catch (IllegalArgumentException e) {
                throw new Failure(e.getMessage());
            }
            checkStop();
            pause(sent);
            send(socket, frames, sent + 1);
            sent++;
        }
        return sent;
    }

    private void pause(long sent) throws InterruptedException {
        if (sent > 0 && intervalMillis > 0) {
            Thread.sleep(intervalMillis); // the user's pacing between messages
        }
    }

    private void send(Socket socket, List<byte[]> frames, long number) throws Timeout, Failure {
        Multipart m = new Multipart();
        if (topicFrame != null) {
            m.add(topicFrame);
        }
        for (byte[] f : frames) {
            m.add(f);
        }
        if (!socket.send(m)) {
            throw new Timeout("timed out after " + timeoutMillis + " ms sending message " + number + " on "
                    + endpointList() + ": no peer took it");
        }
        if (type() == SocketType.REQ) {
            Multipart reply = socket.recvMultipart();
            if (reply == null) {
                throw new Timeout("timed out after " + timeoutMillis + " ms waiting for the reply to message " + number
                        + " on " + endpointList());
            }
            format.print(out(), reply);
            checkOutput();
        }
    }

    /** XPUB: waits for a subscribe message (1, then the prefix); unsubscriptions are skipped. */
    private static boolean awaitSubscription(Socket xpub, long millis) {
        long deadline = System.nanoTime() + Math.max(0, millis) * 1_000_000L;
        while (true) {
            long left = millis < 0 ? -1 : Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            xpub.setOption(Option.RCVTIMEO, (int) left);
            byte[] f = xpub.recv();
            if (f == null) {
                return false;
            }
            if (f.length > 0 && f[0] == 1) {
                return true;
            }
            if (millis >= 0 && System.nanoTime() >= deadline) {
                return false;
            }
        }
    }
}
