package org.zmq4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for any of several sockets to become readable or writable, like {@code zmq_poll}.
 * <p>
 * A poller is used by one thread, the thread that owns its sockets. It uses no file descriptors:
 * the polling thread parks, and pipes unpark it when a registered socket changes state.
 */
public final class Poller implements AutoCloseable {
    /** Interest/readiness flag: a message can be received without blocking. */
    public static final int POLLIN = 1;
    /** Interest/readiness flag: a message can be sent without blocking. */
    public static final int POLLOUT = 2;
    /** Readiness flag: the socket is closed or its context terminated. */
    public static final int POLLERR = 4;

    private final List<SocketHandle> sockets = new ArrayList<>();
    private final List<Integer> interests = new ArrayList<>();
    private int[] ready = new int[0];

    /** An empty poller. */
    public Poller() {
    }

    /**
     * Adds a socket, or changes its interest set if already registered.
     *
     * @param socket a socket made by a zmq4j Context
     * @param events POLLIN | POLLOUT
     */
    public void register(Socket socket, int events) {
        SocketHandle base = asBase(socket);
        int index = sockets.indexOf(base);
        if (index >= 0) {
            interests.set(index, events);
        } else {
            sockets.add(base);
            interests.add(events);
        }
        ready = new int[sockets.size()];
    }

    /**
     * Removes a socket.
     *
     * @param socket the socket
     * @return true when it was registered
     */
    public boolean unregister(Socket socket) {
        int index = sockets.indexOf(asBase(socket));
        if (index < 0) {
            return false;
        }
        sockets.remove(index);
        interests.remove(index);
        ready = new int[sockets.size()];
        return true;
    }

    /** The number of registered sockets. */
    public int size() {
        return sockets.size();
    }

    /**
     * Waits until at least one registered socket is ready for an event it was registered for.
     *
     * @param timeoutMillis how long to wait; 0 checks without waiting; -1 waits forever
     * @return the number of ready sockets (0 on timeout)
     * @throws ZmqException ETERM when a socket's context was closed, EINTR when interrupted
     */
    public int poll(long timeoutMillis) {
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        Thread self = Thread.currentThread();
        while (true) {
            int count = scan();
            if (count > 0 || timeoutMillis == 0) {
                return count;
            }
            for (SocketHandle s : sockets) {
                s.pollingThread(self, true);
            }
            try {
                count = scan();
                if (count > 0) {
                    return count;
                }
                if (timeoutMillis < 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return 0;
                    }
                    LockSupport.parkNanos(this, left);
                }
            } finally {
                for (SocketHandle s : sockets) {
                    s.pollingThread(self, false);
                }
            }
            if (Thread.interrupted()) {
                throw new ZmqException(ZmqException.Errno.EINTR, "poll interrupted");
            }
        }
    }

    private int scan() {
        int count = 0;
        for (int i = 0; i < sockets.size(); i++) {
            int events = sockets.get(i).pollEvents() & (interests.get(i) | POLLERR);
            ready[i] = events;
            if (events != 0) {
                count++;
            }
        }
        return count;
    }

    /**
     * Whether the socket was readable at the last poll.
     *
     * @param socket a registered socket
     * @return true when POLLIN was ready
     */
    public boolean isReadable(Socket socket) {
        return (readyOf(socket) & POLLIN) != 0;
    }

    /**
     * Whether the socket was writable at the last poll.
     *
     * @param socket a registered socket
     * @return true when POLLOUT was ready
     */
    public boolean isWritable(Socket socket) {
        return (readyOf(socket) & POLLOUT) != 0;
    }

    /**
     * Whether the socket reported an error (closed, or its context terminated) at the last poll.
     *
     * @param socket a registered socket
     * @return true when POLLERR was set
     */
    public boolean isError(Socket socket) {
        return (readyOf(socket) & POLLERR) != 0;
    }

    private int readyOf(Socket socket) {
        int index = sockets.indexOf(asBase(socket));
        return index < 0 ? 0 : ready[index];
    }

    private static SocketHandle asBase(Socket socket) {
        return SocketHandle.of(socket, "a polled socket");
    }

    /** Unregisters every socket. The sockets stay open. */
    @Override
    public void close() {
        sockets.clear();
        interests.clear();
        ready = new int[0];
    }
}
