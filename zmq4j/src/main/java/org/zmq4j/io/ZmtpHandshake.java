package org.zmq4j.io;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.zmq4j.common.SocketOptions;
import org.zmq4j.security.HandshakeFailure;
import org.zmq4j.security.Mechanism;
import org.zmq4j.security.ZapReply;
import org.zmq4j.security.ZapRequest;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.FrameEncoder;
import org.zmq4j.wire.Greeting;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * The handshake half of a ZMTP connection (rfc-23/37): our greeting, the peer's, the security
 * mechanism's commands both ways, the ZAP exchange a server's mechanism asks for, and the
 * HANDSHAKE_IVL deadline. It reports to its {@link Engine} through {@link Owner}; the engine owns
 * the channel and the frames. Engine thread only.
 */
final class ZmtpHandshake {
    /** What the handshake needs of its engine. */
    interface Owner {
        /** Queues a whole frame (our greeting, a command) to be written first. */
        void queueFrame(byte[] frame);

        /** Writes what is queued. */
        void flush();

        /** The handshake completed: messages may flow. */
        void handshakeDone(Metadata peerMetadata, boolean boxing);

        /** The mechanism failed: write what it queued (an ERROR), then close with {@code reason}. */
        void handshakeFailed(String reason);

        /** Drops the connection at once. */
        void close(String reason);

        /** The peer's IP address in libzmq's form. */
        String ipAddress();
    }

    private final EngineIo io;
    private final SocketOptions options;
    private final Mechanism mechanism;
    private final ZapGateway zapGateway;
    private final Owner owner;
    private final Greeting.Parser greetingParser = new Greeting.Parser();
    private Greeting peerGreeting;
    private Timer deadline;
    private ZapGateway.Exchange zap;
    private HandshakeFailure failure = HandshakeFailure.NO_DETAIL;
    private boolean done;
    private boolean ended;

    ZmtpHandshake(EngineIo io, SocketOptions options, Mechanism mechanism, ZapGateway zapGateway, Owner owner) {
        this.io = io;
        this.options = options;
        this.mechanism = mechanism;
        this.zapGateway = zapGateway;
        this.owner = owner;
    }

    /** Queues our greeting and starts the HANDSHAKE_IVL deadline. */
    void start() {
        owner.queueFrame(Greeting.encode(mechanism.name(), mechanism.asServer()));
        if (options.handshakeIvl > 0) {
            deadline = io.schedule(options.handshakeIvl, () -> owner.close("handshake did not complete within HANDSHAKE_IVL "
                    + options.handshakeIvl + " ms"));
        }
    }

    /**
     * Takes greeting bytes from {@code in}.
     *
     * @return true once the peer's greeting is complete; then call {@link #begin()}
     * @throws ProtocolException when it is not ZMTP 3.x, or names another mechanism
     */
    boolean feedGreeting(ByteBuffer in) throws ProtocolException {
        Greeting g = greetingParser.feed(in);
        if (g == null) {
            return false;
        }
        if (!g.mechanism().equals(mechanism.name())) {
            throw new ProtocolException(ProtocolError.MECHANISM_MISMATCH, "security mechanism mismatch: peer uses "
                    + g.mechanism() + ", we use " + mechanism.name());
        }
        peerGreeting = g;
        return true;
    }

    /** The greetings are exchanged: the mechanism's commands start. */
    void begin() throws ProtocolException {
        pump();
    }

    /**
     * A frame during the handshake: it must be a command, for the mechanism.
     *
     * @throws ProtocolException when it is not a command, or the mechanism rejects it
     */
    void onFrame(boolean command, byte[] body) throws ProtocolException {
        if (!command) {
            throw new ProtocolException(ProtocolError.MALFORMED, "message frame before the handshake completed");
        }
        mechanism.process(Command.parse(mechanism.repairHandshakeCommand(body)));
        pump();
    }

    /** The peer's greeting (null before it is complete). */
    Greeting peerGreeting() {
        return peerGreeting;
    }

    /** How the handshake failed, if it did. */
    HandshakeFailure failure() {
        return failure;
    }

    /** The peer broke the protocol: the failure to report. */
    void protocolError(ProtocolError error) {
        failure = HandshakeFailure.protocol(error);
    }

    /** The connection closed: no more deadline, ZAP abandoned. */
    void end() {
        ended = true;
        if (deadline != null) {
            deadline.cancel();
        }
        if (zap != null) {
            zap.close();
            zap = null;
        }
    }

    private void pump() throws ProtocolException {
        byte[] body;
        while ((body = mechanism.nextCommand()) != null) {
            owner.queueFrame(FrameEncoder.frame(body, false, true));
        }
        ZapRequest request = mechanism.takeZapRequest();
        if (request != null) {
            zap = zapGateway.request(request, options.zapDomain, owner.ipAddress(), options.routingId, this::onZapReply,
                    this::onZapFailure);
            if (zap == null) {
                mechanism.zapUnavailable();
                pump();
                return;
            }
        }
        switch (mechanism.status()) {
            case READY:
                if (!done) {
                    done = true;
                    if (deadline != null) {
                        deadline.cancel();
                    }
                    owner.handshakeDone(peerMetadata(), mechanism.boxesMessages());
                }
                break;
            case ERROR:
                failure = mechanism.failure();
                owner.handshakeFailed("handshake failed: " + mechanism.errorReason());
                break;
            default:
                break;
        }
    }

    /** The mechanism's view of the peer, with the ZAP handler's User-Id and the peer's address. */
    private Metadata peerMetadata() {
        Metadata peer = mechanism.peerMetadata();
        if (!mechanism.userId().isEmpty()) {
            peer = peer.with("User-Id", mechanism.userId().getBytes(StandardCharsets.UTF_8));
        }
        return peer.with("Peer-Address", owner.ipAddress().getBytes(StandardCharsets.UTF_8));
    }

    private void onZapReply(ZapReply reply) {
        zap = null;
        if (ended) {
            return;
        }
        try {
            mechanism.zapReply(reply);
            pump();
        } catch (ProtocolException e) {
            owner.close("protocol error after ZAP: " + e.getMessage());
            return;
        }
        owner.flush();
    }

    private void onZapFailure(String reason) {
        zap = null;
        failure = HandshakeFailure.protocol(ProtocolError.ZAP_MALFORMED_REPLY);
        owner.close("ZAP failed: " + reason);
    }
}
