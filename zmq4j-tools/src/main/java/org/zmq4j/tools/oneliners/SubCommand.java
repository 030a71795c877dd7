package org.zmq4j.tools.oneliners;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.zmq4j.Multipart;
import org.zmq4j.SocketType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zmq4j sub}: subscribes (to everything by default, or to the {@code --subscribe} prefixes)
 * and prints each message, one line per message. Thread-safety: a picocli command, run once on one
 * thread.
 */
@Command(name = "sub",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Subscribes and prints the messages, one per line, like a one-line SUB.",
        description = {
            "Opens a SUB socket, subscribes to each --subscribe prefix (default: everything), binds and/or connects"
                    + " it and prints each message on standard output: one line per message, its frames joined by a"
                    + " tab (--separator), as UTF-8 text or hexadecimal (--hex); with --frames, one line per frame."
                    + " Runs until --count messages came, a SIGINT/SIGTERM (exit 0), or --timeout passed without a"
                    + " message (exit 3). A prefix matches the start of a message's first frame.",
            "Notes go to standard error."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:--count messages received, or stopped by SIGINT/SIGTERM", ExitCodes.FAILURE_LINE,
            ExitCodes.USAGE_LINE, ExitCodes.RECV_TIMEOUT_LINE})
public final class SubCommand extends ReceivingCommand {
    private static final Set<SocketType> TYPES = EnumSet.of(SocketType.SUB, SocketType.XSUB);

    @Option(names = "--type", order = 1, paramLabel = "TYPE", defaultValue = "sub", converter = SocketTypes.class,
            description = "Socket type: sub or xsub (default: ${DEFAULT-VALUE}).")
    SocketType type;

    @Option(names = "--subscribe", order = 4, paramLabel = "PREFIX",
            description = "Receive the messages whose first frame starts with PREFIX (hexadecimal with --hex);"
                    + " repeatable. Default: everything.")
    List<String> prefixes = new ArrayList<>();

    private final List<byte[]> subscriptions = new ArrayList<>();

    /** Used by picocli. */
    public SubCommand() {
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
        return "subscribe";
    }

    @Override
    protected void checkOwn() {
        subscriptions.clear();
        if (prefixes.isEmpty()) {
            subscriptions.add(new byte[0]);
            return;
        }
        try {
            for (String p : prefixes) {
                subscriptions.add(format.frame(p, "--subscribe"));
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    @Override
    protected List<byte[]> subscriptions() {
        return subscriptions;
    }

    @Override
    protected Multipart reply(Multipart request) {
        throw new IllegalStateException("a subscriber does not reply");
    }
}
