package org.zmq4j.tools.oneliners;

import java.util.ArrayList;
import java.util.List;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM as a request to stop: the first one interrupts the command's thread (its
 * blocking call ends with EINTR or InterruptedException, it closes its sockets and exits 0); a
 * second one at least {@value #SECOND_SIGNAL_AFTER_MILLIS} ms later, for a command stuck where an
 * interrupt cannot reach, ends the JVM at once with exit code 130. (Signals closer together count
 * as one: {@code timeout(1)} and process-group kills deliver the same SIGTERM twice.) Closing
 * restores the previous handlers.
 * <p>
 * Thread-safety: install and close on the command's thread; the handlers run on the JVM's signal
 * thread; {@link #fired()} may be read from any thread.
 */
final class SignalStop implements AutoCloseable {
    /** The exit code of a second signal (128 + SIGINT, as shells report an interrupted program). */
    static final int SECOND_SIGNAL_EXIT = 130;
    /** How long after the first signal a second one ends the JVM. */
    static final long SECOND_SIGNAL_AFTER_MILLIS = 1000;

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private final Thread target;
    private final Runnable onSecond;
    private volatile boolean fired;
    private long firstNanos;

    private SignalStop(Thread target, Runnable onSecond) {
        this.target = target;
        this.onSecond = onSecond;
    }

    /**
     * Installs the handlers.
     *
     * @param target   the thread to interrupt, the command's
     * @param onSecond what to say before a second signal ends the JVM
     * @return the installation; close it when the command ends
     */
    static SignalStop install(Thread target, Runnable onSecond) {
        SignalStop s = new SignalStop(target, onSecond);
        for (String name : new String[] {"INT", "TERM"}) {
            Signal signal = new Signal(name);
            try {
                s.previous.add(Signal.handle(signal, sig -> s.fire()));
                s.signals.add(signal);
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal for itself here: its default stays
            }
        }
        return s;
    }

    private void fire() {
        boolean second;
        synchronized (this) {
            if (!fired) {
                firstNanos = System.nanoTime();
                fired = true;
                second = false;
            } else if (System.nanoTime() - firstNanos < SECOND_SIGNAL_AFTER_MILLIS * 1_000_000L) {
                return; // the same stop request delivered twice
            } else {
                second = true;
            }
        }
        if (second) {
            onSecond.run();
            Runtime.getRuntime().halt(SECOND_SIGNAL_EXIT);
        }
        target.interrupt();
    }

    /**
     * Whether a signal came.
     *
     * @return true after the first SIGINT or SIGTERM
     */
    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
