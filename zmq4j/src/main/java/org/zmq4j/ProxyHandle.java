package org.zmq4j;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A proxy running on its own thread, made by {@link Proxy#start}. The proxy ends on TERMINATE,
 * when the context is closed, on an error, or by {@link #close()}; after that (once
 * {@link #await(long)} returned true, or close returned) its sockets belong to the caller again.
 */
public final class ProxyHandle implements AutoCloseable {
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;

    ProxyHandle(Runnable loop) {
        this.thread = new Thread(() -> {
            try {
                loop.run();
            } catch (ZmqException e) {
                if (!(stopping && e.errno() == ZmqException.Errno.EINTR)) {
                    failure = e;
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }, "zmq4j-proxy-" + NUMBERS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Whether the proxy is still running.
     *
     * @return true until its thread has ended
     */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Waits for the proxy to end.
     *
     * @param timeoutMillis how long to wait; 0 or less checks without waiting
     * @return true when it has ended
     * @throws ZmqException EINTR when the waiting thread is interrupted
     */
    public boolean await(long timeoutMillis) {
        if (timeoutMillis <= 0) {
            return !thread.isAlive();
        }
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            throw new ZmqException(ZmqException.Errno.EINTR, "interrupted while waiting for the proxy");
        }
        return !thread.isAlive();
    }

    /**
     * Why the proxy ended, if it ended on an error (not on TERMINATE, context close or
     * {@link #close()}).
     *
     * @return the error, or null
     */
    public Throwable failure() {
        return failure;
    }

    /**
     * Stops the proxy (interrupting its thread) and waits for it to end. The sockets stay open
     * and belong to the caller afterwards; a multipart message being forwarded at that moment may
     * have been cut short. Prefer TERMINATE on a control socket for a clean stop. Idempotent.
     *
     * @throws ZmqException EINTR when the calling thread is interrupted while waiting
     */
    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new ZmqException(ZmqException.Errno.EINTR, "interrupted while stopping the proxy");
        }
    }

    @Override
    public String toString() {
        return thread.getName() + (thread.isAlive() ? " (running)" : " (ended)");
    }
}
