package org.zmq4j.tools.perf;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.tools.oneliners.ExitCodes;
import org.zmq4j.tools.oneliners.Millis;
import org.zmq4j.tools.oneliners.PeerWatch;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every {@code perf} subcommand shares: the {@code --hwm} and {@code --io-threads} options,
 * argument checks that end in a usage error, the output stream picocli was given, and waiting for
 * the peer ("waiting for peer on EP" on standard error, exit code 3 after {@code --timeout}).
 */
abstract class PerfSubcommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @CommandLine.Option(names = "--hwm", defaultValue = "1000", paramLabel = "<messages>",
            description = "Send and receive high-water mark of every socket, in messages"
                    + " (0 = no limit; default: ${DEFAULT-VALUE}, as libzmq).")
    private int highWaterMark;

    @CommandLine.Option(names = "--io-threads", defaultValue = "1", paramLabel = "<n>",
            description = "I/O threads of each context (default: ${DEFAULT-VALUE}, as libzmq).")
    private int ioThreads;

    /**
     * Checks the shared options, then runs the test.
     *
     * @return exit code 0; failures are thrown and reported by the command line
     */
    @Override
    public final Integer call() throws Exception {
        require(highWaterMark >= 0, "--hwm must be 0 or more, got " + highWaterMark);
        require(ioThreads >= 1, "--io-threads must be at least 1, got " + ioThreads);
        try {
            run();
        } catch (PeerTimeoutException e) {
            out().flush();
            err().println(spec.name() + ": " + e.getMessage());
            err().flush();
            return ExitCodes.TIMEOUT;
        }
        out().flush();
        return 0;
    }

    /** The command, for subcommands with options of their own (--http). */
    protected final CommandSpec spec() {
        return spec;
    }

    /**
     * Starts watching {@code socket} for its peer's handshake; call before its bind or connect.
     * Handshake failures are reported on standard error as they happen.
     *
     * @param socket the socket
     * @return the watch, to close before the socket
     */
    protected final PeerWatch watchPeer(Socket socket) {
        return PeerWatch.start(socket, problem -> {
            PrintWriter err = err();
            synchronized (err) {
                err.println(spec.name() + ": " + problem);
                err.flush();
            }
        });
    }

    /**
     * Waits for the peer's handshake: silently for a moment, then saying "waiting for peer on EP" on
     * standard error, until {@code timeoutMillis} (inproc endpoints: no wait, the peer is in this
     * process).
     *
     * @param watch         the socket's watch, started before its bind or connect
     * @param endpoint      the endpoint, for the note
     * @param timeoutMillis the bound, or {@link Millis#FOREVER}
     * @throws PeerTimeoutException when no peer came in time (the command exits with 3)
     * @throws PerfException when interrupted
     */
    protected final void awaitPeer(PeerWatch watch, String endpoint, long timeoutMillis) {
        if (endpoint.startsWith("inproc://")) {
            return;
        }
        boolean connected;
        try {
            connected = PeerWatch.awaitWithNotice(watch::await, timeoutMillis, () -> {
                err().println(spec.name() + ": waiting for peer on " + endpoint);
                err().flush();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PerfException("interrupted while waiting for peer on " + endpoint, e);
        }
        if (!connected) {
            String problem = watch.lastProblem();
            throw new PeerTimeoutException("timed out after " + timeoutMillis + " ms waiting for peer on " + endpoint
                    + (problem == null ? "" : "; last: " + problem));
        }
    }

    /** No peer within {@code --timeout}: the command says so and exits with 3. */
    static final class PeerTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what was waited for, naming the endpoint
         */
        PeerTimeoutException(String message) {
            super(message);
        }
    }

    /**
     * Runs the test, printing results to {@link #out()}.
     *
     * @throws Exception when the test fails; the command line reports it and exits with 1
     */
    protected abstract void run() throws Exception;

    /**
     * Where results go.
     *
     * @return picocli's output stream: standard output unless a test replaced it
     */
    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /**
     * Where notes that are not results go, so that standard output keeps libzmq's format.
     *
     * @return picocli's error stream
     */
    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Fails with a usage error (exit code 2) when {@code condition} is false.
     *
     * @param condition what must hold
     * @param message   the error shown above the usage help
     */
    protected final void require(boolean condition, String message) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /**
     * Checks a message size argument: 0 bytes or more.
     *
     * @param size the argument
     */
    protected final void requireMessageSize(int size) {
        require(size >= 0, "<msg-size> must be 0 or more bytes, got " + size);
    }

    /**
     * Checks a count argument: at least one.
     *
     * @param name  the argument's name, for the error message
     * @param count the argument
     */
    protected final void requireCount(String name, int count) {
        require(count >= 1, name + " must be at least 1, got " + count);
    }

    /**
     * Makes a context for one side of a test.
     *
     * @return a new context with {@code --io-threads} I/O threads
     */
    protected final Context newContext() {
        return new Context(ioThreads);
    }

    /**
     * Makes a socket with both high-water marks set to {@code --hwm}.
     *
     * @param context the context to make it in
     * @param type    the socket type
     * @return the new socket
     */
    protected final Socket newSocket(Context context, SocketType type) {
        Socket socket = context.socket(type);
        try {
            socket.setOption(Option.SNDHWM, highWaterMark);
            socket.setOption(Option.RCVHWM, highWaterMark);
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * The high-water mark every socket gets.
     *
     * @return the {@code --hwm} value
     */
    protected final int highWaterMark() {
        return highWaterMark;
    }

    /**
     * The I/O threads every context gets.
     *
     * @return the {@code --io-threads} value
     */
    protected final int ioThreads() {
        return ioThreads;
    }
}
