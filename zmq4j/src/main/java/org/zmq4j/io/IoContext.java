package org.zmq4j.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.zmq4j.ContextConfig;

import org.zmq4j.inproc.InprocRegistry;

/**
 * The machinery behind a {@code Context}: its I/O threads, its live sockets, and the count of
 * connections still lingering (delivering queued messages after their socket closed).
 */
public final class IoContext {
    /** A socket as the context sees it. */
    public interface Member {
        /**
         * The context is terminating: wake blocked calls (they throw ETERM) and close every
         * connection, lingering as the socket's LINGER says. Called from any thread, at most once.
         */
        void terminateFromContext();

        /**
         * An I/O thread of the context gave up: from now on every call of the socket throws an
         * exception carrying {@code why}, blocked calls wake to throw it, and the monitor hears it.
         * Called once, from the failing thread; must not block.
         *
         * @param why what happened, for the exception and the monitor
         */
        void ioFailed(String why);
    }

    private final ContextConfig config;
    private final IoThread[] threads;
    private final InprocRegistry inproc = new InprocRegistry();
    private final IoStatistics statistics = new IoStatistics();
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final Object lingerLock = new Object();
    private int lingering;
    private volatile boolean terminated;
    /** Why an I/O thread gave up, or null. */
    private volatile String failure;
    private int next;

    /** @param config the context's configuration, validated */
    public IoContext(ContextConfig config) {
        this.config = config;
        threads = new IoThread[config.ioThreads()];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new IoThread("zmq4j-io-" + i, config.ioYield());
            threads[i].onFailure(this::threadFailed);
            threads[i].start();
        }
    }

    /** Counters of this context's I/O machinery. */
    public IoStatistics statistics() {
        return statistics;
    }

    /** The context's configuration. */
    public ContextConfig config() {
        return config;
    }

    /** The inproc:// names of this context. */
    public InprocRegistry inproc() {
        return inproc;
    }

    /** An I/O thread gave up: the whole context fails, loudly (see {@link Member#ioFailed}). */
    private void threadFailed(IoThread t) {
        String why = "I/O thread " + t.name() + " failed (" + t.failure() + "); the context can only be closed";
        failure = why;
        for (Member m : new ArrayList<>(members)) {
            m.ioFailed(why);
        }
        synchronized (lingerLock) {
            lingerLock.notifyAll(); // a close waiting for lingering connections stops waiting
        }
    }

    /** Why the context failed (an I/O thread gave up), or null. */
    public String failure() {
        return failure;
    }

    /** Whether terminate() has started. */
    public boolean isTerminated() {
        return terminated;
    }

    /** The least loaded I/O thread (round-robin among equals). */
    public IoThread chooseThread() {
        synchronized (threads) {
            IoThread best = threads[next++ % threads.length];
            for (IoThread t : threads) {
                if (t.load().get() < best.load().get()) {
                    best = t;
                }
            }
            return best;
        }
    }

    /**
     * @param member a new socket
     */
    public void register(Member member) {
        members.add(member);
    }

    /**
     * @param member a closed socket
     */
    public void unregister(Member member) {
        members.remove(member);
    }

    /** A connection started lingering. */
    public void lingerBegin() {
        synchronized (lingerLock) {
            lingering++;
        }
    }

    /** A lingering connection finished. */
    public void lingerEnd() {
        synchronized (lingerLock) {
            lingering--;
            lingerLock.notifyAll();
        }
    }

    /** Connections still lingering. */
    public int lingering() {
        synchronized (lingerLock) {
            return lingering;
        }
    }

    /**
     * Terminates: sockets are told (blocked calls get ETERM, connections close with LINGER), then
     * this waits for lingering connections and stops the I/O threads. Idempotent.
     */
    public void terminate() {
        synchronized (this) {
            if (terminated) {
                return;
            }
            terminated = true;
        }
        List<Member> snapshot = new ArrayList<>(members);
        for (Member m : snapshot) {
            m.terminateFromContext();
        }
        boolean interrupted = false;
        synchronized (lingerLock) {
            while (lingering > 0 && failure == null) {
                try {
                    lingerLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
        }
        for (IoThread t : threads) {
            t.stop();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
