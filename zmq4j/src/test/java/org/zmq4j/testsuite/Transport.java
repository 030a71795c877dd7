package org.zmq4j.testsuite;

/** The transports the suite runs its scenarios over; {@link Harness} makes their endpoints. */
enum Transport {
    TCP, IPC, INPROC;

    /** Whether a libzmq process can be on the other end (inproc stays within one process). */
    boolean reachesLibzmq() {
        return this != INPROC;
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
