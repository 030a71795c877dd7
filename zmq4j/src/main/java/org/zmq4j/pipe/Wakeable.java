package org.zmq4j.pipe;

/**
 * Something that may be asleep waiting for a pipe: an application thread parked in a socket call,
 * or an engine idle on its I/O thread. {@link #wake()} must be cheap when the target is awake,
 * because writers call it after every committed message.
 */
@FunctionalInterface
public interface Wakeable {
    /** A no-op target, for pipe ends nobody waits on yet. */
    Wakeable NONE = () -> { };

    /** Tells the target that the pipe changed state (data arrived, or room freed). */
    void wake();
}
