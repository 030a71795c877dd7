package org.zmq4j.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.zmq4j.SocketType;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.pipe.Wakeable;
import org.zmq4j.security.ZapReply;
import org.zmq4j.security.ZapRequest;
import org.zmq4j.transport.Endpoint;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

/**
 * One ZAP exchange (rfc-27) for one handshake, from an engine's I/O thread to the handler bound at
 * {@value #ENDPOINT} in the same context: the request goes out as a REQ would send it (empty
 * delimiter first), the reply comes back through an inproc pipe that wakes the I/O thread.
 */
final class ZapClient implements SessionHost {
    /** Where ZAP handlers bind (rfc-27). */
    static final String ENDPOINT = "inproc://zeromq.zap.01";
    private static final byte[] EMPTY = new byte[0];

    private final IoContext ctx;
    private final IoThread io;
    private final Consumer<ZapReply> onReply;
    private final Consumer<String> onFailure;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Wakeable wake = this::wake;
    private final List<byte[]> reply = new ArrayList<>();
    private org.zmq4j.transport.InprocRegistry.Connection disconnect;
    private Peer peer;
    private boolean done;

    private ZapClient(IoContext ctx, IoThread io, Consumer<ZapReply> onReply, Consumer<String> onFailure) {
        this.ctx = ctx;
        this.io = io;
        this.onReply = onReply;
        this.onFailure = onFailure;
    }

    /**
     * Sends a ZAP request, if a handler is bound (I/O thread).
     *
     * @return the client (its callbacks run later on {@code io}), or null when no handler is bound
     */
    static ZapClient request(IoContext ctx, IoThread io, ZapRequest request, String domain, String address, byte[] routingId,
                             Consumer<ZapReply> onReply, Consumer<String> onFailure) {
        ZapClient client = new ZapClient(ctx, io, onReply, onFailure);
        SocketOptions options = new SocketOptions(SocketType.REQ);
        options.sndHwm = 0;
        options.rcvHwm = 0;
        client.disconnect = ctx.inproc().connectIfBound(Endpoint.parse(ENDPOINT), client, options);
        if (client.disconnect == null) {
            return null;
        }
        Pipe out = client.peer.out();
        List<byte[]> frames = new ArrayList<>();
        frames.add(EMPTY);
        frames.add(ascii("1.0"));
        frames.add(ascii("1"));
        frames.add(ascii(domain == null ? "" : domain));
        frames.add(ascii(address));
        frames.add(routingId == null ? EMPTY : routingId);
        frames.add(ascii(request.mechanism()));
        frames.addAll(request.credentials());
        for (int i = 0; i < frames.size(); i++) {
            out.write(frames.get(i), i < frames.size() - 1 ? Pipe.MORE : 0);
        }
        return client;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void wake() {
        if (scheduled.compareAndSet(false, true)) {
            io.execute(this::poll);
        }
    }

    /** Reads the reply when it is complete (I/O thread). */
    private void poll() {
        scheduled.set(false);
        if (done || peer == null) {
            return;
        }
        Pipe in = peer.in();
        byte[] frame;
        while ((frame = in.read()) != null) {
            reply.add(frame);
            if ((in.lastFlags() & Pipe.MORE) == 0) {
                done = true;
                close();
                try {
                    onReply.accept(parse(reply));
                } catch (ProtocolException e) {
                    onFailure.accept(e.getMessage());
                }
                return;
            }
        }
        if (in.isDrainedAndClosed()) {
            done = true;
            close();
            onFailure.accept("the ZAP handler went away before replying");
        }
    }

    /** Parses [delimiter, version, request id, status code, status text, user id, metadata]. */
    static ZapReply parse(List<byte[]> frames) throws ProtocolException {
        if (frames.size() != 7 || frames.get(0).length != 0) {
            throw new ProtocolException("malformed ZAP reply: expected 7 frames after REP's envelope, got " + frames.size());
        }
        String version = new String(frames.get(1), StandardCharsets.UTF_8);
        if (!version.equals("1.0")) {
            throw new ProtocolException("ZAP reply has version '" + version + "', expected 1.0");
        }
        if (!new String(frames.get(2), StandardCharsets.UTF_8).equals("1")) {
            throw new ProtocolException("ZAP reply carries the wrong request id");
        }
        String status = new String(frames.get(3), StandardCharsets.UTF_8);
        if (!status.equals("200") && !status.equals("300") && !status.equals("400") && !status.equals("500")) {
            throw new ProtocolException("ZAP reply has invalid status code '" + status + "'");
        }
        Metadata metadata = Metadata.parse(frames.get(6), 0);
        return new ZapReply(status, new String(frames.get(4), StandardCharsets.UTF_8),
                new String(frames.get(5), StandardCharsets.UTF_8), metadata);
    }

    /** Abandons the exchange (engine closed). */
    void close() {
        org.zmq4j.transport.InprocRegistry.Connection d = disconnect;
        disconnect = null;
        done = true;
        if (d != null) {
            d.close();
        }
    }

    @Override
    public IoContext context() {
        return ctx;
    }

    @Override
    public Wakeable wakeable() {
        return wake;
    }

    @Override
    public void peerAttached(Peer p) {
        peer = p;
    }

    @Override
    public void peerDetached(Peer p) {
        wake();
    }

    @Override
    public void peerReconnected(Peer p) {
    }
}
