package org.zmq4j.patterns.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/**
 * Work handed from any thread to a loop thread that sleeps in a {@link Poller}: the items go through
 * a lock-free queue, and a one-byte wake-up over a thread-safe SCATTER/GATHER pair makes the
 * loop's poll return. A flag keeps the wake-ups to one per round of the loop: a wake while one is
 * pending and not yet drained sends nothing (the loop looks at the queue after clearing the flag).
 *
 * <p>Thread-safety: {@link #offer} and {@link #wake} from any thread; {@link #drain},
 * {@link #register} and {@link #closeReceiver} from the loop thread only.
 */
public final class Inbox<T> {
    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final byte[] WAKE = new byte[0];

    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean pending = new java.util.concurrent.atomic.AtomicBoolean();
    private final Socket sender;
    private final Socket receiver;

    /** @param name names the inproc endpoint (for diagnostics) */
    public Inbox(Context ctx, String name) {
        String endpoint = "inproc://zmq4j-" + name + "-inbox-" + INSTANCES.incrementAndGet();
        receiver = ctx.socket(SocketType.GATHER);
        receiver.bind(endpoint);
        sender = ctx.socket(SocketType.SCATTER);
        sender.setOption(Option.SNDHWM, 1);
        sender.connect(endpoint);
    }

    /** Makes {@code poller} return when something arrives. */
    public void register(Poller poller) {
        poller.register(receiver, Poller.POLLIN);
    }

    /** Queues {@code item} and wakes the loop. */
    public void offer(T item) {
        items.add(item);
        wake();
    }

    /** Wakes the loop without an item (to make it look at a flag). Quiet when the inbox is closed. */
    public void wake() {
        if (pending.get() || !pending.compareAndSet(false, true)) {
            return; // a wake-up is on its way and the loop has not drained yet: it will see this too
        }
        try {
            sender.send(WAKE, Socket.DONTWAIT);
        } catch (ZmqException e) {
            // closed: the loop is gone or going, and looks at what is left as it ends
        }
    }

    /** Hands every queued item to {@code to} and clears the wake-ups. */
    public void drain(Consumer<T> to) {
        pending.set(false); // before looking: a later offer wakes the loop again
        while (receiver.recv(Socket.DONTWAIT) != null) {
            // the wake-ups carry nothing
        }
        T item;
        while ((item = items.poll()) != null) {
            to.accept(item);
        }
    }

    /** Takes the items still queued, for a loop that is ending or a closer that found it gone. */
    public T poll() {
        return items.poll();
    }

    /** Closes the loop's end (on the loop thread as it ends). */
    public void closeReceiver() {
        receiver.close();
    }

    /** Closes the senders' end (once no thread offers any more). */
    public void closeSender() {
        sender.close();
    }
}
