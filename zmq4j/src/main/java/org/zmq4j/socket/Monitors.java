package org.zmq4j.socket;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.zmq4j.MonitorHandle;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.IoContext;
import org.zmq4j.io.MonitorSink;
import org.zmq4j.common.SocketOptions;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.PeerHost;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.pipe.Wakeable;
import org.zmq4j.common.Endpoint;
import org.zmq4j.inproc.InprocRegistry;

/**
 * A socket's monitors: typed listeners and libzmq-style inproc PAIR endpoints. Events come from
 * I/O threads and the socket's own thread; delivery is synchronous and never blocks (an inproc
 * monitor whose reader is absent or full drops events, as libzmq's does).
 */
final class Monitors implements MonitorSink {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.monitor");
    private final CopyOnWriteArrayList<Registration> registrations = new CopyOnWriteArrayList<>();
    private volatile int mask;
    /** Sees every event first, monitored or not (the Context's event log). */
    private final Consumer<SocketEvent> tap;

    /** @param tap sees every event first, whether or not anyone monitors; must not block or throw */
    Monitors(Consumer<SocketEvent> tap) {
        this.tap = tap;
    }

    private abstract static class Registration {
        final int events;

        Registration(int events) {
            this.events = events;
        }

        abstract void deliver(SocketEvent event);

        void stop() {
        }
    }

    @Override
    public void emit(SocketEvent.Type type, int value, String endpoint, String reason) {
        SocketEvent event = new SocketEvent(type, value, endpoint, reason);
        tap.accept(event);
        if ((mask & type.code()) == 0) {
            return;
        }
        for (Registration r : registrations) {
            if ((r.events & type.code()) != 0) {
                try {
                    r.deliver(event);
                } catch (Throwable t) {
                    // the application's listener runs on an I/O thread: what it throws must not
                    // cost the connection that reported the event, or the thread
                    listenerFailed(t);
                }
            }
        }
    }

    private static void listenerFailed(Throwable t) {
        try {
            LOG.log(System.Logger.Level.WARNING, "a socket monitor's listener threw; the event is dropped", t);
        } catch (Throwable ignored) {
            // no memory even to say so
        }
    }

    private void recomputeMask() {
        int m = 0;
        for (Registration r : registrations) {
            m |= r.events;
        }
        mask = m;
    }

    /** Adds a typed listener; closing the handle removes it (after a MONITOR_STOPPED event). */
    MonitorHandle add(Consumer<SocketEvent> listener, int events) {
        Registration r = new Registration(events) {
            @Override
            void deliver(SocketEvent event) {
                listener.accept(event);
            }
        };
        registrations.add(r);
        recomputeMask();
        return () -> remove(r);
    }

    private void remove(Registration r) {
        if (registrations.remove(r)) {
            if ((r.events & SocketEvent.Type.MONITOR_STOPPED.code()) != 0) {
                r.deliver(new SocketEvent(SocketEvent.Type.MONITOR_STOPPED, 0, "", "monitor stopped"));
            }
            r.stop();
            recomputeMask();
        }
    }

    /**
     * Starts (or, with a null endpoint, stops) the libzmq-style monitor: a PAIR bound at an inproc
     * endpoint. A new one replaces the previous one, as zmq_socket_monitor does.
     */
    void setInproc(IoContext ctx, String endpoint, int events) {
        for (Registration r : registrations) {
            if (r instanceof InprocMonitor) {
                remove(r);
            }
        }
        if (endpoint == null) {
            return;
        }
        Endpoint ep = Endpoint.parse(endpoint);
        if (!ep.transport().equals("inproc")) {
            throw new ZmqException(Errno.EPROTONOSUPPORT, "a monitor endpoint must be inproc://, got '" + endpoint + "'");
        }
        InprocMonitor m = new InprocMonitor(events);
        m.listener = ctx.inproc().bind(ep, m, new SocketOptions(SocketType.PAIR));
        registrations.add(m);
        recomputeMask();
    }

    /** Stops every monitor (socket close), each sending MONITOR_STOPPED if it asked for it. */
    void stopAll() {
        for (Registration r : registrations) {
            remove(r);
        }
    }

    /** The PAIR end of a libzmq-style monitor, written under a lock since events come from several threads. */
    private static final class InprocMonitor extends Registration implements PeerHost {
        private InprocRegistry.Binding listener;
        private Peer peer;

        InprocMonitor(int events) {
            super(events);
        }

        @Override
        synchronized void deliver(SocketEvent event) {
            if (peer == null || peer.out().isReaderClosed() || !peer.out().hasRoom()) {
                return;
            }
            peer.out().write(event.encodeFrame(), Pipe.MORE);
            peer.out().write(event.endpoint().getBytes(StandardCharsets.UTF_8), 0);
        }

        @Override
        void stop() {
            listener.close();
            Peer p;
            synchronized (this) {
                p = peer;
                peer = null;
            }
            if (p != null) {
                p.close();
            }
        }


        @Override
        public Wakeable wakeable() {
            return Wakeable.NONE;
        }

        @Override
        public synchronized void peerAttached(Peer p) {
            if (peer != null) {
                p.close();
                return;
            }
            peer = p;
        }

        @Override
        public synchronized void peerDetached(Peer p) {
            if (peer == p) {
                peer = null;
            }
        }

        @Override
        public void peerReconnected(Peer p) {
        }
    }
}
