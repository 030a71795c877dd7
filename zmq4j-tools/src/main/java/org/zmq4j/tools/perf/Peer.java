package org.zmq4j.tools.perf;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The other side of an in-process test, running in its own daemon thread (so that a peer stuck
 * after a failure cannot keep the JVM alive).
 *
 * @param <T> what the peer's task returns
 */
final class Peer<T> {
    private final String name;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private Peer(String name) {
        this.name = name;
    }

    /** Starts {@code task} in a new daemon thread called {@code name}. */
    static Peer<Void> run(String name, Runnable task) {
        return call(name, () -> {
            task.run();
            return null;
        });
    }

    /** Starts {@code task} in a new daemon thread called {@code name}; {@link #await} returns its result. */
    static <T> Peer<T> call(String name, Supplier<T> task) {
        Peer<T> peer = new Peer<>(name);
        Thread thread = new Thread(() -> {
            try {
                peer.result.complete(task.get());
            } catch (Throwable failure) {
                peer.result.completeExceptionally(failure);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return peer;
    }

    /**
     * Waits for the peer to finish.
     *
     * @return what the peer's task returned
     * @throws PerfException when the peer failed or did not finish within the timeout
     */
    T await(long timeoutMillis) {
        try {
            return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new PerfException(name + " failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new PerfException(name + " did not finish within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PerfException("interrupted while waiting for " + name, e);
        }
    }
}
