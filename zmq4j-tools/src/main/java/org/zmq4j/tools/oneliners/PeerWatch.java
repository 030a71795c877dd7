package org.zmq4j.tools.oneliners;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.zmq4j.MonitorHandle;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;

/**
 * Watches a socket's monitor events to tell when a first peer has completed its handshake, and
 * what went wrong when none has: each distinct handshake failure is reported once as it happens
 * (e.g. a CURVE server refusing the key), and the latest failure or reconnect reason is kept for
 * the timeout message. Start it before the socket binds or connects, so that no event is missed.
 * <p>
 * Thread-safety: the listener runs on zmq4j's threads; {@link #await(long)}, {@link #hasPeer()}
 * and {@link #lastProblem()} may be called from any thread; {@link #close()} by the socket's owner
 * before it closes the socket.
 */
public final class PeerWatch implements AutoCloseable {
    /** How long a wait stays silent before it says what it waits for. */
    public static final long NOTICE_AFTER_MILLIS = 500;

    private static final int EVENTS = SocketEvent.Type.HANDSHAKE_SUCCEEDED.code()
            | SocketEvent.Type.HANDSHAKE_FAILED_AUTH.code()
            | SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL.code()
            | SocketEvent.Type.HANDSHAKE_FAILED_NO_DETAIL.code()
            | SocketEvent.Type.CONNECT_RETRIED.code();

    private final CountDownLatch handshaked = new CountDownLatch(1);
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Consumer<String> notes;
    private volatile String lastProblem;
    private MonitorHandle handle;

    private PeerWatch(Consumer<String> notes) {
        this.notes = notes;
    }

    /**
     * Starts watching {@code socket}.
     *
     * @param socket the socket, before its bind or connect
     * @param notes  gets one line for each new kind of handshake failure (on a zmq4j thread: it
     *               must return quickly)
     * @return the watch; close it before the socket
     */
    public static PeerWatch start(Socket socket, Consumer<String> notes) {
        PeerWatch w = new PeerWatch(notes);
        w.handle = socket.addMonitor(w::onEvent, EVENTS);
        return w;
    }

    private void onEvent(SocketEvent e) {
        switch (e.type()) {
            case HANDSHAKE_SUCCEEDED -> handshaked.countDown();
            case CONNECT_RETRIED -> {
                if (lastProblem == null || !lastProblem.startsWith("handshake")) {
                    lastProblem = e.reason().isEmpty() ? "reconnecting" : e.reason();
                }
            }
            case HANDSHAKE_FAILED_AUTH, HANDSHAKE_FAILED_PROTOCOL, HANDSHAKE_FAILED_NO_DETAIL -> {
                String problem = "handshake with the peer on " + e.endpoint() + " failed: " + e.type()
                        + " " + describeValue(e) + (e.reason().isEmpty() ? "" : " (" + e.reason() + ")");
                lastProblem = problem;
                if (reported.add(e.type() + "/" + e.value() + "/" + e.endpoint())) {
                    notes.accept(problem);
                }
            }
            default -> {
                // not selected
            }
        }
    }

    private static String describeValue(SocketEvent e) {
        return e.type() == SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL ? String.format("0x%08x", e.value())
                : String.valueOf(e.value());
    }

    /**
     * Whether a peer has completed a handshake (it may have left since).
     *
     * @return true after the first HANDSHAKE_SUCCEEDED
     */
    public boolean hasPeer() {
        return handshaked.getCount() == 0;
    }

    /**
     * Waits for the first peer's handshake.
     *
     * @param millis how long at most; {@link Millis#FOREVER} for no limit
     * @return true once a peer has handshaked, false when the time ran out
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean await(long millis) throws InterruptedException {
        if (millis < 0) {
            handshaked.await();
            return true;
        }
        return handshaked.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The latest handshake failure or reconnect reason, for a timeout message.
     *
     * @return e.g. "handshake with the peer on tcp://... failed: HANDSHAKE_FAILED_AUTH 400", or null
     */
    public String lastProblem() {
        return lastProblem;
    }

    /** Removes the listener. Idempotent. */
    @Override
    public void close() {
        handle.close();
    }

    /**
     * Something to wait for, in milliseconds ({@link Millis#FOREVER}: no limit). Called on the
     * waiting thread only; an implementation may use that thread's socket.
     */
    @FunctionalInterface
    public interface Wait {
        /**
         * Waits.
         *
         * @param millis how long at most, or {@link Millis#FOREVER}
         * @return true when it happened, false when the time ran out
         * @throws InterruptedException when interrupted
         */
        boolean await(long millis) throws InterruptedException;
    }

    /**
     * Waits for {@code wait} silently for {@link #NOTICE_AFTER_MILLIS} (the usual case: the peer is
     * there), then runs {@code notice} (e.g. prints "waiting for peer on EP") and waits for the rest
     * of {@code timeoutMillis}.
     *
     * @param wait          what to wait for
     * @param timeoutMillis the whole wait's bound, or {@link Millis#FOREVER}
     * @param notice        what to do when the first, silent part of the wait ran out
     * @return true when it happened in time
     * @throws InterruptedException when interrupted
     */
    public static boolean awaitWithNotice(Wait wait, long timeoutMillis, Runnable notice) throws InterruptedException {
        long silent = timeoutMillis < 0 ? NOTICE_AFTER_MILLIS : Math.min(NOTICE_AFTER_MILLIS, timeoutMillis);
        if (wait.await(silent)) {
            return true;
        }
        notice.run();
        if (timeoutMillis >= 0 && silent >= timeoutMillis) {
            return false;
        }
        return wait.await(timeoutMillis < 0 ? Millis.FOREVER : timeoutMillis - silent);
    }
}
