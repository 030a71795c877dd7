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
 * {@code zmq4j recv}: receives messages on a PULL socket by default and prints each, one line per
 * message; a REP socket echoes each request or answers {@code --reply}. Thread-safety: a picocli
 * command, run once on one thread.
 */
@Command(name = "recv",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Receives messages and prints them, one per line, like a one-line PULL/REP/DEALER.",
        description = {
            "Opens a socket (PULL unless --type), binds and/or connects it and prints each message on standard"
                    + " output: one line per message, its frames joined by a tab (--separator), as UTF-8 text or"
                    + " hexadecimal (--hex); with --frames, one line per frame. Runs until --count messages came,"
                    + " a SIGINT/SIGTERM (exit 0), or --timeout passed without a message (exit 3).",
            "REP answers each request with the request itself, or with the --reply frames. SUB and XSUB"
                    + " subscribe to everything (use 'sub' to choose). Notes go to standard error."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:--count messages received, or stopped by SIGINT/SIGTERM", ExitCodes.FAILURE_LINE,
            ExitCodes.USAGE_LINE, ExitCodes.RECV_TIMEOUT_LINE})
public final class RecvCommand extends ReceivingCommand {
    private static final Set<SocketType> TYPES = EnumSet.of(SocketType.PULL, SocketType.REP, SocketType.DEALER,
            SocketType.ROUTER, SocketType.PAIR, SocketType.SUB, SocketType.XSUB, SocketType.CLIENT, SocketType.GATHER);

    @Option(names = "--type", order = 1, paramLabel = "TYPE", defaultValue = "pull", converter = SocketTypes.class,
            description = "Socket type, libzmq's name in any case: pull, rep, dealer, router, pair, sub, xsub,"
                    + " client, gather (default: ${DEFAULT-VALUE}).")
    SocketType type;

    @Option(names = "--reply", order = 4, paramLabel = "FRAME",
            description = "With --type rep: answer every request with these frames (repeat for several;"
                    + " hexadecimal with --hex) instead of echoing it.")
    List<String> replyFrames = new ArrayList<>();

    private Multipart fixedReply;

    /** Used by picocli. */
    public RecvCommand() {
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
        return "receive";
    }

    @Override
    protected void checkOwn() {
        if (replyFrames.isEmpty()) {
            return;
        }
        if (type != SocketType.REP) {
            throw usage("--reply needs --type rep");
        }
        fixedReply = new Multipart();
        try {
            for (int i = 0; i < replyFrames.size(); i++) {
                fixedReply.add(format.frame(replyFrames.get(i), "--reply " + (i + 1)));
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    @Override
    protected List<byte[]> subscriptions() {
        return List.of(new byte[0]);
    }

    @Override
    protected Multipart reply(Multipart request) {
        return fixedReply != null ? fixedReply : request;
    }
}
