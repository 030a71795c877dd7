package org.zmq4j.tools.oneliners;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.zmq4j.Context;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;

/**
 * A one-liner that opens one socket: {@code --bind}/{@code --connect}, a socket type, the CURVE and
 * PLAIN options. {@link #open} makes the socket, secures it, starts a {@link PeerWatch} and
 * attaches it to its endpoints, noting each ("bound to EP", "connecting to EP").
 * <p>
 * Thread-safety: as {@link OneLiner}, everything on the command's thread.
 */
abstract class SocketCommand extends OneLiner {
    @Mixin
    Endpoints endpoints;

    @ArgGroup(exclusive = false, validate = false, heading = "%nSecurity (libzmq's socket option names):%n")
    SecurityOptions security;

    private SecurityOptions.Plan plan;
    private PeerWatch watch;
    private final List<String> attached = new ArrayList<>();

    /**
     * The socket type the user chose (or the command's default).
     *
     * @return the type
     */
    protected abstract SocketType type();

    /**
     * The types this command can work with.
     *
     * @return the allowed types
     */
    protected abstract Set<SocketType> allowedTypes();

    /**
     * What the command does with the socket, for the message when the type does not fit.
     *
     * @return e.g. "send"
     */
    protected abstract String purpose();

    /** Checks the endpoints, the type and the security options; then {@link #checkMore()}. */
    @Override
    protected final void check() {
        if (!endpoints.any()) {
            throw usage("give at least one --bind EP or --connect EP");
        }
        if (!allowedTypes().contains(type())) {
            throw usage("--type " + SocketTypes.name(type()) + " cannot " + purpose() + " here; use one of: "
                    + SocketTypes.names(allowedTypes()));
        }
        plan = SecurityOptions.resolve(security, spec);
        checkMore();
    }

    /** The command's own checks; throw {@link #usage(String)} for a problem. */
    protected abstract void checkMore();

    /**
     * Makes the socket, secures it, watches it, binds and connects it.
     *
     * @param context the context
     * @param type    the type to make (may differ from {@link #type()}: pub makes an XPUB)
     * @return the socket, closed when the command ends
     * @throws Failure when an endpoint cannot be bound or connected, or a security file cannot be read
     */
    protected final Socket open(Context context, SocketType type) throws Failure {
        Socket socket = closeAtEnd(context.socket(type));
        secure(plan, context, socket);
        watch = closeAtEnd(PeerWatch.start(socket, notesHandshakeFailures() ? this::note : problem -> { }));
        beforeAttach(socket);
        for (String ep : endpoints.binds) {
            try {
                socket.bind(ep);
            } catch (ZmqException e) {
                throw new Failure("cannot bind --bind " + ep + ": " + e.getMessage());
            }
            String bound = socket.lastEndpoint();
            attached.add(bound.isEmpty() ? ep : bound);
            note("bound to " + (bound.isEmpty() ? ep : bound) + " (" + SocketTypes.name(type()) + ")");
        }
        for (String ep : endpoints.connects) {
            try {
                socket.connect(ep);
            } catch (ZmqException e) {
                throw new Failure("cannot connect --connect " + ep + ": " + e.getMessage());
            }
            attached.add(ep);
            note("connecting to " + ep + " (" + SocketTypes.name(type()) + ")");
        }
        return socket;
    }

    /**
     * Whether handshake failures are noted on standard error as they happen (the monitor command
     * prints them as events instead).
     *
     * @return true unless overridden
     */
    protected boolean notesHandshakeFailures() {
        return true;
    }

    /**
     * Called by {@link #open} once the socket is secured and watched, before its bind and connect.
     *
     * @param socket the socket
     */
    protected void beforeAttach(Socket socket) {
    }

    /**
     * The endpoints as bound (wildcards resolved) and connected, for messages.
     *
     * @return e.g. "tcp://127.0.0.1:5555, tcp://host:6000"
     */
    protected final String endpointList() {
        return String.join(", ", attached);
    }

    /**
     * The watch {@link #open} started.
     *
     * @return the socket's peer watch
     */
    protected final PeerWatch watch() {
        return watch;
    }

    /**
     * Waits for {@code wait} (a peer's handshake, a subscription), saying "waiting for peer on EP"
     * when it takes longer than a moment; gives up after {@code timeoutMillis}.
     *
     * @param wait          what to wait for
     * @param timeoutMillis the bound, or {@link Millis#FOREVER}
     * @param what          what the peer is, for the notes, e.g. "" or " (a subscriber)"
     * @throws Timeout when the time ran out
     * @throws InterruptedException when a signal came
     */
    protected final void awaitPeer(PeerWatch.Wait wait, long timeoutMillis, String what)
            throws Timeout, InterruptedException {
        if (endpoints.anyInproc()) {
            return; // inproc has no handshake to wait for
        }
        boolean[] noticed = {false};
        boolean ok = PeerWatch.awaitWithNotice(wait, timeoutMillis, () -> {
            noticed[0] = true;
            note("waiting for peer on " + endpointList() + what);
        });
        if (!ok) {
            String problem = watch.lastProblem();
            throw new Timeout("timed out after " + timeoutMillis + " ms waiting for peer on " + endpointList() + what
                    + (problem == null ? "" : "; last: " + problem));
        }
        if (noticed[0]) {
            note("peer connected");
        }
    }
}
