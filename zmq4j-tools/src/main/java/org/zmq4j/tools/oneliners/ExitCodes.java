package org.zmq4j.tools.oneliners;

/**
 * The exit codes of the one-liner commands ({@code send}, {@code recv}, {@code pub}, {@code sub},
 * {@code proxy}, {@code monitor}) and of the {@code perf} commands that wait for a peer, with the
 * lines their help shows. Constants only; thread-safe.
 */
public final class ExitCodes {
    /** The command did what it was asked, or was stopped by SIGINT/SIGTERM. */
    public static final int OK = 0;
    /** The command failed: a ZeroMQ error (cannot bind or connect), bad input data, a failed peer. */
    public static final int FAILURE = 1;
    /** A usage error: unknown or conflicting options, a malformed value (picocli's own code). */
    public static final int USAGE = 2;
    /** A timeout: no peer, no message or no reply within {@code --timeout}, or messages still queued at {@code --linger}. */
    public static final int TIMEOUT = 3;

    /** Help line for exit code 1. */
    static final String FAILURE_LINE = "1:failed: ZeroMQ error (e.g. cannot bind EP), unreadable standard input or file,"
            + " standard output closed";
    /** Help line for exit code 2. */
    static final String USAGE_LINE = "2:usage error";
    /** Help line for exit code 3 of the sending commands. */
    static final String SEND_TIMEOUT_LINE = "3:timed out: no peer, send or reply within --timeout,"
            + " or messages still queued after --linger";
    /** Help line for exit code 3 of the receiving commands. */
    static final String RECV_TIMEOUT_LINE = "3:timed out: no message within --timeout";

    private ExitCodes() {
    }
}
