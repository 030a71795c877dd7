package org.zmq4j.io;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.zmq4j.pipe.Peer;
import org.zmq4j.security.HandshakeFailure;
import org.zmq4j.wire.FrameEncoder;
import org.zmq4j.wire.Metadata;

/**
 * One connection of a STREAM socket: raw bytes, no greeting, no framing (libzmq's raw engine).
 * <p>
 * Inbound, every chunk a read returns becomes one frame in the peer's inbound pipe; outbound,
 * every frame in the peer's outbound pipe is written as it is, several per write when they fit.
 * An empty frame goes into the inbound pipe when the connection is attached and another when the
 * remote side closes or fails, as libzmq's STREAM_NOTIFY does (the socket drops them when the
 * application turned notifications off). The socket closes the connection by closing the peer:
 * what it queued before is written first, then the channel is closed. When the inbound pipe is at
 * its HWM the engine stops reading (TCP back-pressure) until the socket drains it.
 */
final class RawEngine extends ChannelEngine {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.engine");
    private static final byte[] NOTIFICATION = new byte[0];

    private boolean closed;

    /**
     * @param io       the channel and the thread this engine lives on
     * @param context  counters and the direct-write policy
     * @param listener who hears that the connection is ready (at once) and when it ends
     */
    RawEngine(EngineIo io, EngineContext context, ConnectionListener listener) {
        super(io, context, listener);
    }

    /** A raw connection has no handshake to fail; reported only for completeness. */
    @Override
    public HandshakeFailure failure() {
        return HandshakeFailure.NO_DETAIL;
    }

    /** Registers the channel and reports the connection ready at once: raw has no handshake. */
    @Override
    public void start() {
        try {
            io.register(this, false);
        } catch (IOException e) {
            close("cannot register channel: " + e.getMessage());
            return;
        }
        Metadata metadata = Metadata.empty().with("Peer-Address", ipAddress().getBytes(StandardCharsets.UTF_8));
        listener.engineReady(this, metadata);
    }

    /** Serves the peer's pipes: delivers the connect notification, then reads and writes. */
    @Override
    public void attach(Peer peer) {
        if (closed) {
            return;
        }
        inPipe = peer.in();
        outPipe = peer.out();
        inPipe.setWriterWake(inputWake);
        outPipe.setReaderWake(outputWake);
        notifySocket();
        io.readInterest(true);
        flush();
    }

    /** An empty frame tells the socket the connection started or ended (ignores the HWM, as libzmq). */
    private void notifySocket() {
        if (inPipe != null && !inPipe.isReaderClosed()) {
            inPipe.write(NOTIFICATION, 0);
        }
    }

    @Override
    boolean isClosed() {
        return closed;
    }

    @Override
    boolean canLinger() {
        return outPipe != null;
    }

    @Override
    void writeFailed(String reason) {
        peerGone(reason);
    }

    @Override
    void onFailure(Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.log(Level.WARNING, "raw engine for " + peerAddress + " failed", cause);
        }
        peerGone("I/O error: " + cause);
    }

    // ------------------------------------------------------------------ input

    @Override
    void onReadable() throws IOException {
        int bytes = 0;
        for (int i = 0; i < READS_PER_EVENT && bytes < READ_BYTES_PER_EVENT && !closed && !inputPaused; i++) {
            if (!inPipe.isReaderClosed() && !inPipe.hasRoom()) {
                pauseInput();
                break;
            }
            ByteBuffer in = readBuffer();
            int n = io.read(in);
            if (n > 0) {
                countIn(n);
            }
            if (n < 0) {
                inPipe.flush();
                peerGone("connection closed by peer");
                return;
            }
            if (n == 0) {
                break;
            }
            bytes += n;
            if (!inPipe.isReaderClosed()) {
                byte[] chunk = new byte[n];
                in.flip();
                in.get(chunk);
                inPipe.writeBatched(chunk, 0);
            }
        }
        inPipe.flush();
    }

    @Override
    void resumeInput() {
        if (closed || !inputPaused) {
            return;
        }
        if (!inPipe.isReaderClosed() && !inPipe.hasRoom()) {
            return; // still full; hasRoom() re-armed the wake-up
        }
        inputPaused = false;
        io.readInterest(true);
        try {
            onReadable();
        } catch (IOException e) {
            peerGone("read failed: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ output

    @Override
    void fillOut() {
        while (large == null && outPipe != null) {
            byte[] frame = pendingOut;
            pendingOut = null;
            if (frame == null) {
                frame = outPipe.read();
                if (frame == null) {
                    return;
                }
            }
            if (out.remaining() >= frame.length) {
                out.put(frame);
            } else if (frame.length >= FrameEncoder.LARGE) {
                large = ByteBuffer.wrap(frame);
            } else {
                pendingOut = frame;
                return;
            }
        }
    }

    // ------------------------------------------------------------------ close

    private void peerGone(String reason) {
        if (closed) {
            return;
        }
        notifySocket();
        close(reason);
    }

    @Override
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        releaseChannel();
        LOG.log(Level.DEBUG, () -> "raw connection " + peerAddress + " closed: " + reason);
        listener.engineClosed(this, reason, true);
    }
}
