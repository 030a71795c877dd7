package org.zmq4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One I/O thread: a selector loop with a task queue and timers. Every engine, listener and
 * connecter lives on exactly one I/O thread and is touched only from it; other threads talk to it
 * with {@link #execute(Runnable)}.
 * <p>
 * The loop blocks in {@code select} with no timeout when no timer is due, so an idle context uses
 * no CPU. A task or handler that throws is logged and contained: the thread never dies.
 */
public final class IoThread implements Runnable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.io");

    /** Consecutive empty wake-ups from a blocking select after which the selector is rebuilt. */
    static final int SPIN_REBUILD_THRESHOLD = 512;

    /**
     * Whether the loop yields the CPU once before it blocks in {@code select} after a round that
     * handled readiness events ({@link org.zmq4j.ContextConfig#ioYield()}; by default only when
     * the process has one CPU, where the application thread this round woke then queues its next
     * request before the I/O thread sleeps; docs/performance.md has the figures).
     */
    private final boolean yieldBeforeBlocking;
    /** The last blocking select returned events (I/O thread only). */
    private boolean worked;

    /** Tasks run per loop round before the selector is polled again. */
    static final int TASKS_PER_ROUND = 256;

    private volatile Selector selector;
    private int emptyWakeups;
    private int rebuilds;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final AtomicInteger load = new AtomicInteger();
    private volatile boolean stopping;

    /**
     * @param name                thread name
     * @param yieldBeforeBlocking whether to yield once before blocking after a busy round
     */
    public IoThread(String name, boolean yieldBeforeBlocking) {
        this.yieldBeforeBlocking = yieldBeforeBlocking;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    /** Told (on the failing thread) when the loop gives up; see {@link #failure()}. */
    private volatile Consumer<IoThread> onFailure;

    /**
     * Sets who is told when this thread gives up.
     *
     * @param listener called once, on the failing thread
     */
    public void onFailure(Consumer<IoThread> listener) {
        this.onFailure = listener;
    }

    /** The thread's name. */
    public String name() {
        return thread.getName();
    }

    /** Starts the loop. */
    public void start() {
        thread.start();
    }

    /** Whether the caller runs on this I/O thread. */
    public boolean inThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on this thread soon. Callable from any thread.
     *
     * @param task the task
     */
    public void execute(Runnable task) {
        if (failure != null) {
            return; // the thread gave up: nothing will run it (the context has failed loudly)
        }
        tasks.add(task);
        if (Thread.currentThread() != thread && wakeRequested.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /**
     * Runs {@code task} after {@code delayMillis} (I/O thread only).
     *
     * @param delayMillis delay in milliseconds
     * @param task        the task
     * @return the timer, to cancel it
     */
    public Timer schedule(long delayMillis, Runnable task) {
        Timer t = new Timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), task);
        timers.add(t);
        return t;
    }

    /**
     * Registers a channel (I/O thread only).
     *
     * @param channel the channel, non-blocking
     * @param ops     interest set
     * @param handler who handles readiness
     * @return the key
     * @throws ClosedChannelException when the channel is closed
     */
    public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws ClosedChannelException {
        return channel.register(selector, ops, handler);
    }

    /** Size of the read buffer every engine on this thread reads into. */
    static final int READ_BUFFER = 256 * 1024;
    /** Size of the write buffer lent to an engine for one write. */
    static final int WRITE_BUFFER = 64 * 1024;
    private ByteBuffer readBuffer;
    private ByteBuffer writeBuffer;
    private boolean writeBufferLent;

    /**
     * The read buffer shared by this thread's engines (I/O thread only): direct, so the JDK reads
     * into it without a temporary copy, and an engine decodes straight out of it.
     */
    public ByteBuffer readBuffer() {
        if (readBuffer == null) {
            readBuffer = direct(READ_BUFFER);
        }
        return readBuffer;
    }

    /**
     * Lends the shared write buffer for one write (I/O thread only); a nested lend gets its own. It
     * is a heap buffer: frames are copied into it a few bytes at a time, which a heap buffer does
     * faster than a direct one, and the one copy the JDK makes of the whole batch on writing costs
     * less than that difference for small messages.
     */
    public ByteBuffer lendWriteBuffer() {
        if (writeBufferLent) {
            return ByteBuffer.allocate(WRITE_BUFFER);
        }
        if (writeBuffer == null) {
            writeBuffer = ByteBuffer.allocate(WRITE_BUFFER);
        }
        writeBufferLent = true;
        return writeBuffer;
    }

    /** Gives back what {@link #lendWriteBuffer()} lent. */
    public void returnWriteBuffer(ByteBuffer buffer) {
        if (buffer == writeBuffer) {
            writeBufferLent = false;
        }
    }

    /** A direct buffer, or a heap one when direct memory is exhausted (MaxDirectMemorySize). */
    static ByteBuffer direct(int size) {
        try {
            return ByteBuffer.allocateDirect(size);
        } catch (OutOfMemoryError e) {
            return ByteBuffer.allocate(size);
        }
    }

    /** Number of handlers placed on this thread, for spreading load. */
    public AtomicInteger load() {
        return load;
    }

    /** Stops the loop and waits for the thread to end (bounded). */
    public void stop() {
        stopping = true;
        selector.wakeup();
        if (!inThread()) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        int failedRounds = 0;
        while (!stopping) {
            try {
                loopOnce();
                failedRounds = 0;
            } catch (Throwable t) {
                // anything that escapes a round (an Error from a handler's own failure handling, an
                // OutOfMemoryError while logging one): contained here without allocating, and the
                // loop goes on; only a thread that fails round after round gives up, loudly
                if (++failedRounds >= FAILED_ROUNDS_BEFORE_GIVING_UP) {
                    fail(t);
                    return;
                }
            }
        }
        shutDown();
    }

    /**
     * Rounds in a row that may fail before the thread gives up. A failing round has already let
     * the handler that failed close its connection (freeing what it held), so a run of them means
     * the thread cannot make progress at all.
     */
    static final int FAILED_ROUNDS_BEFORE_GIVING_UP = 100;
    /** Why the thread gave up, or null while it runs. */
    private volatile Throwable failure;

    // ------------------------------------------------------------------ load (Context.metrics())

    /** Wake-ups (Context.metrics()), on cache lines of their own: written every round. */
    private final IoLoad busy = new IoLoad();

    /**
     * This thread's load: {busy nanoseconds (its CPU time), uptime nanoseconds, wake-ups}, for any
     * thread.
     */
    public long[] busyTime() {
        return busy.read(thread);
    }

    /** One round: tasks, timers, readiness. */
    private void loopOnce() {
        wakeRequested.set(false);
        runTasks();
        long timeout = runTimers();
        if (stopping) {
            return;
        }
        try {
            if (!tasks.isEmpty()) {
                // still busy: poll readiness anyway, so a stream of tasks (one connection's
                // resumes, say) can never starve the other connections' reads and writes
                selector.selectNow(this::dispatch);
                return;
            }
            if (yieldBeforeBlocking && worked) {
                worked = false;
                Thread.yield();
                if (!tasks.isEmpty()) {
                    return;
                }
            }
            int selected;
            if (timeout == 0) {
                selected = selector.select(this::dispatch);
            } else {
                selected = selector.select(this::dispatch, timeout);
            }
            busy.woke();
            guardAgainstSpinning(selected, timeout);
            worked = selected > 0;
        } catch (IOException | RuntimeException e) {
            log(Level.ERROR, "selector failure", e);
        }
    }

    /**
     * The thread cannot go on: its sockets are told (blocked and later calls throw an exception
     * that says why, their monitors hear it), and its connections are closed.
     */
    private void fail(Throwable cause) {
        failure = cause;
        log(Level.ERROR, "I/O thread gives up after " + FAILED_ROUNDS_BEFORE_GIVING_UP + " failed rounds; its sockets fail", cause);
        Consumer<IoThread> listener = onFailure;
        if (listener != null) {
            try {
                listener.accept(this);
            } catch (Throwable ignored) {
                // reported as well as we could
            }
        }
        shutDown();
    }

    /** Why this thread gave up, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    /** Whether the loop still runs (false once stopped or failed). */
    public boolean isRunning() {
        return failure == null && thread.isAlive();
    }

    /** Logs, and never lets the logging itself (an OutOfMemoryError building the message) escape. */
    private void log(Level level, String what, Throwable t) {
        try {
            LOG.log(level, what + " on " + thread.getName(), t);
        } catch (Throwable ignored) {
            // nothing more can be done without memory
        }
    }

    private void shutDown() {
        while (!tasks.isEmpty()) {
            runTasks();
        }
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * The JDK selector spin (a blocking select returning at once with nothing selected, forever)
     * would burn a CPU: after {@value #SPIN_REBUILD_THRESHOLD} such wake-ups in a row with no
     * task, timer or wake-up to explain them, move every key to a new selector.
     */
    private void guardAgainstSpinning(int selected, long timeout) {
        if (selected > 0 || timeout != 0 || wakeRequested.get() || !tasks.isEmpty() || stopping) {
            emptyWakeups = 0;
            return;
        }
        if (++emptyWakeups < SPIN_REBUILD_THRESHOLD) {
            return;
        }
        emptyWakeups = 0;
        rebuildSelector();
    }

    /** Moves every registration to a fresh selector (I/O thread only). */
    void rebuildSelector() {
        Selector fresh;
        try {
            fresh = Selector.open();
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot open a replacement selector on " + thread.getName(), e);
            return;
        }
        for (SelectionKey key : selector.keys()) {
            if (!key.isValid()) {
                continue;
            }
            try {
                key.channel().register(fresh, key.interestOps(), key.attachment());
                key.cancel();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not move a channel to the new selector", e);
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // replaced anyway
        }
        selector = fresh;
        rebuilds++;
        LOG.log(Level.WARNING, thread.getName() + ": selector was spinning; rebuilt it (" + rebuilds + " so far)");
    }

    /** How many times the selector was rebuilt (for tests and diagnostics). */
    int selectorRebuilds() {
        return rebuilds;
    }

    /**
     * Runs at most {@value #TASKS_PER_ROUND} queued tasks: tasks queued while these run (a reader
     * waking its engine again and again) wait for the next round, after a look at the selector.
     */
    private void runTasks() {
        Runnable task;
        for (int i = 0; i < TASKS_PER_ROUND && (task = tasks.poll()) != null; i++) {
            try {
                task.run();
            } catch (Throwable t) {
                log(Level.ERROR, "task failed", t);
            }
        }
    }

    /** Runs due timers; returns milliseconds until the next one (0 = none). */
    private long runTimers() {
        while (!timers.isEmpty()) {
            Timer next = timers.peek();
            if (next.isCancelled()) {
                timers.poll();
                continue;
            }
            long wait = next.deadline - System.nanoTime();
            if (wait > 0) {
                return Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999));
            }
            timers.poll();
            try {
                next.task.run();
            } catch (Throwable t) {
                log(Level.ERROR, "timer failed", t);
            }
        }
        return 0;
    }

    private void dispatch(SelectionKey key) {
        IoHandler handler = (IoHandler) key.attachment();
        try {
            if (key.isValid()) {
                handler.onReady(key);
            }
        } catch (Throwable t) {
            try {
                handler.onFailure(t);
            } catch (Throwable again) {
                log(Level.ERROR, "handler failure", again);
            }
        }
    }
}
