package org.zmq4j.io;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicLong;

import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * One udp endpoint of a RADIO (sending) or a DISH (receiving) on an I/O thread, as libzmq's
 * {@code udp_engine_t}: no handshake, no heartbeats, one datagram per message laid out as
 * {@code [group length][group][body]}, at most {@value #MAX_DATAGRAM} bytes.
 * <p>
 * Sending: drains the peer's outbound pipe (group frame, then body frame), one datagram per
 * message; a message that does not fit in a datagram is dropped, as libzmq does. When the kernel
 * buffer is full the datagram is kept and the engine waits for OP_WRITE. When it runs out of
 * messages it goes idle and the socket's next write wakes it (one task per idle period).
 * <p>
 * Receiving: each datagram becomes a group frame and a body frame in the peer's inbound pipe;
 * datagrams that are empty, shorter than their group length says, or longer than
 * {@value #MAX_DATAGRAM} bytes (which libzmq would truncate) are dropped and counted. When the
 * pipe is at RCVHWM the engine stops reading, as libzmq does, and resumes when the socket reads:
 * the kernel's receive buffer absorbs what it can and drops the rest. Nothing a datagram contains
 * can throw out of the I/O thread.
 * <p>
 * The engine is the handle the socket keeps for the endpoint: closing it detaches the peer,
 * delivers what is queued for up to LINGER (sending side), and closes the channel.
 */
public final class UdpEngine extends DatagramEngine {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.udp");

    /** The largest datagram sent or accepted (libzmq's MAX_UDP_MSG). */
    static final int MAX_DATAGRAM = 8192;
    /** Datagrams handled per readiness event or flush before letting other handlers run. */
    private static final int BATCH = 256;

    /** Where a sending engine sends; null for a receiving one. */
    private final SocketAddress destination;
    /** One byte more than the limit, so an oversized datagram is seen (the kernel truncates silently). */
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM + 1);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();

    /** A datagram in {@link #buffer} the kernel did not take yet (sending side). */
    private boolean pending;

    /**
     * @param host        the socket
     * @param channel     an open, bound (receiving) or unbound (sending), non-blocking channel
     * @param peer        the peer to serve, attached to the socket by the caller
     * @param destination where to send, or null for a receiving engine
     * @param endpoint    the endpoint as given to bind/connect
     * @param resolved    the endpoint as LAST_ENDPOINT reports it
     * @param bound       whether this is a bind (monitor CLOSED on close)
     */
    public UdpEngine(SessionHost host, DatagramChannel channel, Peer peer, SocketAddress destination, String endpoint, String resolved,
              boolean bound) {
        super(host, channel, peer, endpoint, resolved, bound, LOG);
        this.destination = destination;
    }

    @Override
    protected boolean sending() {
        return destination != null;
    }

    @Override
    protected int initialInterest() {
        return sending() ? 0 : SelectionKey.OP_READ;
    }

    @Override
    protected void registered() {
        // nothing more: sending starts with the first flush
    }

    @Override
    protected boolean hasQueued() {
        return pending || peer.out().hasMessage();
    }

    @Override
    protected String figures() {
        return " (dropped " + dropped.get() + " datagrams)";
    }

    // ------------------------------------------------------------------ sending

    /** Sends what is queued until the kernel is full or the pipe is empty, then goes idle (I/O thread). */
    @Override
    protected void flush() {
        if (closed() || !sending() || writeBlocked || key == null) {
            return;
        }
        Pipe out = peer.out();
        for (int sent = 0; sent < BATCH; sent++) {
            if (!pending && !nextDatagram(out)) {
                if (!goIdle()) {
                    return;
                }
                continue;
            }
            try {
                if (channel.send(buffer, destination) == 0) {
                    awaitWritable(); // kept in the buffer; sent again on OP_WRITE
                    return;
                }
            } catch (IOException e) {
                // e.g. no route to a multicast group: this message is lost, the endpoint stays
                if (sendErrors.getAndIncrement() == 0) {
                    LOG.log(Level.WARNING, "udp send to " + destination + " failed (further failures logged at DEBUG): " + e);
                } else {
                    LOG.log(Level.DEBUG, () -> "udp send to " + destination + " failed: " + e);
                }
                dropped.incrementAndGet();
                if (!channel.isOpen()) {
                    finish("channel closed: " + e.getMessage());
                    return;
                }
            }
            pending = false;
        }
        flushLater(); // more may be queued: continue after the other handlers had a turn
    }

    /**
     * Reads the next message from the pipe into {@link #buffer}, dropping those too large for a
     * datagram.
     *
     * @return false when the pipe is empty
     */
    private boolean nextDatagram(Pipe out) {
        while (true) {
            byte[] group = out.read();
            if (group == null) {
                return false;
            }
            if ((out.lastFlags() & Pipe.MORE) == 0) {
                continue; // not a [group, body] pair: nothing RADIO writes; ignore
            }
            byte[] body = out.read();
            while (body != null && (out.lastFlags() & Pipe.MORE) != 0) {
                body = out.read(); // more than two frames: keep the last, drop the message below
                group = null;
            }
            if (body == null || group == null || group.length > 255 || 1 + group.length + body.length > MAX_DATAGRAM) {
                dropped.incrementAndGet(); // libzmq drops a message that does not fit (MAX_UDP_MSG)
                continue;
            }
            buffer.clear();
            buffer.put((byte) group.length).put(group).put(body);
            buffer.flip();
            pending = true;
            return true;
        }
    }

    // ------------------------------------------------------------------ receiving

    /** Reads datagrams into the inbound pipe until none is waiting or the pipe is full (I/O thread). */
    @Override
    protected void receive() {
        Pipe in = peer.in();
        try {
            for (int i = 0; i < BATCH && !closed(); i++) {
                boolean discard = in.isReaderClosed();
                if (!discard && !in.hasRoom()) {
                    pauseInput();
                    break;
                }
                buffer.clear();
                SocketAddress from;
                try {
                    from = channel.receive(buffer);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, () -> "udp receive on " + resolvedEndpoint() + " failed: " + e);
                    if (!channel.isOpen()) {
                        finish("channel closed: " + e.getMessage());
                    }
                    break;
                }
                if (from == null) {
                    break;
                }
                if (discard) {
                    continue;
                }
                int n = buffer.position();
                int groupLength = n == 0 ? 0 : buffer.get(0) & 0xFF;
                if (n == 0 || n > MAX_DATAGRAM || n - 1 < groupLength) {
                    dropped.incrementAndGet(); // empty, oversized or truncated: not a message
                    continue;
                }
                buffer.flip();
                buffer.get();
                byte[] group = new byte[groupLength];
                buffer.get(group);
                byte[] body = new byte[n - 1 - groupLength];
                buffer.get(body);
                in.writeBatched(group, Pipe.MORE);
                in.writeBatched(body, 0);
            }
        } finally {
            in.flush();
        }
    }

    /** Datagrams or messages dropped so far (malformed, oversized, send failures). */
    long dropped() {
        return dropped.get();
    }

    @Override
    public String toString() {
        return "UdpEngine[" + resolvedEndpoint() + (sending() ? " -> " + destination : "") + "]";
    }
}
