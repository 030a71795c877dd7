package org.zmq4j.tools.oneliners;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;

import org.zmq4j.CloseReport;
import org.zmq4j.Context;
import org.zmq4j.ContextConfig;
import org.zmq4j.Socket;
import org.zmq4j.ZmqException;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every one-liner command shares: a context whose sockets linger for {@code --linger}, a
 * bounded close that reports undelivered messages, SIGINT/SIGTERM as a clean stop (exit 0),
 * notes on standard error (silenced by {@code --quiet}) and the mapping of outcomes to
 * {@link ExitCodes}: a {@link Timeout} is 3, a {@link Failure} or ZeroMQ error 1, a usage error 2.
 * <p>
 * Thread-safety: picocli fills in the options, then {@link #call()} runs everything on the
 * calling thread; only notes may come from other threads (they are printed under the error
 * stream's lock).
 */
abstract class OneLiner implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--linger", order = 20, paramLabel = "MS", defaultValue = "5000", converter = Millis.class,
            description = "How long closing waits for queued messages to be delivered, then drops them and"
                    + " says how many (LINGER; default: ${DEFAULT-VALUE} ms; -1 = forever, libzmq's default).")
    long lingerMillis;

    @Option(names = {"-q", "--quiet"}, order = 21, description = "No notes on standard error; errors still go there.")
    boolean quiet;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private volatile SignalStop signals;

    /**
     * Checks the options before anything is opened; throws a {@link ParameterException} (exit code
     * 2) for a usage error.
     */
    protected abstract void check();

    /**
     * Does the command's work.
     *
     * @param context the context to make sockets in (closed by the caller)
     * @return the exit code
     * @throws Exception a {@link Timeout}, a {@link Failure}, a {@link ZmqException}, or an
     *                   interruption by a signal
     */
    protected abstract int execute(Context context) throws Exception;

    /**
     * Whether messages dropped at close make a successful run fail with exit code 3 (the
     * sending commands: what they sent did not arrive).
     *
     * @return false unless overridden
     */
    protected boolean dropsAreFailures() {
        return false;
    }

    @Override
    public final Integer call() throws Exception {
        check();
        ContextConfig.Builder config = ContextConfig.builder();
        if (lingerMillis >= 0) {
            config.linger(Duration.ofMillis(lingerMillis));
        }
        Context context = new Context(config.build());
        signals = SignalStop.install(Thread.currentThread(), () -> error("second signal: exiting at once"));
        try {
            int code;
            boolean stopped = false;
            try {
                code = execute(context);
            } catch (Timeout e) {
                error(e.getMessage());
                code = ExitCodes.TIMEOUT;
            } catch (Failure e) {
                error(e.getMessage());
                code = ExitCodes.FAILURE;
            } catch (InterruptedException e) {
                stopped = signals.fired();
                if (!stopped) {
                    error("interrupted");
                }
                code = stopped ? ExitCodes.OK : ExitCodes.FAILURE;
            } catch (ZmqException e) {
                stopped = signals.fired() && e.errno() == ZmqException.Errno.EINTR;
                if (!stopped) {
                    error(e.getMessage());
                }
                code = stopped ? ExitCodes.OK : ExitCodes.FAILURE;
            } finally {
                Thread.interrupted(); // a signal's interrupt has done its job; closing must not see it
                closeResources();
            }
            if (stopped) {
                note("stopped by signal");
            }
            return close(context, code, stopped);
        } finally {
            if (!context.isClosed()) {
                context.closeWithin(Duration.ZERO); // an unexpected error on the way: do not linger
            }
            signals.close();
        }
    }

    /** Closes the context within --linger and reports what it had to drop. */
    private int close(Context context, int code, boolean stopped) {
        if (lingerMillis < 0) {
            context.close();
            return code;
        }
        CloseReport report = context.closeWithin(Duration.ofMillis(lingerMillis));
        if (report.messagesDropped() > 0) {
            error(report.messagesDropped() + " queued message(s) not delivered within --linger " + lingerMillis
                    + " ms, dropped (" + report.connectionsCut() + " connection(s) cut)");
            if (code == ExitCodes.OK && !stopped && dropsAreFailures()) {
                return ExitCodes.TIMEOUT;
            }
        }
        return code;
    }

    /**
     * Closes {@code resource} when the command ends, before the context (last registered, first
     * closed).
     *
     * @param resource a socket, monitor, ZAP handler..., or null (ignored)
     * @param <T>      its type
     * @return the resource
     */
    protected final <T extends AutoCloseable> T closeAtEnd(T resource) {
        if (resource != null) {
            resources.push(resource);
        }
        return resource;
    }

    /**
     * Applies the security options to {@code socket} (before its bind or connect); the ZAP handler a
     * server starts is closed when the command ends.
     *
     * @throws Failure when a password file or certificate directory cannot be read
     */
    final void secure(SecurityOptions.Plan plan, Context context, Socket socket) throws Failure {
        try {
            closeAtEnd(plan.apply(context, socket, this::note));
        } catch (java.io.IOException e) {
            throw new Failure("cannot read the security settings: " + e.getMessage());
        }
    }

    private void closeResources() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                error("while closing: " + e.getMessage());
            }
        }
    }

    /**
     * Throws {@link InterruptedException} when a signal asked the command to stop, for loops
     * whose calls do not block (a PUB send never does).
     *
     * @throws InterruptedException when the thread was interrupted
     */
    protected static void checkStop() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("stop requested");
        }
    }

    /**
     * Fails when standard output can no longer be written (e.g. {@code | head -1} has ended), so
     * that a command printing messages stops instead of receiving for nobody.
     *
     * @throws Failure when the output stream reported an error
     */
    protected final void checkOutput() throws Failure {
        // picocli's writer wraps System.out, a PrintStream that keeps write errors to itself
        if (out().checkError() || System.out.checkError()) {
            throw new Failure("standard output is closed; stopping");
        }
    }

    /**
     * Fails with a usage error (exit code 2).
     *
     * @param message what is wrong, naming the option
     * @return never returns normally; declared for {@code throw usage(...)}
     */
    protected final ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * Prints a note on standard error, prefixed with the command's name, unless {@code --quiet}.
     *
     * @param message the note
     */
    protected final void note(String message) {
        if (!quiet) {
            error(message);
        }
    }

    /**
     * Prints an error on standard error, prefixed with the command's name.
     *
     * @param message the error
     */
    protected final void error(String message) {
        PrintWriter err = spec.commandLine().getErr();
        synchronized (err) {
            err.println(spec.name() + ": " + message);
            err.flush();
        }
    }

    /**
     * Standard output, where messages and events go.
     *
     * @return picocli's output stream
     */
    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The command gave up waiting: exit code 3, the message printed as is. */
    static final class Timeout extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what was waited for and how long, naming the endpoint
         */
        Timeout(String message) {
            super(message);
        }
    }

    /** The command failed on bad input or a peer: exit code 1, the message printed as is. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what failed, naming the endpoint, option or input line
         */
        Failure(String message) {
            super(message);
        }
    }
}
