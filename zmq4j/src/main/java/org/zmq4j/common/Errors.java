package org.zmq4j.common;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.UnresolvedAddressException;

import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;

/**
 * libzmq's error name for a failure the JDK reported as an exception: by the exception's type
 * first, and only where the type does not tell, by its message (see {@link #fromJdkMessage}).
 * Nothing else in zmq4j reads an exception's text to decide anything.
 */
public final class Errors {
    private Errors() {
    }

    /**
     * The errno of a failed bind.
     *
     * @param e        what the JDK threw
     * @param fallback the errno when nothing more specific is known
     * @return EADDRINUSE, ENOENT (ipc: no such directory) or {@code fallback}
     */
    public static Errno ofBind(Exception e, Errno fallback) {
        if (e instanceof ZmqException) {
            return ((ZmqException) e).errno();
        }
        return fromJdkMessage(e, fallback);
    }

    /**
     * The errno of a failed connection attempt.
     *
     * @param e what the JDK (or zmq4j's address resolution) threw
     * @return ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, EADDRNOTAVAIL, or EIO
     */
    public static Errno ofConnect(Throwable e) {
        if (e instanceof ZmqException) {
            return ((ZmqException) e).errno();
        }
        if (e instanceof NoRouteToHostException) {
            return Errno.EHOSTUNREACH;
        }
        if (e instanceof UnresolvedAddressException) {
            return Errno.EADDRNOTAVAIL;
        }
        if (e instanceof ConnectException || e instanceof BindException) {
            return fromJdkMessage(e, Errno.ECONNREFUSED);
        }
        return fromJdkMessage(e, Errno.EIO);
    }

    /**
     * The one documented fallback on the JDK's text: the JDK throws one exception type for several
     * errno values (ConnectException for ECONNREFUSED and ETIMEDOUT, BindException for EADDRINUSE
     * and EADDRNOTAVAIL, a plain SocketException for ENOENT on a Unix domain socket path), and
     * only the message, which is the C library's {@code strerror} text, tells them apart.
     */
    private static Errno fromJdkMessage(Throwable e, Errno fallback) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("in use")) {
            return Errno.EADDRINUSE;
        }
        if (m.contains("refused")) {
            return Errno.ECONNREFUSED;
        }
        if (m.contains("timed out")) {
            return Errno.ETIMEDOUT;
        }
        if (m.contains("No such file")) {
            return Errno.ENOENT;
        }
        return fallback;
    }
}
