package org.zmq4j.tools.patterns;

import java.util.ArrayList;
import java.util.List;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM as a request to stop: while installed, either signal runs {@code onStop} (once)
 * instead of killing the JVM, so a long-running command closes its sockets, says so and exits 0.
 * Closing restores the previous handlers. Thread-safety: install and close from one thread; the
 * action runs on the JVM's signal thread.
 */
public final class StopSignals implements AutoCloseable {
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private boolean fired;

    private StopSignals() {
    }

    /**
     * Installs the handlers.
     *
     * @param onStop what a signal does, e.g. close the broker; runs at most once
     * @return the installation, to close when the command ends
     */
    public static StopSignals install(Runnable onStop) {
        StopSignals s = new StopSignals();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal signal = new Signal(name);
            try {
                s.previous.add(Signal.handle(signal, sig -> s.fire(onStop)));
                s.signals.add(signal);
            } catch (IllegalArgumentException e) {
                // this signal cannot be handled here (the JVM uses it): the default stays
            }
        }
        return s;
    }

    private void fire(Runnable onStop) {
        synchronized (this) {
            if (fired) {
                return;
            }
            fired = true;
        }
        onStop.run();
    }

    /** Whether a signal came. */
    public synchronized boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
