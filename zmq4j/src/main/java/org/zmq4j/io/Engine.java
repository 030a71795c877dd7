package org.zmq4j.io;

import org.zmq4j.common.SocketOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.security.HandshakeFailure;
import org.zmq4j.security.Mechanism;
import org.zmq4j.security.ZapReply;
import org.zmq4j.security.ZapRequest;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.FrameDecoder;
import org.zmq4j.wire.FrameEncoder;
import org.zmq4j.wire.Greeting;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * One ZMTP connection on an I/O thread: greeting, mechanism handshake, then frames both ways
 * between the channel and a {@link Peer}'s pipes.
 * <p>
 * Reads are large (64 KiB) and every complete frame in them is decoded before the next read.
 * Writes drain as many queued frames as fit into one 64 KiB buffer, and large bodies are written
 * from the message itself with a gathering write (no copy). When the inbound pipe reaches its HWM
 * the engine stops reading (TCP back-pressure) until the socket drains it. The socket wakes the
 * engine only when the engine had nothing left to write.
 */
public final class Engine extends ChannelEngine {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.engine");

    private enum Phase { GREETING, HANDSHAKE, ACTIVE, CLOSED }

    private final IoContext ctx;
    private final SocketOptions options;
    private final Mechanism mechanism;
    /** Command frames to write first; concurrent because a socket's direct write checks it. */
    private final ConcurrentLinkedQueue<byte[]> commands = new ConcurrentLinkedQueue<>();
    private final Greeting.Parser greetingParser = new Greeting.Parser();
    /** Whether this socket type sends each message to one peer (see {@link #directWriteAllowed()}). */
    private final boolean directWriteType;


    private HandshakeFailure failure = HandshakeFailure.NO_DETAIL;
    /**
     * Plain, though a socket's direct write reads it (with {@link #boxing}, {@link #closeAfterFlush}
     * and {@code lingering}): each change that matters to it is followed on the I/O thread by a
     * flush, whose release of the write flag the socket's thread acquires before reading. A stale
     * ACTIVE after a close only makes that write fail on the closed channel and hand over.
     */
    private Phase phase = Phase.GREETING;
    private Greeting peerGreeting;
    private FrameDecoder decoder;
    private byte[] pendingIn;
    private int pendingInFlags;
    private int pendingOutFlags;
    private String closeAfterFlush;
    private Timer handshakeTimer;
    private Timer heartbeatTimer;
    private Timer heartbeatTimeoutTimer;
    private Timer ttlTimer;
    private ZapClient zap;
    private boolean boxing;
    /** Whether the {@link #large} body being written is a copying send's array (reusable once written). */
    private boolean largeRecyclable;
    private Metadata peerMetadata = Metadata.empty();
    private long lastInputNanos;

    /**
     * @param io        the I/O thread this engine lives on
     * @param channel   a connected, non-blocking channel
     * @param options   the socket's options at connect/bind time
     * @param mechanism the security mechanism, fresh
     * @param listener  who hears about handshake completion and close
     */
    public Engine(IoContext ctx, IoThread io, SocketChannel channel, SocketOptions options, Mechanism mechanism,
                  ConnectionListener listener) {
        super(ctx, io, channel, listener);
        this.ctx = ctx;
        this.options = options;
        this.mechanism = mechanism;
        this.directWriteType = options.rules.directWrites();
    }





    /** How the handshake failed, if it did: the monitor event to report and its value. */
    @Override
    public HandshakeFailure failure() {
        return failure;
    }


    /** Starts the greeting (I/O thread). */
    @Override
    public void start() {
        try {
            key = io.register(channel, SelectionKey.OP_READ, this);
        } catch (IOException e) {
            close("cannot register channel: " + e.getMessage());
            return;
        }
        io.load().incrementAndGet();
        commands.add(Greeting.encode(mechanism.name(), mechanism.asServer()));
        if (options.handshakeIvl > 0) {
            handshakeTimer = io.schedule(options.handshakeIvl, () -> close("handshake did not complete within HANDSHAKE_IVL "
                    + options.handshakeIvl + " ms"));
        }
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
     * A socket's thread may write to this connection itself once messages flow in the clear and
     * nothing of the engine's own (a command, a handshake error, LINGER) is pending. Not for
     * CURVE (the box and its nonces belong to the I/O thread) and not for the sockets that send
     * each message to every peer (PUB, XPUB, RADIO), whose send must not write to many channels.
     */
    @Override
    boolean directWriteAllowed() {
        return directWriteType && phase == Phase.ACTIVE && !boxing && closeAfterFlush == null && !lingering
                && commands.isEmpty();
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
    public void onFailure(Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.log(Level.WARNING, "engine for " + peerAddress + " failed", cause);
        }
        close("I/O error: " + cause);
    }

    // ------------------------------------------------------------------ input

    @Override
    void onReadable() throws IOException {
        int bytes = 0;
        for (int i = 0; i < READS_PER_EVENT && bytes < READ_BYTES_PER_EVENT && !inputPaused && phase != Phase.CLOSED; i++) {
            int space = in.remaining();
            int n = channel.read(in);
            if (n < 0) {
                close("connection closed by peer");
                return;
            }
            if (n == 0) {
                break;
            }
            bytes += n;
            lastInputNanos = System.nanoTime();
            in.flip();
            processInput();
            in.compact();
            if (n == space && in.capacity() < BUSY_INPUT) {
                growInput();
            }
        }
        flush();
    }

    /** Read buffer of a connection whose reads fill the first one: 256 KiB. */
    static final int BUSY_INPUT = 4 * BUFFER;

    /**
     * A read filled the whole buffer: the connection is busy, so it gets a larger one (fewer,
     * larger reads; measured on tcp: 64 KiB messages 17.4k -> 19.5k msg/s, 1 KiB 0.9M -> 1.1M,
     * medians of several noisy runs). Idle and light connections keep 64 KiB, so thousands of them
     * stay cheap; the size is bounded, whatever a peer sends.
     * <p>
     * The larger buffer is direct: the JDK reads into a heap buffer through a temporary direct one
     * and then copies, so a heap buffer costs a copy of every byte received. With a direct buffer
     * the decoder copies each body straight out of it. Measured by thread CPU time on ipc, 64 KiB
     * messages: the I/O thread's user time per message fell from 8-10 us to 6-6.6 us.
     */
    private void growInput() {
        ByteBuffer bigger;
        try {
            bigger = ByteBuffer.allocateDirect(BUSY_INPUT);
        } catch (OutOfMemoryError e) {
            // MaxDirectMemorySize reached (thousands of busy connections): a heap buffer works too
            LOG.log(Level.DEBUG, () -> "connection " + peerAddress + ": no direct memory for its read buffer, using the heap");
            bigger = ByteBuffer.allocate(BUSY_INPUT);
        }
        in.flip();
        bigger.put(in);
        in = bigger;
    }

    /** Publishes the messages decoded so far to the socket in one go. */
    private void publishInput() {
        if (inPipe != null) {
            inPipe.flush();
        }
    }

    /** Decodes what is in {@code in} (read mode). Stops when paused or closed. */
    private void processInput() {
        try {
            while (in.hasRemaining() && phase != Phase.CLOSED && !inputPaused) {
                if (phase == Phase.GREETING) {
                    Greeting g = greetingParser.feed(in);
                    if (g != null) {
                        onGreeting(g);
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
            failure = HandshakeFailure.protocol(e.error());
            close("protocol error: " + e.getMessage());
        }
    }

    private void onGreeting(Greeting g) throws ProtocolException {
        if (!g.mechanism().equals(mechanism.name())) {
            throw new ProtocolException(ProtocolError.MECHANISM_MISMATCH, "security mechanism mismatch: peer uses " + g.mechanism() + ", we use " + mechanism.name());
        }
        peerGreeting = g;
        decoder = new FrameDecoder(options.maxMsgSize);
        phase = Phase.HANDSHAKE;
        pumpMechanism();
    }

    private void pumpMechanism() throws ProtocolException {
        byte[] body;
        while ((body = mechanism.nextCommand()) != null) {
            commands.add(commandFrame(body));
        }
        ZapRequest request = mechanism.takeZapRequest();
        if (request != null) {
            zap = ZapClient.request(ctx, io, request, options.zapDomain, ipAddress(), options.routingId, this::onZapReply,
                    this::onZapFailure);
            if (zap == null) {
                mechanism.zapUnavailable();
                pumpMechanism();
                return;
            }
        }
        switch (mechanism.status()) {
            case READY:
                if (phase == Phase.HANDSHAKE) {
                    onHandshakeDone();
                }
                break;
            case ERROR:
                failure = mechanism.failure();
                closeAfterFlush = "handshake failed: " + mechanism.errorReason();
                inputPaused = true;
                if (key != null && key.isValid()) {
                    key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
                }
                break;
            default:
                break;
        }
    }

    private void onZapReply(ZapReply reply) {
        zap = null;
        if (phase == Phase.CLOSED) {
            return;
        }
        try {
            mechanism.zapReply(reply);
            pumpMechanism();
        } catch (ProtocolException e) {
            close("protocol error after ZAP: " + e.getMessage());
            return;
        }
        flush();
    }

    private void onZapFailure(String reason) {
        zap = null;
        failure = HandshakeFailure.protocol(ProtocolError.ZAP_MALFORMED_REPLY);
        close("ZAP failed: " + reason);
    }

    /** Queues a command after the handshake: boxed in a MESSAGE when the mechanism boxes. */
    private void queueCommand(byte[] body) {
        commands.add(boxing ? FrameEncoder.message(mechanism.boxMessage(body, false, true), false) : commandFrame(body));
    }

    private static byte[] commandFrame(byte[] body) {
        return FrameEncoder.frame(body, false, true);
    }

    private void onHandshakeDone() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        phase = Phase.ACTIVE;
        boxing = mechanism.boxesMessages();
        Metadata peer = mechanism.peerMetadata();
        if (!mechanism.userId().isEmpty()) {
            peer = peer.with("User-Id", mechanism.userId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        peerMetadata = peer.with("Peer-Address", ipAddress().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (options.heartbeatIvl > 0) {
            heartbeatTimer = io.schedule(options.heartbeatIvl, this::sendPing);
        }
        listener.engineReady(this, peerMetadata);
    }

    /**
     * HEARTBEAT_IVL elapsed: send a PING carrying our HEARTBEAT_TTL, and drop the connection if
     * nothing at all arrives within HEARTBEAT_TIMEOUT (any traffic is a sign of life, rfc-37).
     */
    private void sendPing() {
        if (phase != Phase.ACTIVE) {
            return;
        }
        int ttl = options.heartbeatTtl / 100;
        queueCommand(Command.body(Command.PING, new byte[] {(byte) (ttl >>> 8), (byte) ttl}));
        flush();
        long sentAt = System.nanoTime();
        int timeout = options.heartbeatTimeout >= 0 ? options.heartbeatTimeout : options.heartbeatIvl;
        if (heartbeatTimeoutTimer == null && timeout > 0) {
            heartbeatTimeoutTimer = io.schedule(timeout, () -> {
                heartbeatTimeoutTimer = null;
                if (lastInputNanos - sentAt < 0) {
                    close("no traffic within HEARTBEAT_TIMEOUT (" + timeout + " ms) after a PING");
                }
            });
        }
        heartbeatTimer = io.schedule(options.heartbeatIvl, this::sendPing);
    }

    /** The peer's PING carried a TTL: drop the connection if nothing arrives within it. */
    private void armPeerTtl(int deciseconds) {
        if (deciseconds <= 0 || ttlTimer != null) {
            return;
        }
        long seen = lastInputNanos;
        ttlTimer = io.schedule(deciseconds * 100L, () -> {
            ttlTimer = null;
            if (lastInputNanos == seen) {
                close("no traffic within the peer's heartbeat TTL (" + deciseconds * 100 + " ms)");
            }
        });
    }

    private void onFrame(int flags, byte[] body) throws ProtocolException {
        boolean command = (flags & FrameDecoder.FLAG_COMMAND) != 0;
        if (phase == Phase.HANDSHAKE) {
            if (!command) {
                throw new ProtocolException(ProtocolError.MALFORMED, "message frame before the handshake completed");
            }
            mechanism.process(Command.parse(mechanism.repairHandshakeCommand(body)));
            pumpMechanism();
            return;
        }
        if (boxing) {
            byte[] plain = mechanism.unboxMessage(Command.parse(body));
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
            byte[] d = c.data();
            if (d.length < 2) {
                throw new ProtocolException(ProtocolError.MALFORMED, "PING shorter than its TTL field");
            }
            int ctx = Math.min(16, d.length - 2);
            byte[] context = new byte[ctx];
            System.arraycopy(d, 2, context, 0, ctx);
            queueCommand(Command.body(Command.PONG, context));
            armPeerTtl(((d[0] & 0xFF) << 8) | (d[1] & 0xFF));
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
        in.flip();
        processInput();
        in.compact();
        if (phase == Phase.CLOSED) {
            return;
        }
        if (!inputPaused && key.isValid()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
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
            if ((flags & (Pipe.SUBSCRIBE | Pipe.CANCEL)) != 0 && peerGreeting.atLeast31() && frame.length > 0) {
                byte[] topic = new byte[frame.length - 1];
                System.arraycopy(frame, 1, topic, 0, topic.length);
                queueCommand(Command.body((flags & Pipe.SUBSCRIBE) != 0 ? Command.SUBSCRIBE : Command.CANCEL, topic));
                continue;
            }
            if ((flags & (Pipe.JOIN | Pipe.LEAVE)) != 0) {
                queueCommand(Command.body((flags & Pipe.JOIN) != 0 ? Command.JOIN : Command.LEAVE, frame));
                continue;
            }
            if (boxing) {
                // CURVE: the real flags travel inside the box; the outer frame carries none, as libzmq sends it
                frame = mechanism.boxMessage(frame, (flags & Pipe.MORE) != 0, false);
                flags = 0;
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
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        for (Timer t : new Timer[] {heartbeatTimer, heartbeatTimeoutTimer, ttlTimer}) {
            if (t != null) {
                t.cancel();
            }
        }
        releaseChannel();
        if (zap != null) {
            zap.close();
            zap = null;
        }
        mechanism.destroy();
        LOG.log(Level.DEBUG, () -> "connection " + peerAddress + " closed: " + reason);
        listener.engineClosed(this, reason, handshaked);
    }
}
