package org.zmq4j.socket;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.zmq4j.SocketEvent;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.common.Endpoint;
import org.zmq4j.common.SocketOptions;
import org.zmq4j.io.SessionHost;
import org.zmq4j.security.Mechanisms;
import org.zmq4j.transport.EndpointHandle;
import org.zmq4j.transport.Transports;

/**
 * A socket's endpoints: one map from each endpoint given to bind or connect to the handles that
 * serve it, fed by {@link Transports} (which alone knows transport names), emptied by unbind,
 * disconnect and close. The socket's thread binds and connects; a closing context may release
 * everything from another thread, so the map is guarded by this object's monitor (its only lock).
 */
final class Endpoints {
    private final SessionHost host;
    private final SocketOptions options;
    private final Monitors monitors;
    private final Map<String, List<EndpointHandle>> handles = new LinkedHashMap<>();
    private boolean released;
    /** Whether any endpoint was served by I/O threads (socket thread only). */
    private boolean usesIoThreads;
    private volatile String lastEndpoint = "";

    /**
     * @param host     the socket
     * @param options  its options, copied for each endpoint
     * @param monitors where LISTENING and BIND_FAILED go
     */
    Endpoints(SessionHost host, SocketOptions options, Monitors monitors) {
        this.host = host;
        this.options = options;
        this.monitors = monitors;
    }

    /**
     * Binds {@code endpoint} (socket thread).
     *
     * @throws ZmqException as {@link Transports#bind}, ETERM when the context closed meanwhile
     */
    void bind(String endpoint) {
        Endpoint ep = Endpoint.parse(endpoint);
        Mechanisms.validate(options, endpoint);
        EndpointHandle handle;
        try {
            handle = Transports.bind(ep, host, options.copy());
        } catch (ZmqException e) {
            monitors.emit(SocketEvent.Type.BIND_FAILED, e.errno().number(), endpoint, e.getMessage());
            throw e;
        }
        record(endpoint, handle);
        lastEndpoint = handle.resolvedEndpoint();
        monitors.emit(SocketEvent.Type.LISTENING, handle.number(), lastEndpoint, "listening");
    }

    /**
     * Connects {@code endpoint} (socket thread); the peers it makes are posted to the socket.
     *
     * @return the handle, started
     * @throws ZmqException as {@link Transports#connect}, ETERM when the context closed meanwhile
     */
    EndpointHandle connect(String endpoint) {
        Endpoint ep = Endpoint.parse(endpoint);
        Mechanisms.validate(options, endpoint);
        EndpointHandle handle = Transports.connect(ep, host, options.copy());
        record(endpoint, handle);
        lastEndpoint = endpoint; // as libzmq: a connect's endpoint as given
        handle.start();
        return handle;
    }

    /** The endpoints now: a bind's as resolved, a connect's as given (any thread). */
    synchronized List<String> names() {
        List<String> out = new ArrayList<>();
        for (List<EndpointHandle> list : handles.values()) {
            for (EndpointHandle h : list) {
                out.add(h.isBind() ? h.resolvedEndpoint() : h.endpoint());
            }
        }
        return List.copyOf(out);
    }

    private void record(String endpoint, EndpointHandle handle) {
        synchronized (this) {
            if (!released) {
                handles.computeIfAbsent(endpoint, k -> new ArrayList<>()).add(handle);
                usesIoThreads |= handle.usesIoThreads();
                return;
            }
        }
        handle.close(0);
        throw new ZmqException(Errno.ETERM, "context closed while " + (handle.isBind() ? "binding" : "connecting to")
                + " '" + endpoint + "'");
    }

    /**
     * Stops accepting on a bound endpoint, given as bound or as resolved; closes it with LINGER.
     *
     * @throws ZmqException ENOENT when the socket is not bound there
     */
    void unbind(String endpoint) {
        EndpointHandle found = null;
        synchronized (this) {
            outer:
            for (List<EndpointHandle> list : handles.values()) {
                for (Iterator<EndpointHandle> it = list.iterator(); it.hasNext(); ) {
                    EndpointHandle h = it.next();
                    if (h.isBind() && (h.resolvedEndpoint().equals(endpoint) || h.endpoint().equals(endpoint))) {
                        it.remove();
                        found = h;
                        break outer;
                    }
                }
            }
            handles.values().removeIf(List::isEmpty);
        }
        if (found == null) {
            throw new ZmqException(Errno.ENOENT, "socket is not bound to '" + endpoint + "'");
        }
        found.close(options.linger);
    }

    /**
     * Removes what connect() made for {@code endpoint}; the caller detaches its peers and closes it.
     *
     * @return the handles
     * @throws ZmqException ENOENT when the socket is not connected there
     */
    List<EndpointHandle> disconnect(String endpoint) {
        List<EndpointHandle> connects = new ArrayList<>();
        synchronized (this) {
            List<EndpointHandle> list = handles.get(endpoint);
            if (list != null) {
                list.removeIf(h -> !h.isBind() && connects.add(h));
                if (list.isEmpty()) {
                    handles.remove(endpoint);
                }
            }
        }
        if (connects.isEmpty()) {
            throw new ZmqException(Errno.ENOENT, "socket is not connected to '" + endpoint + "'");
        }
        return connects;
    }

    /**
     * Closes everything, once, lingering up to {@code linger} ms (socket close or context
     * termination; any thread).
     */
    void releaseAll(int linger) {
        List<EndpointHandle> all = new ArrayList<>();
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            handles.values().forEach(all::addAll);
            handles.clear();
        }
        for (EndpointHandle h : all) {
            h.close(linger);
        }
    }

    /** Whether any endpoint bound or connected so far is served by I/O threads (socket thread). */
    boolean usesIoThreads() {
        return usesIoThreads;
    }

    /** The resolved endpoint of the last bind, "" before any. */
    String lastEndpoint() {
        return lastEndpoint;
    }
}
