package org.zmq4j.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.ContextEvent;

/**
 * The monitor's own event log: every shown Context's recent events, polled a few times a second,
 * renumbered in one sequence (each Context numbers its own), and kept in a ring of the last
 * {@value #CAPACITY}.
 *
 * <p>Thread-safety: thread-safe ({@link #run} on one thread, {@link #after} from any).
 */
final class EventCollector {
    static final int CAPACITY = 512;
    private static final long POLL_MILLIS = 100;

    private final List<Context> contexts;
    private final long[] cursors;
    private final ContextEvent[] ring = new ContextEvent[CAPACITY];
    private long last;

    EventCollector(List<Context> contexts) {
        this.contexts = contexts;
        this.cursors = new long[contexts.size()];
        poll();
    }

    /** Polls until {@code stop} opens. */
    void run(CountDownLatch stop) {
        try {
            while (!stop.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void poll() {
        for (int i = 0; i < contexts.size(); i++) {
            for (ContextEvent e : contexts.get(i).recentEvents(cursors[i])) {
                cursors[i] = e.sequence();
                synchronized (ring) {
                    last++;
                    ring[(int) (last % CAPACITY)] = new ContextEvent(last, e.time(), e.socketId(), e.socketType(), e.event());
                }
            }
        }
    }

    /** The events after {@code sequence} still kept, oldest first, including any recorded just now. */
    List<ContextEvent> after(long sequence) {
        poll();
        synchronized (ring) {
            long from = Math.max(Math.max(1, sequence + 1), last - CAPACITY + 1);
            List<ContextEvent> out = new ArrayList<>();
            for (long s = from; s <= last; s++) {
                out.add(ring[(int) (s % CAPACITY)]);
            }
            return out;
        }
    }
}
