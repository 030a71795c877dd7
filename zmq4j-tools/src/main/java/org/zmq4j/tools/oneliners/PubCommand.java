package org.zmq4j.tools.oneliners;

import java.util.EnumSet;
import java.util.Set;

import org.zmq4j.SocketType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zmq4j pub}: publishes the FRAME arguments (or standard input's lines), optionally after a
 * topic frame, once a first subscriber has subscribed. Thread-safety: a picocli command, run once
 * on one thread.
 */
@Command(name = "pub",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Publishes a message (FRAME arguments) or standard input's lines, like a one-line PUB.",
        description = {
            "Opens a PUB socket, binds and/or connects it, waits for a first subscription (saying 'waiting for"
                    + " peer on EP' on standard error while there is none: a PUB drops what nobody has subscribed"
                    + " to), then publishes the FRAME arguments as one message, --count times (0: until"
                    + " interrupted, paced by --interval). Without FRAME, each line of standard input is a message.",
            "With --topic T, every message starts with a frame T (subscribers match it by prefix: 'zmq4j sub"
                    + " --subscribe T' prints 'T<tab>data'). Frames are UTF-8 text, or hexadecimal with --hex.",
            "The socket is an XPUB so that it sees subscriptions (subscribers see Socket-Type XPUB, which every"
                    + " SUB and XSUB accepts). Subscribers that come later miss what was published before."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:published (stopped by SIGINT/SIGTERM: also 0)", ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE,
            "3:timed out: no subscriber within --timeout, or messages still queued after --linger"})
public final class PubCommand extends SendingCommand {
    private static final Set<SocketType> TYPES = EnumSet.of(SocketType.PUB, SocketType.XPUB);

    @Option(names = "--type", order = 1, paramLabel = "TYPE", defaultValue = "pub", converter = SocketTypes.class,
            description = "Socket type: pub or xpub (default: ${DEFAULT-VALUE}).")
    SocketType type;

    @Option(names = "--topic", order = 4, paramLabel = "T",
            description = "A first frame put before each message's frames (hexadecimal with --hex).")
    String topic;

    /** Used by picocli. */
    public PubCommand() {
    }

    @Override
    protected SocketType type() {
        return type;
    }

    @Override
    protected Set<SocketType> allowedTypes() {
        return TYPES;
    }

    @Override
    protected String purpose() {
        return "publish";
    }

    @Override
    protected String topic() {
        return topic;
    }
}
