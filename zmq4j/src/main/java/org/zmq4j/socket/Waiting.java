package org.zmq4j.socket;

import java.util.function.BooleanSupplier;

import org.zmq4j.ContextConfig;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;

/**
 * How the callers of one socket wait for it and are woken: the blocking discipline. A socket of a
 * classic type has one owner thread at a time and needs no lock ({@link ClassicWaiting}); the
 * thread-safe types serialise every call with a lock that a blocked caller releases while parked
 * ({@link SharedWaiting}). Either way no file descriptor is used: callers park, and whoever makes
 * the condition true (a pipe writer, an I/O thread posting a command) calls {@link #wake()}.
 */
abstract class Waiting extends WaitingPadAfter {
    /** What a waiting caller needs of its socket. */
    interface Owner {
        /** Runs the commands I/O threads posted (attach, detach...). */
        void processCommands();

        /** Throws ENOTSOCK or ETERM once the socket is closed or its context terminated. */
        void checkUsable();

        /** Whether the socket has been closed or its context terminated (ends a spin early). */
        boolean isEnding();

        /** Whether the socket ever bound or connected an endpoint served by I/O threads. */
        boolean usesIoThreads();
    }

    final Owner owner;
    private final SocketType type;

    Waiting(Owner owner, SocketType type) {
        this.owner = owner;
        this.type = type;
    }

    /**
     * The discipline for a socket of {@code type}.
     *
     * @param owner  the socket
     * @param type   its type
     * @param config the context's policies (spinning)
     * @return a shared discipline for the thread-safe types, a classic one otherwise
     */
    static Waiting of(Owner owner, SocketType type, ContextConfig config) {
        return type.isThreadSafe() ? new SharedWaiting(owner, type)
                : new ClassicWaiting(owner, type, config.spin().toNanos(), config.inprocSpin().toNanos());
    }

    /** Begins a public call (thread-safe types: takes the socket's lock). */
    abstract void enter();

    /** Ends a public call, waking waiters whose condition it may have changed. */
    abstract void exit();

    /**
     * Parks the calling thread until {@code ready} holds or the deadline passes, running the
     * socket's commands before each check. Called inside {@link #enter()}/{@link #exit()}.
     *
     * @param ready    the condition
     * @param deadline {@link System#nanoTime()} deadline, 0 for none
     * @return true when ready, false on timeout
     * @throws ZmqException EINTR when interrupted, ETERM or ENOTSOCK when the socket ends meanwhile
     */
    abstract boolean await(BooleanSupplier ready, long deadline);

    /** Wakes the caller(s) parked on the socket, if any; cheap when none is. Any thread. */
    abstract void wake();

    /**
     * Registers ({@code waiting} true) or removes a thread a {@code Poller} parks while waiting on
     * this socket.
     *
     * @param thread  the polling thread
     * @param waiting whether it starts or stops waiting
     */
    abstract void pollingThread(Thread thread, boolean waiting);

    /** Sets the input hint: something may have arrived (a volatile store only when it changes). */
    final void hintInput() {
        if (!inputHint) {
            inputHint = true;
        }
    }

    /**
     * Whether anything may have arrived since the last call (clears the hint). Lets a socket that
     * must poll all its inbound pipes (PUB reading subscriptions) skip that work on most sends.
     * The hint is cleared before the caller reads, so input committed meanwhile sets it again.
     */
    final boolean takeInputHint() {
        if (!inputHint) {
            return false;
        }
        inputHint = false;
        return true;
    }

    /** Throws EINTR (clearing the flag) when the calling thread was interrupted. */
    final void checkInterrupt() {
        if (Thread.interrupted()) {
            throw new ZmqException(Errno.EINTR, type + " socket call interrupted");
        }
    }
}
