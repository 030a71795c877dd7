package org.zmq4j.io;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.zmq4j.ContextEvent;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;

/**
 * A Context's recent socket events, numbered: a ring of the last {@value #CAPACITY}, which every
 * socket's monitor path feeds (connection events: rare next to messages) and readers page
 * through by sequence number.
 *
 * <p>Thread-safety: thread-safe (a lock held for a few stores).
 */
public final class EventLog {
    /** Events kept. */
    public static final int CAPACITY = 512;

    private final ContextEvent[] ring = new ContextEvent[CAPACITY];
    private long last;

    /**
     * Records an event.
     *
     * @param socketId   the socket's id
     * @param socketType its type
     * @param event      the event
     */
    public void record(int socketId, SocketType socketType, SocketEvent event) {
        Instant now = Instant.now();
        synchronized (ring) {
            last++;
            ring[(int) (last % CAPACITY)] = new ContextEvent(last, now, socketId, socketType, event);
        }
    }

    /**
     * The events after {@code sequence} still kept, oldest first.
     *
     * @param sequence the last one the caller has (0 for all)
     * @return the newer ones, at most {@value #CAPACITY}
     */
    public List<ContextEvent> after(long sequence) {
        synchronized (ring) {
            long from = Math.max(sequence + 1, last - CAPACITY + 1);
            List<ContextEvent> out = new ArrayList<>((int) Math.max(0, last - from + 1));
            for (long s = Math.max(1, from); s <= last; s++) {
                out.add(ring[(int) (s % CAPACITY)]);
            }
            return out;
        }
    }
}
