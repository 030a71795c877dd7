package org.zmq4j.patterns.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.zmq4j.ZmqException;

/**
 * The thread a broker or queue runs its poll loop on: started once (a new daemon thread, or the
 * caller's), ended by an interrupt from {@link #stop()} or by its context closing, and waited for
 * (bounded) by whoever stops it. The loop body owns its sockets; {@code cleanup} closes them on the
 * loop's own thread as it leaves.
 *
 * <p>Thread-safety: {@link #start}, {@link #run} and {@link #stop} may be called from any thread.
 */
public final class ServiceLoop {
    private final String threadName;
    private final CountDownLatch ended = new CountDownLatch(1);
    private Thread thread;

    /** @param threadName the name of the thread {@link #start} creates */
    public ServiceLoop(String threadName) {
        this.threadName = threadName;
    }

    /**
     * Runs {@code loop} on a new daemon thread.
     *
     * @throws IllegalStateException when the loop was started or ran already
     */
    public synchronized void start(Runnable loop) {
        if (thread != null) {
            throw new IllegalStateException(threadName + " was started already");
        }
        thread = new Thread(loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs {@code body} on the calling thread (the one {@link #start} made, or a caller's own) and
     * then {@code cleanup}. EINTR and ETERM end the body quietly; any other error is thrown after
     * the cleanup.
     */
    public void run(Runnable body, Runnable cleanup) {
        synchronized (this) {
            if (thread == null) {
                thread = Thread.currentThread();
            } else if (thread != Thread.currentThread()) {
                throw new IllegalStateException(threadName + " runs on another thread already");
            }
        }
        try {
            body.run();
        } catch (ZmqException e) {
            if (e.errno() != ZmqException.Errno.EINTR && e.errno() != ZmqException.Errno.ETERM) {
                throw e;
            }
        } finally {
            try {
                cleanup.run();
            } finally {
                ended.countDown();
            }
        }
    }

    /**
     * Waits up to {@code millis} for the loop to end by itself (its owner asked it to, by a flag
     * and a wake-up: file I/O is not interrupted that way).
     *
     * @return whether it ended (or never ran)
     */
    public boolean awaitEnd(long millis) {
        synchronized (this) {
            if (thread == null) {
                return true;
            }
        }
        try {
            return ended.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Interrupts the loop and waits up to 5 s for it to end (not when called from the loop itself).
     *
     * @return false when the loop never ran: its resources are the caller's to close
     */
    public boolean stop() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            return false;
        }
        if (t != Thread.currentThread()) {
            t.interrupt();
            try {
                ended.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }
}
