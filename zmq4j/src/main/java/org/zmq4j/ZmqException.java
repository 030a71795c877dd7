package org.zmq4j;

/**
 * The one exception type zmq4j throws for ZeroMQ errors. Each carries the libzmq error name
 * ({@link #errno()}) so code ported from libzmq, JeroMQ or pyzmq can branch on the same names,
 * and a message that names the endpoint, option or socket involved.
 */
public class ZmqException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** libzmq's error names, with libzmq's numbers on Linux. */
    public enum Errno {
        /** Resource temporarily unavailable: a non-blocking call could not complete. */
        EAGAIN(11),
        /** Operation cannot be accomplished in the current state (REQ/REP ordering). */
        EFSM(156384763),
        /** The Context was closed. */
        ETERM(156384765),
        /** The routing id names no connected peer (ROUTER_MANDATORY). */
        EHOSTUNREACH(113),
        /** Invalid argument: a malformed endpoint, option value or call. */
        EINVAL(22),
        /** The address is already in use. */
        EADDRINUSE(98),
        /** The address is not local or cannot be resolved. */
        EADDRNOTAVAIL(99),
        /** The network interface named in the endpoint does not exist or cannot serve it. */
        ENODEV(19),
        /** The operation is not supported by this socket type or not (yet) by zmq4j. */
        ENOTSUP(95),
        /** The transport protocol named in the endpoint is not supported. */
        EPROTONOSUPPORT(93),
        /** The transport protocol is not compatible with the socket type. */
        ENOCOMPATPROTO(156384764),
        /** The endpoint given to unbind/disconnect was never bound/connected. */
        ENOENT(2),
        /** The blocking call was interrupted ({@link Thread#interrupt()}). */
        EINTR(4),
        /** The socket was closed. */
        ENOTSOCK(88),
        /** A message was larger than MAXMSGSIZE allows. */
        EMSGSIZE(90),
        /** The connection was refused. */
        ECONNREFUSED(111),
        /** The connection attempt timed out. */
        ETIMEDOUT(110),
        /** An I/O error from the operating system. */
        EIO(5),
        /** The security handshake failed. */
        EPROTO(71);

        private final int number;

        Errno(int number) {
            this.number = number;
        }

        /** libzmq's numeric value for this error on Linux. */
        public int number() {
            return number;
        }
    }

    private final Errno errno;

    /**
     * @param errno   the libzmq error name
     * @param message what failed, naming the endpoint or option involved
     */
    public ZmqException(Errno errno, String message) {
        super(errno.name() + ": " + message);
        this.errno = errno;
    }

    /**
     * @param errno   the libzmq error name
     * @param message what failed, naming the endpoint or option involved
     * @param cause   the underlying exception
     */
    public ZmqException(Errno errno, String message, Throwable cause) {
        super(errno.name() + ": " + message, cause);
        this.errno = errno;
    }

    /** The libzmq error name of this failure. */
    public Errno errno() {
        return errno;
    }
}
