package org.zmq4j.tools.oneliners;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.zmq4j.Context;
import org.zmq4j.Proxy;
import org.zmq4j.ProxyHandle;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zmq4j proxy}: a {@link Proxy} between a frontend and a backend socket (a ROUTER/DEALER
 * queue by default), optionally copying every message to a capture socket, until SIGINT/SIGTERM.
 * Thread-safety: a picocli command, run once on one thread; the proxy runs on a thread of its own
 * that owns the sockets until it is stopped.
 */
@Command(name = "proxy",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Runs a proxy (zmq_proxy) between a frontend and a backend socket until interrupted.",
        description = {
            "Moves whole messages both ways between the frontend (ROUTER unless --frontend-type) and the backend"
                    + " (DEALER unless --backend-type): a shared queue for REQ clients and REP workers. Other pairs:"
                    + " xsub/xpub (a forwarder: publishers connect to the frontend, subscribers to the backend),"
                    + " pull/push (a streamer). --capture gets a copy of every message (on a PUB by default).",
            "Endpoints are bound; write '>EP' to connect instead, or '@EP' to say bind explicitly (CZMQ's"
                    + " convention; quote them: --backend '>tcp://host:5556'). Repeat an option for several."
                    + " Notes go to standard error."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGINT/SIGTERM", ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE})
public final class ProxyCommand extends OneLiner {
    private static final Set<SocketType> CAPTURE_TYPES = EnumSet.of(SocketType.PUB, SocketType.XPUB, SocketType.PUSH,
            SocketType.DEALER, SocketType.PAIR);

    @Option(names = "--frontend", order = 2, required = true, paramLabel = "EP",
            description = "The frontend's endpoint, bound ('>EP': connected); repeatable.")
    List<String> frontends = new ArrayList<>();

    @Option(names = "--backend", order = 3, required = true, paramLabel = "EP",
            description = "The backend's endpoint, bound ('>EP': connected); repeatable.")
    List<String> backends = new ArrayList<>();

    @Option(names = "--frontend-type", order = 4, paramLabel = "TYPE", defaultValue = "router", converter = SocketTypes.class,
            description = "The frontend's socket type, libzmq's name in any case (default: ${DEFAULT-VALUE}).")
    SocketType frontendType;

    @Option(names = "--backend-type", order = 5, paramLabel = "TYPE", defaultValue = "dealer", converter = SocketTypes.class,
            description = "The backend's socket type (default: ${DEFAULT-VALUE}).")
    SocketType backendType;

    @Option(names = "--capture", order = 6, paramLabel = "EP",
            description = "A capture socket's endpoint, bound ('>EP': connected): it gets a copy of every message"
                    + " either way; repeatable.")
    List<String> captures = new ArrayList<>();

    @Option(names = "--capture-type", order = 7, paramLabel = "TYPE", defaultValue = "pub", converter = SocketTypes.class,
            description = "The capture socket's type: pub, xpub, push, dealer or pair (default: ${DEFAULT-VALUE}).")
    SocketType captureType;

    @picocli.CommandLine.ArgGroup(exclusive = false, validate = false,
            heading = "%nSecurity of the frontend, the side outside peers reach (libzmq's socket option names; the backend"
                    + " and capture stay NULL):%n")
    SecurityOptions security;

    private SecurityOptions.Plan plan;

    /** Used by picocli. */
    public ProxyCommand() {
    }

    @Override
    protected void check() {
        for (SocketType t : List.of(frontendType, backendType)) {
            if (t.isThreadSafe() || t == SocketType.STREAM) {
                throw usage("a proxy moves multipart messages: " + SocketTypes.name(t) + " cannot be its frontend or backend");
            }
        }
        if (!CAPTURE_TYPES.contains(captureType)) {
            throw usage("--capture-type " + SocketTypes.name(captureType) + " cannot send; use one of: "
                    + SocketTypes.names(CAPTURE_TYPES));
        }
        plan = SecurityOptions.resolve(security, spec);
        List<String> all = new ArrayList<>(frontends);
        all.addAll(backends);
        all.addAll(captures);
        for (String ep : all) {
            if (address(ep).isEmpty()) {
                throw usage("endpoint '" + ep + "' is empty after its '" + ep.charAt(0) + "'");
            }
        }
    }

    private static boolean connects(String ep) {
        return ep.startsWith(">");
    }

    private static String address(String ep) {
        return ep.startsWith(">") || ep.startsWith("@") ? ep.substring(1) : ep;
    }

    @Override
    protected int execute(Context context) throws Exception {
        Socket frontend = side(context, "frontend", frontendType, frontends);
        Socket backend = side(context, "backend", backendType, backends);
        Socket capture = captures.isEmpty() ? null : side(context, "capture", captureType, captures);
        // the handle is closed before the sockets (last registered, first closed): the proxy lets go of them first
        ProxyHandle proxy = closeAtEnd(Proxy.start(frontend, backend, capture, null));
        note("running: frontend " + SocketTypes.name(frontendType) + " <-> backend " + SocketTypes.name(backendType)
                + (capture == null ? "" : ", capture " + SocketTypes.name(captureType)));
        while (!proxy.await(60_000)) {
            // runs until a signal interrupts this wait (EINTR) or the proxy fails
        }
        Throwable failure = proxy.failure();
        throw new Failure("the proxy stopped: " + (failure == null ? "its context closed" : failure.getMessage()));
    }

    private Socket side(Context context, String role, SocketType type, List<String> endpoints) throws Failure {
        Socket socket = closeAtEnd(context.socket(type));
        if (role.equals("frontend")) {
            secure(plan, context, socket);
        }
        if (type == SocketType.SUB) {
            socket.subscribe(new byte[0]);
        }
        for (String ep : endpoints) {
            String address = address(ep);
            try {
                if (connects(ep)) {
                    socket.connect(address);
                    note(role + " connecting to " + address + " (" + SocketTypes.name(type) + ")");
                } else {
                    socket.bind(address);
                    note(role + " bound to " + socket.lastEndpoint() + " (" + SocketTypes.name(type) + ")");
                }
            } catch (ZmqException e) {
                throw new Failure("cannot " + (connects(ep) ? "connect" : "bind") + " --" + role + " " + address + ": "
                        + e.getMessage());
            }
        }
        return socket;
    }
}
