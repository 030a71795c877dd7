package org.zmq4j.io;

import org.zmq4j.common.SocketOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.security.HandshakeFailure;
import org.zmq4j.security.Mechanism;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.FrameDecoder;
import org.zmq4j.wire.FrameEncoder;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * One ZMTP connection on an I/O thread: greeting, mechanism handshake, then frames both ways
 * between the channel and a {@link Peer}'s pipes.
 * <p>
 * Reads are large (the I/O thread's 256 KiB read buffer) and every complete frame in them is
 * decoded before the next read.
 * Writes drain as many queued frames as fit into one 64 KiB buffer, and large bodies are written
 * from the message itself with a gathering write (no copy). When the inbound pipe reaches its HWM
 * the engine stops reading (TCP back-pressure) until the socket drains it. The socket wakes the
 * engine only when the engine had nothing left to write.
 * <p>
 * Threads: everything runs on the I/O thread except a direct write ({@link ChannelEngine}), in
 * which a socket's thread holding the write flag fills the output from the outbound pipe and
 * writes it; with CURVE it seals those messages too ({@link #fillOutBoxed()}). Not thread-safe
 * otherwise.
 */
public final class Engine extends ChannelEngine {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.engine");
    /** Why a connection closed on an OutOfMemoryError or StackOverflowError (made in advance: no memory then). */
    private static final String OUT_OF_RESOURCES = "the connection failed: the JVM ran out of memory or stack";

    private enum Phase { GREETING, HANDSHAKE, ACTIVE, CLOSED }

    private final SocketOptions options;
    private final Mechanism mechanism;
    /** Command frames to write first; concurrent because a socket's direct write checks it. */
    private final ConcurrentLinkedQueue<byte[]> commands = new ConcurrentLinkedQueue<>();
    /**
     * Command bodies queued after the handshake of a mechanism that boxes (CURVE's PING, PONG,
     * SUBSCRIBE...), sealed only when they go into the output buffer (see {@link #fillOutBoxed()});
     * concurrent because the I/O thread queues while a socket's direct write may take them.
     */
    private final ConcurrentLinkedQueue<byte[]> commandsToBox = new ConcurrentLinkedQueue<>();
    private final ZmtpHandshake handshake;
    private final Heartbeat heartbeat;
    /** Whether this socket type sends each message to one peer (see {@link #directWriteAllowed()}). */
    private final boolean directWriteType;

    /**
     * Plain, though a socket's direct write reads it (with {@link #boxing}, {@link #closeAfterFlush}
     * and {@code lingering}): each change that matters to it is followed on the I/O thread by a
     * flush, whose release of the write flag the socket's thread acquires before reading. Closing
     * sets CLOSED and then takes and releases the write flag (waiting out a direct write) before it
     * destroys the mechanism, so a direct write that starts after a close sees CLOSED and never
     * seals with a wiped key.
     */
    private Phase phase = Phase.GREETING;
    /** Whether the heartbeat closed the connection (I/O thread). */
    private boolean heartbeatTimedOut;
    private FrameDecoder decoder;
    private byte[] pendingIn;
    private int pendingInFlags;
    private int pendingOutFlags;
    private String closeAfterFlush;
    private boolean boxing;
    /** Whether the {@link #large} body being written is a copying send's array (reusable once written). */
    private boolean largeRecyclable;

    /**
     * @param io        the channel and the thread this engine lives on
     * @param context   counters, direct-write policy, ZAP
     * @param options   the socket's options at connect/bind time
     * @param mechanism the security mechanism, fresh
     * @param listener  who hears about handshake completion and close
     */
    Engine(EngineIo io, EngineContext context, SocketOptions options, Mechanism mechanism, ConnectionListener listener) {
        super(io, context, listener);
        this.options = options;
        this.mechanism = mechanism;
        this.directWriteType = options.rules.directWrites();
        this.handshake = new ZmtpHandshake(io, options, mechanism, context.zap(), new HandshakeOwner());
        this.heartbeat = new Heartbeat(io, options, new Heartbeat.Link() {
            @Override
            public void queueCommand(byte[] body) {
                Engine.this.queueCommand(body);
            }

            @Override
            public void flush() {
                Engine.this.flush();
            }

            @Override
            public void close(String reason) {
                heartbeatTimedOut = true; // the heartbeat closes a connection only when it timed out
                Engine.this.close(reason);
            }
        });
    }

    @Override
    public boolean heartbeatTimedOut() {
        return heartbeatTimedOut;
    }

    @Override
    public boolean greeted() {
        return handshake.peerGreeting() != null;
    }

    /** How the handshake failed, if it did: the monitor event to report and its value. */
    @Override
    public HandshakeFailure failure() {
        return handshake.failure();
    }

    /** The engine's side of its handshake. */
    private final class HandshakeOwner implements ZmtpHandshake.Owner {
        @Override
        public void queueFrame(byte[] frame) {
            commands.add(frame);
        }

        @Override
        public void flush() {
            Engine.this.flush();
        }

        @Override
        public void handshakeDone(Metadata peerMetadata, boolean boxes) {
            phase = Phase.ACTIVE;
            boxing = boxes;
            heartbeat.start();
            listener.engineReady(Engine.this, peerMetadata);
        }

        @Override
        public void handshakeFailed(String reason) {
            closeAfterFlush = reason;
            inputPaused = true;
            io.readInterest(false);
        }

        @Override
        public void close(String reason) {
            Engine.this.close(reason);
        }

        @Override
        public String ipAddress() {
            return Engine.this.ipAddress();
        }
    }

    /** Starts the greeting (I/O thread). */
    @Override
    public void start() {
        try {
            io.register(this, true);
        } catch (IOException e) {
            close("cannot register channel: " + e.getMessage());
            return;
        }
        handshake.start();
        flush();
    }

    /**
     * Connects the engine to a peer's pipes after the handshake (I/O thread).
     *
     * @param peer the peer whose pipes to serve
     */
    @Override
    public void attach(Peer peer) {
        inPipe = peer.in();
        outPipe = peer.out();
        if (!boxing) {
            decoder.setAllocator(inPipe::takeRecycled); // bodies reuse arrays the socket copied out
        }
        inPipe.setWriterWake(inputWake);
        outPipe.setReaderWake(outputWake);
        if (options.rules.resetOnReconnect()) {
            // this connection's JOINs/subscriptions follow; what an earlier connection sent is gone
            inPipe.writeBatched(new byte[0], Pipe.RESET);
        }
        flush();
    }

    @Override
    boolean isClosed() {
        return phase == Phase.CLOSED;
    }

    @Override
    void writeFailed(String reason) {
        close(reason);
    }

    /** LINGER applies once messages flow; during the handshake there is nothing to deliver yet. */
    @Override
    boolean canLinger() {
        return phase == Phase.ACTIVE;
    }

    /**
     * A socket's thread may write to this connection itself once messages flow and nothing of the
     * engine's own (a command, a handshake error, LINGER) is pending; not for the sockets that send
     * each message to every peer (PUB, XPUB, RADIO), whose send must not write to many channels.
     * With CURVE that thread also seals what it writes: sealing happens in {@link #fillOut()},
     * under the write flag, whichever thread holds it (see {@link #fillOutBoxed()}).
     */
    @Override
    boolean directWriteAllowed() {
        return directWriteType && phase == Phase.ACTIVE && closeAfterFlush == null && !lingering
                && commands.isEmpty() && commandsToBox.isEmpty();
    }

    @Override
    boolean outputReady() {
        return phase == Phase.ACTIVE && outPipe != null;
    }

    /** A failed handshake closes once its ERROR command is written. */
    @Override
    boolean afterWritten() {
        if (closeAfterFlush != null) {
            close(closeAfterFlush);
            return true;
        }
        return false;
    }

    @Override
    void onFailure(Throwable cause) {
        if (cause instanceof VirtualMachineError) {
            // closed first, with a reason that needs no memory: what the connection holds is freed
            close(OUT_OF_RESOURCES);
            return;
        }
        close("I/O error: " + cause);
        if (!(cause instanceof IOException)) {
            LOG.log(Level.WARNING, "engine for " + peerAddress + " failed", cause);
        }
    }

    // ------------------------------------------------------------------ input

    @Override
    void onReadable() throws IOException {
        int bytes = 0;
        for (int i = 0; i < READS_PER_EVENT && bytes < READ_BYTES_PER_EVENT && !inputPaused && phase != Phase.CLOSED; i++) {
            ByteBuffer in = readBuffer();
            int n = io.read(in);
            if (n > 0) {
                countIn(n);
            }
            if (n < 0) {
                close("connection closed by peer");
                return;
            }
            if (n == 0) {
                break;
            }
            bytes += n;
            heartbeat.input();
            in.flip();
            processInput(in);
            carryRest(in);
        }
        flush();
    }

    /** Publishes the messages decoded so far to the socket in one go. */
    private void publishInput() {
        if (inPipe != null) {
            inPipe.flush();
        }
    }

    /** Decodes what is in {@code in} (read mode). Stops when paused or closed. */
    private void processInput(ByteBuffer in) {
        try {
            while (in.hasRemaining() && phase != Phase.CLOSED && !inputPaused) {
                if (phase == Phase.GREETING) {
                    if (handshake.feedGreeting(in)) {
                        decoder = new FrameDecoder(options.maxMsgSize);
                        phase = Phase.HANDSHAKE;
                        handshake.begin();
                    }
                    continue;
                }
                if (!decoder.decode(in)) {
                    break;
                }
                onFrame(decoder.flags(), decoder.body());
            }
            publishInput();
        } catch (ProtocolException e) {
            publishInput();
            handshake.protocolError(e.error());
            close("protocol error: " + e.getMessage());
        }
    }

    /**
     * Queues a command after the handshake (the I/O thread, or the write flag's holder in
     * {@link #fillOut()}); when the mechanism boxes, it is sealed in a MESSAGE only when it goes
     * into the output buffer, so that its short nonce takes its place in the output's order.
     */
    private void queueCommand(byte[] body) {
        if (boxing) {
            commandsToBox.add(body);
        } else {
            commands.add(FrameEncoder.frame(body, false, true));
        }
    }

    private void onFrame(int flags, byte[] body) throws ProtocolException {
        boolean command = (flags & FrameDecoder.FLAG_COMMAND) != 0;
        if (phase == Phase.HANDSHAKE) {
            handshake.onFrame(command, body);
            return;
        }
        if (boxing) {
            byte[] plain = mechanism.unboxMessage(body);
            if (mechanism.lastUnboxedCommand()) {
                onCommand(Command.parse(plain));
            } else {
                deliver(plain, mechanism.lastUnboxedMore() ? Pipe.MORE : 0);
            }
            return;
        }
        if (command) {
            onCommand(Command.parse(body));
            return;
        }
        // the decoder's arrays are ours: the copying receive API may hand them back for reuse
        deliver(body, (flags & FrameDecoder.FLAG_MORE) != 0 ? Pipe.MORE | Pipe.RECYCLABLE : Pipe.RECYCLABLE);
    }

    private void deliver(byte[] body, int flags) {
        if (inPipe == null || inPipe.isReaderClosed()) {
            return; // nobody reads: drop
        }
        if (!inPipe.hasRoom()) {
            pendingIn = body;
            pendingInFlags = flags;
            pauseInput();
            return;
        }
        inPipe.writeBatched(body, flags);
    }

    private void onCommand(Command c) throws ProtocolException {
        if (c.is(Command.PING)) {
            heartbeat.onPing(c.data());
        } else if (c.is(Command.SUBSCRIBE) || c.is(Command.CANCEL)) {
            if (options.rules.subscriptionCommands()) {
                boolean sub = c.is(Command.SUBSCRIBE);
                byte[] d = c.data();
                byte[] frame = new byte[d.length + 1];
                frame[0] = (byte) (sub ? 1 : 0);
                System.arraycopy(d, 0, frame, 1, d.length);
                if (inPipe != null && !inPipe.isReaderClosed()) {
                    inPipe.writeBatched(frame, sub ? Pipe.SUBSCRIBE : Pipe.CANCEL);
                }
            }
        } else if (c.is(Command.JOIN) || c.is(Command.LEAVE)) {
            if (options.rules.groupCommands()) {
                if (c.data().length > org.zmq4j.Message.MAX_GROUP_LENGTH) {
                    throw new ProtocolException(ProtocolError.MALFORMED, c.name() + " group longer than " + org.zmq4j.Message.MAX_GROUP_LENGTH + " bytes");
                }
                deliver(c.data(), c.is(Command.JOIN) ? Pipe.JOIN : Pipe.LEAVE);
            }
        } else if (c.is(Command.ERROR)) {
            close("peer sent ERROR");
        }
        // PONG and unknown commands: any traffic is a sign of life; nothing else to do
    }

    @Override
    void resumeInput() {
        if (phase == Phase.CLOSED || !inputPaused || closeAfterFlush != null) {
            return;
        }
        if (pendingIn != null) {
            if (!inPipe.isReaderClosed() && !inPipe.hasRoom()) {
                return; // still full; hasRoom() re-armed the wake-up
            }
            byte[] b = pendingIn;
            pendingIn = null;
            if (!inPipe.isReaderClosed()) {
                inPipe.write(b, pendingInFlags);
            }
        }
        inputPaused = false;
        ByteBuffer rest = carried();
        if (rest != null) {
            processInput(rest);
            carryRest(rest);
        }
        if (phase == Phase.CLOSED) {
            return;
        }
        if (!inputPaused) {
            io.readInterest(true);
            try {
                onReadable();
            } catch (IOException e) {
                close("read failed: " + e.getMessage());
            }
        } else {
            flush();
        }
    }

    // ------------------------------------------------------------------ output

    /** Moves queued commands and frames into {@code out} (fill mode) until it is full. */
    @Override
    void fillOut() {
        while (large == null) {
            byte[] cmd = commands.peek();
            if (cmd != null) {
                if (out.remaining() < cmd.length) {
                    return;
                }
                out.put(commands.poll());
                continue;
            }
            if (phase != Phase.ACTIVE || outPipe == null || closeAfterFlush != null) {
                return;
            }
            if (boxing) {
                fillOutBoxed();
                return;
            }
            byte[] frame;
            int flags;
            if (pendingOut != null) {
                frame = pendingOut;
                flags = pendingOutFlags;
                pendingOut = null;
            } else {
                frame = outPipe.read();
                if (frame == null) {
                    return;
                }
                flags = outPipe.lastFlags();
            }
            if (queuedAsCommand(frame, flags)) {
                continue;
            }
            switch (FrameEncoder.encode(out, frame, (flags & Pipe.MORE) != 0, false)) {
                case COPIED:
                    if ((flags & Pipe.RECYCLABLE) != 0) {
                        outPipe.recycleWritten(frame); // a copying send's array: the socket may reuse it
                    }
                    break;
                case HEADER_ONLY:
                    large = ByteBuffer.wrap(frame);
                    largeRecyclable = (flags & Pipe.RECYCLABLE) != 0;
                    break;
                default:
                    pendingOut = frame;
                    pendingOutFlags = flags;
                    return;
            }
        }
    }

    /**
     * A subscription (to a ZMTP 3.1 peer) or a JOIN/LEAVE read from the outbound pipe goes out as a
     * command: queued with {@link #queueCommand}, to be taken next by the caller's loop.
     *
     * @return true when {@code frame} was such a frame (and has been queued)
     */
    private boolean queuedAsCommand(byte[] frame, int flags) {
        if ((flags & (Pipe.SUBSCRIBE | Pipe.CANCEL)) != 0 && handshake.peerGreeting().atLeast31() && frame.length > 0) {
            byte[] topic = new byte[frame.length - 1];
            System.arraycopy(frame, 1, topic, 0, topic.length);
            queueCommand(Command.body((flags & Pipe.SUBSCRIBE) != 0 ? Command.SUBSCRIBE : Command.CANCEL, topic));
            return true;
        }
        if ((flags & (Pipe.JOIN | Pipe.LEAVE)) != 0) {
            queueCommand(Command.body((flags & Pipe.JOIN) != 0 ? Command.JOIN : Command.LEAVE, frame));
            return true;
        }
        return false;
    }

    /**
     * {@link #fillOut()} once messages travel boxed (CURVE): each command and message is sealed as
     * it goes into {@link #out}, by the write flag's holder (the I/O thread, or a socket's thread in
     * a direct write), so short nonces reach the wire in the order they were taken, whichever
     * thread sealed them. A sealed MESSAGE that does not fit waits in {@link #pendingOut} and goes
     * before anything sealed after it; commands go before messages sealed after them. libzmq sends
     * each MESSAGE in a frame with no flags (the real ones travel inside the box), and so do we.
     */
    private void fillOutBoxed() {
        while (large == null) {
            byte[] sealed = pendingOut;
            if (sealed != null) {
                pendingOut = null; // sealed already: it keeps its nonce
            } else {
                byte[] command = commandsToBox.poll();
                if (command != null) {
                    sealed = mechanism.boxMessage(command, false, true);
                } else {
                    byte[] frame = outPipe.read();
                    if (frame == null) {
                        return;
                    }
                    int flags = outPipe.lastFlags();
                    if (queuedAsCommand(frame, flags)) {
                        continue;
                    }
                    sealed = mechanism.boxMessage(frame, (flags & Pipe.MORE) != 0, false);
                }
            }
            switch (FrameEncoder.encode(out, sealed, false, false)) {
                case COPIED:
                    break;
                case HEADER_ONLY:
                    large = ByteBuffer.wrap(sealed);
                    largeRecyclable = false;
                    break;
                default:
                    pendingOut = sealed;
                    return;
            }
        }
    }

    @Override
    void largeWritten(ByteBuffer body) {
        if (largeRecyclable) {
            largeRecyclable = false;
            outPipe.recycleWritten(body.array());
        }
    }

    // ------------------------------------------------------------------ close

    /**
     * Closes the connection now (I/O thread). Idempotent.
     *
     * @param reason why, for logs and monitor events
     */
    @Override
    public void close(String reason) {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean handshaked = phase == Phase.ACTIVE;
        phase = Phase.CLOSED;
        handshake.end();
        heartbeat.stop();
        releaseChannel();
        mechanism.destroy();
        LOG.log(Level.DEBUG, () -> "connection " + peerAddress + " closed: " + reason);
        listener.engineClosed(this, reason, handshaked);
    }
}
