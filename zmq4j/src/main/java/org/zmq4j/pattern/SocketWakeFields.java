package org.zmq4j.pattern;

import java.util.Set;

/**
 * The fields of a socket that other threads read on every message they hand it (a pipe writer's
 * wake-up reads {@link #parked}, {@link #unparkSent}, {@link #inputHint} and {@link #waiters}),
 * laid out ahead of the socket's own state with a cache line pair of padding after them
 * ({@link SocketWakePad}), so the owner thread's per-call writes (rcvMore, routing state) do not
 * invalidate the line every writer reads.
 */
abstract class SocketWakeFields {
    /** The thread parked in a blocking call of a classic socket (or polling it), or null. */
    volatile Thread parked;
    /**
     * Set by the first wake-up of a {@link #parked} thread, cleared by that thread before each
     * re-check of its condition (so a wake-up after that re-check always unparks it).
     */
    volatile boolean unparkSent;
    /** Something may have arrived since the socket last looked (see SocketBase.takeInputHint). */
    volatile boolean inputHint;
    /** Thread-safe types only: the threads parked in a blocking call or a Poller; null otherwise. */
    final Set<Thread> waiters;

    SocketWakeFields(Set<Thread> waiters) {
        this.waiters = waiters;
    }
}

/** 128 bytes between the wake-up fields and the socket's own state. */
abstract class SocketWakePad extends SocketWakeFields {
    long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;

    SocketWakePad(Set<Thread> waiters) {
        super(waiters);
    }
}
