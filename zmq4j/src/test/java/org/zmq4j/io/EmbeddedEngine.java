package org.zmq4j.io;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.zmq4j.SocketType;
import org.zmq4j.common.SocketOptions;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.security.Mechanisms;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.FrameDecoder;
import org.zmq4j.wire.FrameEncoder;
import org.zmq4j.wire.Greeting;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

/**
 * A ZMTP {@link Engine} on an {@link EmbeddedIo}, with the test playing the peer: it feeds the
 * peer's greeting, commands and frames as bytes, and decodes what the engine wrote. The engine's
 * listener is recorded here; once the handshake completes the engine is attached to a peer whose
 * pipes the test reads and writes as the socket would.
 */
final class EmbeddedEngine implements ConnectionListener {
    /** One frame the engine wrote. */
    record Frame(int flags, byte[] body) {
        boolean isCommand() {
            return (flags & FrameDecoder.FLAG_COMMAND) != 0;
        }

        Command command() throws ProtocolException {
            return Command.parse(body);
        }
    }

    final EmbeddedIo io = new EmbeddedIo();
    final SocketOptions options;
    final Engine engine;
    final IoStatistics statistics = new IoStatistics();
    /** The peer's pipes, once the handshake completed. */
    Peer peer;
    Metadata peerMetadata;
    String closeReason;
    boolean closedAfterHandshake;
    private final Greeting.Parser greetingParser = new Greeting.Parser();
    private Greeting engineGreeting;
    private final FrameDecoder decoder = new FrameDecoder(-1);
    private final List<Frame> frames = new ArrayList<>();
    private byte[] leftover = new byte[0];

    /** An engine for a socket of {@code type} with default options (NULL mechanism). */
    EmbeddedEngine(SocketType type) {
        this(new SocketOptions(type));
    }

    /** An engine for a socket with these options (type, rules, heartbeats...). */
    EmbeddedEngine(SocketOptions options) {
        this.options = options;
        this.engine = new Engine(io, new EngineContext(statistics, -1, ZapGateway.NONE), options, Mechanisms.create(options), this);
        engine.start();
    }

    // ------------------------------------------------------------------ ConnectionListener

    @Override
    public void engineReady(Connection connection, Metadata metadata) {
        peerMetadata = metadata;
        peer = new Peer(new Pipe(1000, false), new Pipe(1000, false), "embedded");
        connection.attach(peer);
    }

    @Override
    public void engineClosed(Connection connection, String reason, boolean handshaked) {
        closeReason = reason;
        closedAfterHandshake = handshaked;
    }

    // ------------------------------------------------------------------ the peer's side

    /** A ZMTP greeting of version major.minor for the NULL mechanism. */
    static byte[] greeting(int major, int minor) {
        byte[] g = Greeting.encode("NULL", false);
        g[10] = (byte) major;
        g[11] = (byte) minor;
        return g;
    }

    /** A READY command frame announcing {@code socketType}. */
    static byte[] ready(SocketType socketType) {
        return FrameEncoder.command(Command.READY, new Metadata.Builder().add(Metadata.SOCKET_TYPE, socketType.name()).build());
    }

    /** The peer greets (ZMTP 3.{@code minor}) and sends READY as a {@code peerType}; the handshake completes. */
    EmbeddedEngine handshake(int minor, SocketType peerType) {
        io.feed(greeting(3, minor));
        io.feed(ready(peerType));
        assertNotNull(peer, () -> "the handshake did not complete; closed: " + closeReason);
        return this;
    }

    // ------------------------------------------------------------------ what the engine wrote

    /** The engine's greeting (after reading it, the frames follow). */
    Greeting engineGreeting() throws ProtocolException {
        readWritten();
        assertNotNull(engineGreeting, "the engine sent no complete greeting");
        return engineGreeting;
    }

    /** Frames the engine wrote since the last call (its greeting is skipped). */
    List<Frame> writtenFrames() throws ProtocolException {
        readWritten();
        List<Frame> out = new ArrayList<>(frames);
        frames.clear();
        return out;
    }

    /** The commands among {@link #writtenFrames()}. */
    List<Command> writtenCommands() throws ProtocolException {
        List<Command> out = new ArrayList<>();
        for (Frame f : writtenFrames()) {
            if (f.isCommand()) {
                out.add(f.command());
            }
        }
        return out;
    }

    private void readWritten() throws ProtocolException {
        byte[] fresh = io.takeWritten();
        ByteBuffer b = ByteBuffer.allocate(leftover.length + fresh.length).put(leftover).put(fresh).flip();
        if (engineGreeting == null) {
            engineGreeting = greetingParser.feed(b);
        }
        while (engineGreeting != null && b.hasRemaining() && decoder.decode(b)) {
            frames.add(new Frame(decoder.flags(), decoder.body()));
        }
        leftover = new byte[b.remaining()]; // part of a frame: the rest comes with the next write
        b.get(leftover);
    }

    /** Asserts the connection was closed, and returns why. */
    String assertClosed() {
        assertTrue(io.isClosed(), "the channel must be closed");
        assertNotNull(closeReason, "the listener must hear of the close");
        return closeReason;
    }
}
