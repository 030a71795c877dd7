package org.zmq4j;

/**
 * Built-in proxies, like libzmq's {@code zmq_proxy} and {@code zmq_proxy_steerable}: move whole
 * messages between a frontend and a backend socket in both directions, for example
 * <ul>
 *   <li>a queue (shared request broker): ROUTER frontend for clients, DEALER backend for workers;</li>
 *   <li>a forwarder: XSUB frontend connected to publishers, XPUB backend for subscribers
 *       (subscriptions flow back through the proxy);</li>
 *   <li>a streamer: PULL frontend, PUSH backend.</li>
 * </ul>
 * A capture socket, if given, gets a copy of every frame forwarded (multipart messages keep their
 * shape). A control socket, if given, takes single-frame commands:
 * {@code PAUSE} (stop forwarding), {@code RESUME}, {@code TERMINATE} (the proxy returns) and
 * {@code STATISTICS}, answered with eight frames, each an 8-byte little-endian unsigned count:
 * frontend messages received, bytes received, messages sent, bytes sent, then the same four for
 * the backend (a multipart message counts once, as in libzmq 4.3.4). A REP control socket gets an
 * empty reply to each command other than STATISTICS so that it can take the next one (libzmq
 * 4.3.4 sends none, which leaves a REQ client stuck; later libzmq versions reply as zmq4j does).
 * Commands are also copied to the capture socket, as libzmq 4.3.4 does.
 * <p>
 * The proxy owns its sockets while it runs: use {@link #run} on the thread that owns them, or
 * {@link #start} to hand them to a new thread; touch them again only after that thread ended
 * ({@link ProxyHandle#close()} or {@link ProxyHandle#await(long)}). A closed context ends a proxy
 * normally.
 */
public final class Proxy {
    private Proxy() {
    }

    /**
     * Runs a proxy on the calling thread until the context is closed ({@code zmq_proxy}).
     *
     * @param frontend one side
     * @param backend  the other side (may be the same socket)
     * @throws ZmqException EINVAL for a null socket, EINTR when the thread is interrupted,
     *                      ENOTSOCK when a socket is closed under it, EAGAIN when a send times out
     *                      (SNDTIMEO set on a socket)
     */
    public static void run(Socket frontend, Socket backend) {
        runSteerable(frontend, backend, null, null);
    }

    /**
     * Runs a proxy with a capture socket on the calling thread until the context is closed.
     *
     * @param frontend one side
     * @param backend  the other side
     * @param capture  gets a copy of every frame (e.g. PUB or PUSH), or null
     * @throws ZmqException as {@link #run(Socket, Socket)}
     */
    public static void run(Socket frontend, Socket backend, Socket capture) {
        runSteerable(frontend, backend, capture, null);
    }

    /**
     * Runs a steerable proxy on the calling thread ({@code zmq_proxy_steerable}) until TERMINATE
     * arrives on the control socket or the context is closed.
     *
     * @param frontend one side
     * @param backend  the other side
     * @param capture  gets a copy of every frame, or null
     * @param control  takes PAUSE / RESUME / TERMINATE / STATISTICS (e.g. PAIR, REP or SUB), or null
     * @throws ZmqException as {@link #run(Socket, Socket)}
     */
    public static void runSteerable(Socket frontend, Socket backend, Socket capture, Socket control) {
        requireSockets(frontend, backend);
        new ProxyLoop(frontend, backend, capture, control).run();
    }

    /**
     * Starts a (steerable) proxy on a new daemon thread. The sockets belong to that thread until
     * it ends.
     *
     * @param frontend one side
     * @param backend  the other side
     * @param capture  gets a copy of every frame, or null
     * @param control  takes PAUSE / RESUME / TERMINATE / STATISTICS, or null
     * @return a handle to wait for the proxy or stop it
     * @throws ZmqException EINVAL for a null or foreign frontend/backend (checked before starting)
     */
    public static ProxyHandle start(Socket frontend, Socket backend, Socket capture, Socket control) {
        requireSockets(frontend, backend);
        ProxyLoop loop = new ProxyLoop(frontend, backend, capture, control);
        return new ProxyHandle(loop::run);
    }

    private static void requireSockets(Socket frontend, Socket backend) {
        if (frontend == null || backend == null) {
            throw new ZmqException(ZmqException.Errno.EINVAL, "a proxy needs a frontend and a backend socket");
        }
    }
}
