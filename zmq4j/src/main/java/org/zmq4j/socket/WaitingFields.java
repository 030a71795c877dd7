package org.zmq4j.socket;

/** 128 bytes ahead of the wake-up fields. */
abstract class WaitingPadBefore {
    long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
}

/**
 * The fields other threads touch on every message they hand a socket (a pipe writer's wake-up
 * reads {@link #parked} and {@link #unparkSent} and sets {@link #inputHint}), on cache lines of
 * their own: padding before ({@link WaitingPadBefore}) and after ({@link WaitingPadAfter}), so the
 * owner thread's per-call writes elsewhere do not invalidate the line every writer reads.
 */
abstract class WaitingFields extends WaitingPadBefore {
    /** The thread parked in a blocking call of a classic socket (or polling it), or null. */
    volatile Thread parked;
    /**
     * Set by the first wake-up of a {@link #parked} thread, cleared by that thread before each
     * re-check of its condition (so a wake-up after that re-check always unparks it).
     */
    volatile boolean unparkSent;
    /** Something may have arrived since the socket last looked (see {@link Waiting#takeInputHint()}). */
    volatile boolean inputHint;
}

/** 128 bytes after the wake-up fields. */
abstract class WaitingPadAfter extends WaitingFields {
    long q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15;
}
