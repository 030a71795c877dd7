package org.zmq4j.durable.delivery;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.durable.journal.FileJournal;
import org.zmq4j.durable.journal.Journal;
import org.zmq4j.patterns.internal.Inbox;
import org.zmq4j.patterns.internal.ServiceLoop;

/**
 * The sending half of durable delivery: {@link #send} journals the message (under the journal's
 * fsync policy) and returns its sequence number; a loop thread transmits journaled messages in
 * order to the {@link DurableReceiver} at the endpoint, and resends from where the receiver is
 * after a reconnect, a silence, or a restart of either side (the journal holds every message until
 * the receiver acknowledges it). Sequence numbers are the journal's indices: the first message a
 * new journal sends is 0, and a sender restarted on its journal continues where it stopped.
 *
 * <p>What is promised: a message {@code send} returned for reaches the receiving application once,
 * in order, whatever crashes (process or, under the {@code always} and {@code group} policies,
 * machine) either side suffers, as long as the journal directory survives. A full window of
 * unacknowledged messages makes {@code send} wait, up to {@link DurableSenderConfig#sendTimeout()}.
 *
 * <p>Thread-safety: {@link #send} and the query methods may be called from any thread (sends from
 * several threads are ordered as they take the window's lock); the socket belongs to the sender's
 * own loop thread ({@code zmq4j-durable-sender-ID}).
 *
 * <p>Metrics: until {@link #close()} its numbers are among its Context's
 * {@link Context#metrics() components}, kind {@code durable_sender}, named after its id:
 * {@code unacknowledged_messages}, {@code oldest_unacknowledged_age_seconds}, {@code sent_total}
 * (taken by {@code send}), {@code transmitted_total}, {@code resent_total},
 * {@code acknowledged_total}, and the journal's {@code fsync_total}, {@code fsync_seconds_total},
 * {@code last_fsync_seconds}.
 */
public final class DurableSender implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.durable.sender");
    private static final AtomicLong MONITORS = new AtomicLong();

    private final DurableSenderConfig config;
    private final FileJournal journal;
    private final SendWindow window;
    private final SenderCore core;
    private final Inbox<Object> inbox;
    private final ServiceLoop loop;
    private final Context ctx;
    private final String what;
    private final SenderMetrics metrics;
    private volatile boolean closed;

    private DurableSender(Context ctx, DurableSenderConfig config, FileJournal journal) {
        this.ctx = ctx;
        this.config = config;
        this.journal = journal;
        this.what = "durable sender '" + config.id() + "'";
        this.window = new SendWindow(journal, config.window(), what);
        this.core = new SenderCore(config.id(), journal.journalId(), window, config.ackTimeout().toNanos());
        this.inbox = new Inbox<>(ctx, "durable-sender");
        this.loop = new ServiceLoop("zmq4j-durable-sender-" + config.id());
        journal.onDurable(index -> inbox.wake());
        this.metrics = new SenderMetrics(config.id(), window, core, journal);
    }

    /**
     * Opens the journal (recovering it) and starts sending to the receiver.
     *
     * @throws IOException when the journal cannot be opened (in use by another process, unwritable)
     */
    public static DurableSender open(Context ctx, DurableSenderConfig config) throws IOException {
        FileJournal journal = FileJournal.open(config.journalDir(), config.journal());
        DurableSender s;
        try {
            s = new DurableSender(ctx, config, journal);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        s.start();
        return s;
    }

    private void start() {
        Socket socket = ctx.socket(SocketType.DEALER);
        Socket events = ctx.socket(SocketType.PAIR);
        try {
            socket.setOption(Option.LINGER, 0);
            int hb = (int) Math.max(1, config.heartbeat().toMillis());
            socket.setOption(Option.HEARTBEAT_IVL, hb);
            socket.setOption(Option.HEARTBEAT_TIMEOUT, hb * 3);
            String monitor = "inproc://zmq4j-durable-sender-monitor-" + MONITORS.incrementAndGet();
            socket.monitor(monitor, SocketEvent.Type.HANDSHAKE_SUCCEEDED.code() | SocketEvent.Type.DISCONNECTED.code());
            events.connect(monitor);
            socket.connect(config.endpoint());
        } catch (RuntimeException e) {
            socket.close();
            events.close();
            throw e;
        }
        ctx.addMetricsSource(metrics); // kind durable_sender, until close()
        loop.start(() -> loop.run(() -> run(socket, events), () -> {
            socket.close();
            events.close();
            inbox.closeReceiver();
        }));
    }

    private void run(Socket socket, Socket events) {
        Poller poller = new Poller();
        try {
            poller.register(socket, Poller.POLLIN);
            poller.register(events, Poller.POLLIN);
            inbox.register(poller);
            SenderCore.Link link = new SenderCore.Link() {
                @Override
                public void command(byte[] frame) {
                    socket.send(frame, Socket.DONTWAIT);
                }

                @Override
                public boolean data(long seq, byte[] payload) {
                    if (!socket.send(Ddp.withNumber(Ddp.DATA, seq), Socket.DONTWAIT | Socket.SNDMORE)) {
                        return false;
                    }
                    socket.send(payload, 0);
                    return true;
                }
            };
            boolean blocked = false;
            LOG.log(Level.INFO, "{0}: journal {1} (next sequence {2}); sending to {3}", what, journal.directory(),
                    journal.nextIndex(), config.endpoint());
            boolean idle = true;
            while (!closed && !Thread.currentThread().isInterrupted()) {
                long now = System.nanoTime();
                if (idle) { // poll only when a round found nothing to do: a poll costs more than a look
                    long waitMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(core.nextDeadline(now) - now) + 1);
                    poller.poll(Math.min(waitMs, 1000));
                    now = System.nanoTime();
                }
                int work = 0;
                byte[] ev;
                while ((ev = events.recv(Socket.DONTWAIT)) != null) {
                    work++;
                    byte[] endpoint = events.hasMore() ? events.recv() : new byte[0];
                    SocketEvent e = SocketEvent.decode(ev, endpoint);
                    if (e.type() == SocketEvent.Type.HANDSHAKE_SUCCEEDED) {
                        LOG.log(Level.DEBUG, "{0}: connected to {1}", what, e.endpoint());
                        core.connected(now, link);
                    } else if (e.type() == SocketEvent.Type.DISCONNECTED) {
                        LOG.log(Level.INFO, "{0}: lost the connection to {1}; resending from the receiver''s position once back",
                                what, e.endpoint());
                        core.disconnected();
                    }
                }
                byte[] frame;
                while ((frame = socket.recv(Socket.DONTWAIT)) != null) {
                    while (socket.hasMore()) {
                        socket.recv();
                    }
                    handle(frame, now, link);
                    work++;
                }
                inbox.drain(x -> { });
                core.tick(now, link);
                long before = core.nextToSend();
                boolean done = core.pump(journal.durableIndex(), link);
                if (core.nextToSend() != before) {
                    work++;
                }
                if (done == blocked) {
                    blocked = !done;
                    poller.register(socket, blocked ? Poller.POLLIN | Poller.POLLOUT : Poller.POLLIN);
                }
                idle = work == 0;
            }
        } finally {
            poller.close();
        }
    }

    private void handle(byte[] frame, long now, SenderCore.Link link) {
        if (frame.length == 0) {
            return;
        }
        switch (frame[0]) {
            case Ddp.ACK -> {
                Long seq = Ddp.number(frame, Ddp.ACK);
                if (seq != null) {
                    core.ack(seq, now);
                    return;
                }
            }
            case Ddp.WELCOME -> {
                long[] w = Ddp.parseWelcome(frame);
                if (w != null) {
                    LOG.log(Level.DEBUG, "{0}: receiver has acknowledged {1}, holds up to {2}", what, w[0], w[1]);
                    core.welcome(w[0], w[1], now);
                    return;
                }
            }
            case Ddp.WHO -> {
                if (frame.length == 1) {
                    core.who(now, link);
                    return;
                }
            }
            default -> {
            }
        }
        LOG.log(Level.WARNING, "{0}: ignored a malformed command ({1} bytes, first 0x{2})", what, frame.length,
                Integer.toHexString(frame[0] & 0xff));
    }

    /**
     * Journals {@code payload} and queues it for the receiver, waiting while the window is full (up to
     * the configured send timeout).
     *
     * @return the message's sequence number
     * @throws ZmqException EAGAIN when the window stayed full for the send timeout, ETERM when closed,
     *                      EINTR when the thread is interrupted
     * @throws java.io.UncheckedIOException when the journal fails
     */
    public long send(byte[] payload) {
        long timeout = config.sendTimeout().isNegative() ? -1 : config.sendTimeout().toNanos();
        try {
            return window.append(payload, timeout); // the journal's durable listener wakes the loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZmqException(ZmqException.Errno.EINTR, what + ": interrupted while waiting for room in the window");
        }
    }

    /** {@link #send(byte[])} of a string's UTF-8. */
    public long send(String payload) {
        return send(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The sequence the next message gets (the number of messages this journal ever took). */
    public long nextSequence() {
        return journal.nextIndex();
    }

    /** The highest sequence the receiver acknowledged (-1 before the first, or until it answered after a restart). */
    public long acknowledged() {
        return window.acked();
    }

    /** Messages sent and not acknowledged yet. */
    public long unacknowledged() {
        return window.unacknowledged();
    }

    /** Waits until the receiver acknowledged {@code seq}. @return false on timeout */
    public boolean awaitAcknowledged(long seq, Duration timeout) throws InterruptedException {
        return window.awaitAcknowledged(seq, timeout.toNanos());
    }

    /** Waits until every message sent so far is acknowledged. @return false on timeout */
    public boolean flush(Duration timeout) throws InterruptedException {
        return awaitAcknowledged(window.published() - 1, timeout);
    }

    /** The sender's id. */
    public String id() {
        return config.id();
    }

    /** The journal's id: the stream's epoch for the receiver. */
    public long epoch() {
        return journal.journalId();
    }

    /** The journal (read-only use: sizes, indices). */
    public Journal journal() {
        return journal;
    }

    /** Stops the loop and closes the journal; unacknowledged messages stay journaled for the next open. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        ctx.removeMetricsSource(metrics);
        window.close();
        inbox.wake();
        loop.awaitEnd(5000); // by itself: an interrupt would close the journal's file channel under a read
        loop.stop();
        inbox.closeSender();
        journal.close();
    }

    @Override
    public String toString() {
        return what + " -> " + config.endpoint() + " [next " + nextSequence() + ", acknowledged " + acknowledged() + "]";
    }
}
