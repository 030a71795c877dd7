package org.zmq4j.patterns.internal;

/**
 * The one-user rule of a blocking object with a classic socket, and a {@code close()} that may come
 * from another thread. The user brackets each call with {@link #enter()} and {@link #exit()};
 * {@link #close()} from another thread interrupts the user, which then shuts the object down as it
 * leaves. {@code close} writes {@code closed} before it reads {@code user}, and {@code enter} writes
 * {@code user} before it reads {@code closed} (both volatile): either close sees the user, or the
 * user sees closed, so the two never use the socket at once.
 * <p>
 * Thread-safety: thread-safe, as described.
 */
public final class OwnerGuard {
    private final Runnable shutdown;
    private volatile Thread user;
    private volatile boolean closed;
    private boolean shutDown;

    /** @param shutdown closes the socket(s); runs once, on the user's or the closing thread */
    public OwnerGuard(Runnable shutdown) {
        this.shutdown = shutdown;
    }

    /** The calling thread starts using the object; false (and nothing to do) when it is closed. */
    public boolean enter() {
        user = Thread.currentThread();
        if (closed) {
            exit();
            return false;
        }
        return true;
    }

    /** The user is done; when the object was closed meanwhile, this thread shuts it down. */
    public void exit() {
        user = null;
        if (closed) {
            shutdownOnce();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean closed() {
        return closed;
    }

    /** Closes: now, or, when another thread is using the object, by interrupting it. Idempotent. */
    public void close() {
        closed = true;
        Thread t = user;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            return;
        }
        shutdownOnce();
    }

    private synchronized void shutdownOnce() {
        if (!shutDown) {
            shutDown = true;
            shutdown.run();
        }
    }
}
