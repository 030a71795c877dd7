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

    /** A connection that lingers (delivers queued messages after its socket closed) and can be cut short. */
    public interface Lingerer {
        /** The I/O thread the connection lives on. */
        IoThread ioThread();

        /** Messages still queued for the peer (a frame half written to the kernel aside); I/O thread. */
        long unsent();

        /** Ends the linger now (on its I/O thread): the connection closes, its unsent messages dropped. */
        void cutLinger();
    }

    /** What a bounded close did: whether every connection finished by itself, and what it cut. */
    public record TerminateReport(boolean complete, int connectionsCut, long messagesDropped) {
    }

    private final ContextConfig config;
    private final IoThread[] threads;
    private final EventLog events = new EventLog();
    private final java.util.List<org.zmq4j.MetricsSource> metricsSources = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final InprocRegistry inproc = new InprocRegistry();
    private final IoStatistics statistics = new IoStatistics();
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final Object lingerLock = new Object();
    private final Set<Lingerer> lingerers = ConcurrentHashMap.newKeySet();
    /** Set when a bounded close ran out of time: every lingering connection, and every new one, is cut. */
    private volatile boolean cutting;
    /** How long the I/O threads may take, at most, to cut what lingers once a bounded close ran out of time. */
    private static final long CUT_GRACE_NANOS = 250_000_000L;
    private final java.util.concurrent.atomic.AtomicInteger connectionsCut = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong messagesDropped = new java.util.concurrent.atomic.AtomicLong();
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

    /** The I/O threads; any thread. */
    public java.util.List<IoThread> threads() {
        return java.util.List.of(threads);
    }

    /** Every socket's recent monitor events (Context.recentEvents()). */
    public EventLog events() {
        return events;
    }

    /** The metrics sources added to the Context (Context.addMetricsSource()); thread-safe. */
    public java.util.List<org.zmq4j.MetricsSource> metricsSources() {
        return metricsSources;
    }

    /** The live sockets (members), in no particular order; any thread. */
    public java.util.List<Member> members() {
        return new ArrayList<>(members);
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

    /** {@code l} started lingering: a bounded close may cut it short. */
    public void lingerBegin(Lingerer l) {
        lingerers.add(l);
        lingerBegin();
        if (cutting) {
            l.ioThread().execute(() -> cut(l)); // after the caller finished setting up its linger
        }
    }

    /** Cuts {@code l} short if it still lingers (on its I/O thread). */
    private void cut(Lingerer l) {
        if (lingerers.contains(l)) {
            messagesDropped.addAndGet(l.unsent()); // counted first: the cut ends the linger, which the close waits for
            connectionsCut.incrementAndGet();
            l.cutLinger();
        }
    }

    /** {@code l} finished lingering (delivered, expired or cut). */
    public void lingerEnd(Lingerer l) {
        if (lingerers.remove(l)) {
            lingerEnd();
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
        terminate(-1);
    }

    /**
     * Terminates within {@code timeoutMillis} (-1: as long as the sockets' LINGERs say): as
     * {@link #terminate()}, but connections still lingering shortly before the deadline are cut, their
     * unsent messages dropped and counted. A second call returns at once with an empty report.
     *
     * @return what was cut
     */
    public TerminateReport terminate(long timeoutMillis) {
        synchronized (this) {
            if (terminated) {
                return new TerminateReport(true, 0, 0);
            }
            terminated = true;
        }
        long start = System.nanoTime();
        List<Member> snapshot = new ArrayList<>(members);
        for (Member m : snapshot) {
            m.terminateFromContext();
        }
        boolean interrupted = false;
        TerminateReport report = new TerminateReport(true, 0, 0);
        if (timeoutMillis < 0) {
            interrupted = awaitLingering(Long.MAX_VALUE);
        } else {
            // the cut needs a moment on the I/O threads: it starts a little before the deadline,
            // and the threads get a short grace after it to finish cutting
            long deadline = start + timeoutMillis * 1_000_000L;
            long cutAt = deadline - Math.min(100, timeoutMillis / 4) * 1_000_000L;
            interrupted = awaitLingering(cutAt);
            if (lingering() > 0 && failure == null) {
                cutting = true;
                for (Lingerer l : new ArrayList<>(lingerers)) {
                    l.ioThread().execute(() -> cut(l));
                }
                interrupted |= awaitLingering(Math.max(deadline, System.nanoTime() + CUT_GRACE_NANOS));
                report = new TerminateReport(false, connectionsCut.get(), messagesDropped.get());
            }
        }
        for (IoThread t : threads) {
            t.stop();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return report;
    }

    /** Waits until nothing lingers, the context failed, or {@code deadlineNanos}; true when interrupted. */
    private boolean awaitLingering(long deadlineNanos) {
        synchronized (lingerLock) {
            while (lingering > 0 && failure == null) {
                long left = deadlineNanos - System.nanoTime();
                if (deadlineNanos != Long.MAX_VALUE && left <= 0) {
                    return false;
                }
                try {
                    if (deadlineNanos == Long.MAX_VALUE) {
                        lingerLock.wait();
                    } else {
                        lingerLock.wait(Math.max(1, left / 1_000_000L));
                    }
                } catch (InterruptedException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
