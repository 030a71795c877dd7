package org.zmq4j.durable.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.durable.journal.FileJournal;
import org.zmq4j.patterns.internal.Inbox;
import org.zmq4j.patterns.internal.ServiceLoop;

/**
 * The receiving half of durable delivery: binds a ROUTER, serves many {@link DurableSender}s (each
 * known by its stable id), hands their messages to the application in order per sender through
 * {@link #receive}, and acknowledges a message to its sender only once the application
 * {@linkplain Delivery#ack() acknowledged} it and that acknowledgement is stored in the state
 * directory (a journal, under its fsync policy). After a restart it knows each sender's position and
 * drops what it had acknowledged already: a message reaches the application again only if the
 * receiver crashed before storing its acknowledgement (store a {@linkplain Delivery#ack(byte[])
 * checkpoint} with it to make the application's own output exactly-once too).
 *
 * <p>Order: per sender, in sequence order; nothing is promised between senders.
 *
 * <p>Thread-safety: {@link #receive}, {@link Delivery#ack()} and the queries may be called from any
 * thread; the socket and the state belong to the receiver's loop thread
 * ({@code zmq4j-durable-receiver}).
 *
 * <p>Metrics: until {@link #close()} its numbers are among its Context's
 * {@link Context#metrics() components}, kind {@code durable_receiver}, named after its endpoint:
 * {@code delivered_total}, {@code duplicates_total}, {@code acknowledged_total}, {@code senders},
 * {@code waiting_messages} and more.
 */
public final class DurableReceiver implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.durable.receiver");
    private static final int BATCH = 4096;

    /** An acknowledgement (delivery set) or a checkpoint alone, on its way to the loop. */
    private record Ack(Delivery delivery, byte[] checkpoint) {
    }

    /** An acknowledgement appended to the state journal, waiting to be durable. */
    private record Pending(long index, String id, long epoch, long seq) {
    }

    private final DurableReceiverConfig config;
    private final FileJournal journal;
    private final ProgressLog progress;
    private final ReceiverCore core;
    private final Socket router;
    private final Inbox<Ack> inbox;
    private final ServiceLoop loop = new ServiceLoop("zmq4j-durable-receiver");
    private final LinkedBlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final Map<String, Long> stored = new ConcurrentHashMap<>();
    private final byte[] initialCheckpoint;
    private final String endpoint;
    private final Context ctx;
    private final ReceiverMetrics metrics;
    private volatile boolean closed;

    private DurableReceiver(Context ctx, DurableReceiverConfig config, FileJournal journal) throws IOException {
        this.config = config;
        this.journal = journal;
        this.progress = new ProgressLog(journal, 100_000);
        this.initialCheckpoint = progress.checkpoint();
        progress.positions().forEach((id, p) -> stored.put(id, p.seq()));
        this.core = new ReceiverCore(progress.positions(), config.maxSenders());
        this.inbox = new Inbox<>(ctx, "durable-receiver");
        this.router = ctx.socket(SocketType.ROUTER);
        try {
            router.setOption(Option.LINGER, 0);
            int hb = (int) Math.max(1, config.heartbeat().toMillis());
            router.setOption(Option.HEARTBEAT_IVL, hb);
            router.setOption(Option.HEARTBEAT_TIMEOUT, hb * 3);
            router.setOption(Option.MAXMSGSIZE, config.maxMessageBytes() + 64); // a payload frame, or a command
            router.bind(config.endpoint());
            this.endpoint = router.lastEndpoint();
        } catch (RuntimeException e) {
            router.close();
            inbox.closeSender();
            inbox.closeReceiver();
            throw e;
        }
        journal.onDurable(index -> inbox.wake());
        this.ctx = ctx;
        this.metrics = new ReceiverMetrics(endpoint, core, journal, deliveries::size);
    }

    /**
     * Opens the state directory (recovering it), binds and starts serving senders.
     *
     * @throws IOException when the state cannot be opened (in use by another process, unreadable)
     * @throws ZmqException when the bind fails (EADDRINUSE, ...)
     */
    public static DurableReceiver open(Context ctx, DurableReceiverConfig config) throws IOException {
        FileJournal journal = FileJournal.open(config.stateDir(), config.journal());
        DurableReceiver r;
        try {
            r = new DurableReceiver(ctx, config, journal);
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
        r.loop.start(() -> r.loop.run(r::run, r::cleanup));
        ctx.addMetricsSource(r.metrics); // kind durable_receiver, until close()
        LOG.log(Level.INFO, "durable receiver on {0}: state {1}, {2} senders known", r.endpoint, config.stateDir(),
                r.stored.size());
        return r;
    }

    private void run() {
        Poller poller = new Poller();
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        ByteBuffer[] records = new ByteBuffer[BATCH];
        Delivery[] batch = new Delivery[BATCH];
        ReceiverCore.Link link = new ReceiverCore.Link() {
            @Override
            public void send(byte[] route, byte[] command) {
                if (router.send(route, Socket.DONTWAIT | Socket.SNDMORE)) {
                    router.send(command, 0);
                }
            }

            @Override
            public void deliver(String id, long epoch, long seq, byte[] payload) {
                deliveries.add(new Delivery(DurableReceiver.this, id, epoch, seq, payload));
            }
        };
        try {
            poller.register(router, Poller.POLLIN);
            inbox.register(poller);
            boolean idle = true;
            while (!closed && !Thread.currentThread().isInterrupted()) {
                if (idle) { // poll only when a round found nothing to do: a poll costs more than a look
                    poller.poll(1000);
                }
                int work = 0;
                for (int i = 0; i < BATCH; i++) {
                    byte[] route = router.recv(Socket.DONTWAIT);
                    if (route == null) {
                        break;
                    }
                    handle(route, link);
                    work++;
                }
                work += storeAcks(inbox::drain, records, batch, pending);
                long durable = journal.durableIndex();
                while (!pending.isEmpty() && pending.peekFirst().index() < durable) {
                    Pending p = pending.pollFirst();
                    if (p.id() != null) {
                        core.stored(p.id(), p.epoch(), p.seq());
                        stored.merge(p.id(), p.seq(), Math::max);
                        metrics.acknowledged.increment();
                    }
                    work++;
                }
                core.flushAcks(link);
                idle = work == 0;
            }
        } finally {
            poller.close();
        }
    }

    /** Appends the queued acknowledgements to the state journal (what {@code source} hands over); returns how many. */
    private int storeAcks(java.util.function.Consumer<java.util.function.Consumer<Ack>> source, ByteBuffer[] records,
            Delivery[] batch, ArrayDeque<Pending> pending) {
        int[] n = {0};
        int[] total = {0};
        source.accept(a -> {
            total[0]++;
            if (n[0] == records.length) {
                flush(records, batch, n[0], pending);
                n[0] = 0;
            }
            Delivery d = a.delivery();
            records[n[0]] = d == null ? ProgressLog.encode(null, 0, 0, a.checkpoint())
                    : ProgressLog.encode(d.senderId(), d.epoch(), d.sequence(), a.checkpoint());
            batch[n[0]] = d; // null: a checkpoint alone
            n[0]++;
        });
        if (n[0] > 0) {
            flush(records, batch, n[0], pending);
        }
        return total[0];
    }

    private void flush(ByteBuffer[] records, Delivery[] batch, int count, ArrayDeque<Pending> pending) {
        long last;
        try {
            last = progress.append(records, count);
        } catch (IOException e) {
            throw new UncheckedIOException("durable receiver " + endpoint + ": cannot store acknowledgements in "
                    + config.stateDir(), e);
        }
        long first = last - count + 1;
        for (int i = 0; i < count; i++) {
            Delivery d = batch[i];
            pending.add(d == null ? new Pending(first + i, null, 0, 0) : new Pending(first + i, d.senderId(), d.epoch(), d.sequence()));
            records[i] = null;
            batch[i] = null;
        }
    }

    private void handle(byte[] route, ReceiverCore.Link link) {
        byte[] command = router.hasMore() ? router.recv() : null;
        byte[] payload = command != null && router.hasMore() ? router.recv() : null;
        boolean extra = false;
        while (router.hasMore()) {
            router.recv();
            extra = true;
        }
        if (command != null && !extra && command.length > 0) {
            if (command[0] == Ddp.DATA && payload != null) {
                Long seq = Ddp.number(command, Ddp.DATA);
                if (seq != null && seq >= 0) {
                    core.data(route, seq, payload, link);
                    return;
                }
            } else if (command[0] == Ddp.HELLO && payload == null) {
                Ddp.Hello h = Ddp.parseHello(command);
                if (h != null) {
                    core.hello(route, h, link);
                    return;
                }
            }
        }
        metrics.malformed.increment();
        long malformed = metrics.malformed.get();
        if (malformed <= 10 || malformed % 10_000 == 0) {
            LOG.log(Level.WARNING, "durable receiver {0}: dropped a malformed message ({1} so far)", endpoint, malformed);
        }
    }

    private void cleanup() {
        // store the acknowledgements already given, so a clean stop redelivers nothing
        try {
            storeAcks(to -> {
                Ack a;
                while ((a = inbox.poll()) != null) {
                    to.accept(a);
                }
            }, new ByteBuffer[BATCH], new Delivery[BATCH], new ArrayDeque<>());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "durable receiver " + endpoint + ": could not store the last acknowledgements", e);
        }
        router.close();
        inbox.closeReceiver();
    }

    /**
     * Waits for the next message from any sender.
     *
     * @throws ZmqException ETERM once the receiver is closed, EINTR when the thread is interrupted
     */
    public Delivery receive() {
        while (true) {
            Delivery d = receive(Duration.ofSeconds(1));
            if (d != null) {
                return d;
            }
        }
    }

    /**
     * Waits up to {@code timeout} for the next message.
     *
     * @return the message, or null when none came in time
     * @throws ZmqException ETERM once the receiver is closed, EINTR when the thread is interrupted
     */
    public Delivery receive(Duration timeout) {
        if (closed) {
            throw new ZmqException(ZmqException.Errno.ETERM, "durable receiver " + endpoint + " is closed");
        }
        try {
            return deliveries.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZmqException(ZmqException.Errno.EINTR, "interrupted while receiving on " + endpoint);
        }
    }

    void acknowledge(Delivery d, byte[] checkpoint) {
        if (d.receiver() != this) {
            throw new IllegalArgumentException(d + " came from another receiver");
        }
        if (closed) {
            throw new ZmqException(ZmqException.Errno.ETERM, "durable receiver " + endpoint + " is closed");
        }
        inbox.offer(new Ack(d, checkpoint));
    }

    /**
     * Stores an application checkpoint without an acknowledgement (for example the length of an
     * output file before the first message arrives).
     */
    public void saveCheckpoint(byte[] checkpoint) {
        inbox.offer(new Ack(null, checkpoint.clone()));
    }

    /** The checkpoint of the last acknowledgement stored before this receiver opened, or null. */
    public byte[] checkpoint() {
        return initialCheckpoint == null ? null : initialCheckpoint.clone();
    }

    /** Sender id to the last sequence whose acknowledgement is stored (a copy). */
    public Map<String, Long> acknowledged() {
        return Map.copyOf(stored);
    }

    /** The bound endpoint (with the port the system chose for {@code :0} or {@code :*}). */
    public String endpoint() {
        return endpoint;
    }

    /** Stops the loop (storing the acknowledgements given so far), closes the state. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        ctx.removeMetricsSource(metrics);
        inbox.wake();
        // the loop ends by itself and stores the acknowledgements already given as it goes: an interrupt
        // would close the journal's file channel under it (ClosedByInterruptException) and lose them
        loop.awaitEnd(5000);
        if (!loop.stop()) {
            router.close();
            inbox.closeReceiver();
        }
        inbox.closeSender();
        journal.close();
    }

    @Override
    public String toString() {
        return "durable receiver " + endpoint + " [" + stored.size() + " senders]";
    }
}
