package org.zmq4j.inproc;

import org.zmq4j.common.Endpoint;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.common.SocketOptions;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.PeerHost;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.security.HandshakeIdentity;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

/**
 * inproc:// within one context: names bound by sockets, and connections waiting for a name to be
 * bound (connect before bind works, as in libzmq 4.x). A connection is two pipes joining the two
 * sockets directly: no engine, no encoding, no copy — the byte[] given to send is the byte[] the
 * other socket receives. Each pipe's HWM is the sender's SNDHWM plus the receiver's RCVHWM, as
 * libzmq counts inproc queues (0 on either side means unbounded).
 */
public final class InprocRegistry {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.transport");

    private static final class Side {
        final PeerHost host;
        final SocketOptions options;

        Side(PeerHost host, SocketOptions options) {
            this.host = host;
            this.options = options;
        }
    }

    /** A connect waiting for its name to be bound; its pipes already queue messages. */
    private static final class Pending {
        final Side connecter;
        final String endpoint;
        final Peer peer;
        final boolean attached;

        Pending(Side connecter, String endpoint, Peer peer, boolean attached) {
            this.connecter = connecter;
            this.endpoint = endpoint;
            this.peer = peer;
            this.attached = attached;
        }
    }

    private final Map<String, Side> bound = new HashMap<>();
    private final Map<String, List<Pending>> pending = new HashMap<>();

    /** A bound name; closing it unbinds the name (connections made to it stay). */
    public interface Binding {
        /** Unbinds the name. */
        void close();
    }

    /**
     * Binds a name.
     *
     * @return the binding (closing it unbinds the name)
     * @throws ZmqException EADDRINUSE when the name is bound already
     */
    public Binding bind(Endpoint ep, PeerHost host, SocketOptions options) {
        String name = nameOf(ep);
        List<Pending> waiting;
        Side binder = new Side(host, options);
        synchronized (this) {
            if (bound.containsKey(name)) {
                throw new ZmqException(Errno.EADDRINUSE, "'" + ep.text() + "' is already bound");
            }
            bound.put(name, binder);
            waiting = pending.remove(name);
        }
        if (waiting != null) {
            for (Pending p : waiting) {
                complete(p, binder);
            }
        }
        return () -> {
            synchronized (InprocRegistry.this) {
                bound.remove(name, binder);
            }
        };
    }

    /** A connect() to an inproc name: the connecting socket's peer, and how to end it. */
    public interface Connection {
        /** The connecting socket's peer (null while an unattached ROUTER waits for the bind). */
        Peer peer();

        /** Ends the connection, or withdraws the waiting connect. */
        void close();
    }

    /**
     * Connects to a name, now if it is bound, else when it is.
     *
     * @return the connection
     * @throws ZmqException EINVAL when the bound socket's type cannot talk to this one
     */
    public Connection connect(Endpoint ep, PeerHost host, SocketOptions options) {
        String name = nameOf(ep);
        Side connecter = new Side(host, options);
        Side binder;
        Pending waiting = null;
        synchronized (this) {
            binder = bound.get(name);
            if (binder == null) {
                boolean attachNow = options.rules.attachBeforeHandshake();
                // until the bind, only our own HWMs apply (libzmq: SNDHWM alone limits the queue)
                Peer peer = new Peer(new Pipe(options.rcvHwm, options.conflateIn()),
                        new Pipe(options.sndHwm, options.conflateOut()), ep.text());
                peer.in().setReaderWake(host.wakeable());
                peer.out().setWriterWake(host.wakeable());
                waiting = new Pending(connecter, ep.text(), peer, attachNow);
                pending.computeIfAbsent(name, k -> new ArrayList<>()).add(waiting);
            }
        }
        if (binder != null) {
            if (!options.type.isCompatible(binder.options.type)) {
                throw new ZmqException(Errno.EINVAL, "cannot connect a " + options.type + " socket to the "
                        + binder.options.type + " socket bound at '" + ep.text() + "'");
            }
            Peer mine = join(connecter, binder, ep.text(), null);
            return connection(mine, mine::close);
        }
        Pending w = waiting;
        if (w.attached) {
            host.peerAttached(w.peer);
        }
        return connection(w.attached ? w.peer : null, () -> {
            synchronized (this) {
                List<Pending> list = pending.get(name);
                if (list != null) {
                    list.remove(w);
                }
            }
            w.peer.close();
        });
    }

    private static Connection connection(Peer peer, Runnable close) {
        return new Connection() {
            @Override
            public Peer peer() {
                return peer;
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }

    /**
     * Connects only if the name is bound now (used for the ZAP handler, which must not be waited for).
     *
     * @return a handle that disconnects, or null when nothing is bound there
     */
    public Connection connectIfBound(Endpoint ep, PeerHost host, SocketOptions options) {
        synchronized (this) {
            if (!bound.containsKey(nameOf(ep))) {
                return null;
            }
        }
        return connect(ep, host, options);
    }

    private void complete(Pending p, Side binder) {
        if (!p.connecter.options.type.isCompatible(binder.options.type)) {
            LOG.log(Level.WARNING, "dropping inproc connect of a " + p.connecter.options.type + " socket to the "
                    + binder.options.type + " socket bound at '" + p.endpoint + "': incompatible types");
            if (p.attached) {
                p.connecter.host.peerDetached(p.peer);
            }
            return;
        }
        join(p.connecter, binder, p.endpoint, p);
    }

    /** Builds (or completes) the pipe pair and tells both sockets; returns the connecter's peer. */
    private static Peer join(Side a, Side b, String endpoint, Pending early) {
        Pipe ab;
        Pipe ba;
        Peer pa;
        if (early != null) {
            pa = early.peer;
            ab = pa.out();
            ba = pa.in();
            ab.setHwm(sum(a.options.sndHwm, b.options.rcvHwm));
            ba.setHwm(sum(b.options.sndHwm, a.options.rcvHwm));
        } else {
            ab = new Pipe(sum(a.options.sndHwm, b.options.rcvHwm), a.options.conflateOut() || b.options.conflateIn());
            ba = new Pipe(sum(b.options.sndHwm, a.options.rcvHwm), b.options.conflateOut() || a.options.conflateIn());
            ab.setWriterWake(a.host.wakeable());
            ba.setReaderWake(a.host.wakeable());
            pa = new Peer(ba, ab, endpoint);
        }
        ab.setReaderWake(b.host.wakeable());
        ba.setWriterWake(b.host.wakeable());
        Peer pb = new Peer(ab, ba, endpoint);
        pa.handshaked(metadataOf(b));
        pb.handshaked(metadataOf(a));
        pa.onClose(() -> b.host.peerDetached(pb));
        pb.onClose(() -> a.host.peerDetached(pa));
        if (early == null || !early.attached) {
            a.host.peerAttached(pa);
        }
        b.host.peerAttached(pb);
        return pa;
    }

    private static Metadata metadataOf(Side side) {
        try {
            return Metadata.parse(new HandshakeIdentity(side.options.type, side.options.routingId).encodeProperties(), 0);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    private static int sum(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        long s = (long) a + b;
        return s > Integer.MAX_VALUE ? 0 : (int) s;
    }

    private static String nameOf(Endpoint ep) {
        if (ep.address().isEmpty()) {
            throw new ZmqException(Errno.EINVAL, "empty inproc name in '" + ep.text() + "'");
        }
        return ep.address();
    }
}
