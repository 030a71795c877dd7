package org.zmq4j.io;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.PeerHost;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.pipe.Wakeable;
import org.zmq4j.security.ZapProtocol;
import org.zmq4j.security.ZapReply;
import org.zmq4j.security.ZapRequest;
import org.zmq4j.common.Endpoint;
import org.zmq4j.wire.ProtocolException;

/**
 * One ZAP exchange (rfc-27) for one handshake, from an engine's I/O thread to the handler bound at
 * {@link ZapProtocol#ENDPOINT} in the same context: the request goes out as a REQ would send it (empty
 * delimiter first), the reply comes back through an inproc pipe that wakes the I/O thread.
 */
final class ZapClient implements PeerHost, ZapGateway.Exchange {

    private final IoThread io;
    private final Consumer<ZapReply> onReply;
    private final Consumer<String> onFailure;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Wakeable wake = this::wake;
    private final List<byte[]> reply = new ArrayList<>();
    private org.zmq4j.inproc.InprocRegistry.Connection disconnect;
    private Peer peer;
    private boolean done;

    private ZapClient(IoThread io, Consumer<ZapReply> onReply, Consumer<String> onFailure) {
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
        ZapClient client = new ZapClient(io, onReply, onFailure);
        client.disconnect = ctx.inproc().connectIfBound(Endpoint.parse(ZapProtocol.ENDPOINT), client, ZapProtocol.clientOptions());
        if (client.disconnect == null) {
            return null;
        }
        Pipe out = client.peer.out();
        List<byte[]> frames = ZapProtocol.requestFrames(request, domain, address, routingId);
        for (int i = 0; i < frames.size(); i++) {
            out.write(frames.get(i), i < frames.size() - 1 ? Pipe.MORE : 0);
        }
        return client;
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
                    onReply.accept(ZapProtocol.parseReply(reply));
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

    /** Abandons the exchange (engine closed). */
    @Override
    public void close() {
        org.zmq4j.inproc.InprocRegistry.Connection d = disconnect;
        disconnect = null;
        done = true;
        if (d != null) {
            d.close();
        }
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
