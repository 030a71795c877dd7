package org.zmq4j.tools.oneliners;

import java.util.EnumSet;
import java.util.Set;

import org.zmq4j.SocketType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zmq4j send}: sends one message made of the FRAME arguments (or each line of standard input
 * as a message) on a PUSH socket by default, after waiting for a peer; a REQ socket prints each
 * reply. Thread-safety: a picocli command, run once on one thread.
 */
@Command(name = "send",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Sends a message (FRAME arguments) or standard input's lines, like a one-line PUSH/REQ/DEALER.",
        description = {
            "Opens a socket (PUSH unless --type), binds and/or connects it, waits for a peer (saying 'waiting for"
                    + " peer on EP' on standard error when there is none yet), then sends the FRAME arguments as one"
                    + " message (several frames: a multipart message), --count times. Without FRAME, each line of"
                    + " standard input is a message of one frame (or of several, split at --separator)."
                    + " Frames are UTF-8 text, or hexadecimal with --hex.",
            "REQ prints each reply on standard output, as 'recv' prints messages (frames joined by a tab)."
                    + " PUB/XPUB wait for a first subscription rather than a bare connection (use 'pub')."
                    + " ROUTER needs the peer's routing id as the first frame.",
            "Closing waits up to --linger for the messages to leave; notes go to standard error."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:sent (stopped by SIGINT/SIGTERM: also 0)", ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE,
            ExitCodes.SEND_TIMEOUT_LINE})
public final class SendCommand extends SendingCommand {
    private static final Set<SocketType> TYPES = EnumSet.of(SocketType.PUSH, SocketType.REQ, SocketType.DEALER,
            SocketType.ROUTER, SocketType.PAIR, SocketType.PUB, SocketType.XPUB, SocketType.CLIENT, SocketType.SCATTER);

    @Option(names = "--type", order = 1, paramLabel = "TYPE", defaultValue = "push", converter = SocketTypes.class,
            description = "Socket type, libzmq's name in any case: push, req, dealer, router, pair, pub, xpub,"
                    + " client, scatter (default: ${DEFAULT-VALUE}).")
    SocketType type;

    /** Used by picocli. */
    public SendCommand() {
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
        return "send";
    }

    @Override
    protected String topic() {
        return null;
    }
}
