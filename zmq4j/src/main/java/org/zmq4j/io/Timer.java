package org.zmq4j.io;

/** A one-shot timer on an {@link IoThread}. Create with {@link IoThread#schedule(long, Runnable)}. */
public final class Timer implements Comparable<Timer> {
    private static long sequence;

    final long deadline;
    final Runnable task;
    private final long order;
    private boolean cancelled;

    Timer(long deadline, Runnable task) {
        this.deadline = deadline;
        this.task = task;
        synchronized (Timer.class) {
            this.order = sequence++;
        }
    }

    /** Stops the timer from firing (I/O thread only). */
    public void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled;
    }

    @Override
    public int compareTo(Timer o) {
        int c = Long.compare(deadline - o.deadline, 0);
        return c != 0 ? c : Long.compare(order, o.order);
    }
}
