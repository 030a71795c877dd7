package org.zmq4j.patterns.mdp;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Majordomo broker's logic, sans-IO: fed each message a ROUTER received (the sender's routing
 * id, then the frames) and the clock, it returns what to send. MDP/0.1 and MDP/0.2 share one
 * socket; the protocol header tells them apart, and each peer is answered in its own framing
 * (including the MDP/0.2 dialect some implementations use: an empty frame first, REQUEST as 0x02,
 * replies coded as the worker's PARTIAL/FINAL without the service name). One thread drives it; no
 * locks. Requests wait in a queue per service (bounded) for an idle worker; idle workers wait in a
 * queue per service, least recently used first. {@code mmi.*} services are answered here (rfc 8).
 */
final class BrokerCore {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.mdp.broker");
    private static final byte[] OK = Mdp.ascii("200");
    private static final byte[] NOT_FOUND = Mdp.ascii("404");
    private static final byte[] NOT_IMPLEMENTED = Mdp.ascii("501");
    private static final byte[] UNAVAILABLE = Mdp.ascii("503");

    /** One message to send: the routing id of its peer, then its frames. */
    record Out(byte[] to, List<byte[]> frames) {
    }

    /** How a client frames its messages, so that its replies come back the same way. */
    enum Dialect {
        /** MDP/0.1. */
        MDP01,
        /** MDP/0.2 as rfc 18 has it. */
        MDP02,
        /** MDP/0.2 with an empty frame first, REQUEST as 0x02, replies without the service name. */
        MDP02_DELIMITED
    }

    private static final class Request {
        final byte[] client;
        final Dialect dialect;
        final String service;
        final List<byte[]> body;
        final long expiresAt;

        Request(byte[] client, Dialect dialect, String service, List<byte[]> body, long expiresAt) {
            this.client = client;
            this.dialect = dialect;
            this.service = service;
            this.body = body;
            this.expiresAt = expiresAt;
        }
    }

    private static final class Service {
        final String name;
        final ArrayDeque<Request> requests = new ArrayDeque<>();
        final ArrayDeque<Worker> idle = new ArrayDeque<>();
        int workers;

        Service(String name) {
            this.name = name;
        }
    }

    private static final class Worker {
        final byte[] identity;
        final ByteBuffer key;
        final MdpVersion version;
        final boolean delimited;
        Service service;
        long expiresAt;
        /** The request it is serving, or null while idle. */
        Request serving;

        Worker(byte[] identity, MdpVersion version, boolean delimited) {
            this.identity = identity;
            this.key = ByteBuffer.wrap(identity);
            this.version = version;
            this.delimited = delimited;
        }
    }

    private final BrokerConfig config;
    private final BrokerMetrics metrics;
    private final Map<String, Service> services = new HashMap<>();
    private final Map<ByteBuffer, Worker> workers = new HashMap<>();
    private long nextHeartbeat;
    private int queued;

    BrokerCore(BrokerConfig config, long now) {
        this(config, now, new BrokerMetrics());
    }

    /** A core that counts what it does in {@code metrics} (the broker's, which outlive one run). */
    BrokerCore(BrokerConfig config, long now, BrokerMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.nextHeartbeat = now + config.heartbeatMillis();
    }

    /** The counters this core adds to. */
    BrokerMetrics metrics() {
        return metrics;
    }

    /** The services and workers now, for {@link BrokerMetrics#publish} (services by name). */
    BrokerMetrics.Snapshot snapshot() {
        List<BrokerMetrics.ServiceRow> rows = new ArrayList<>(services.size());
        int idle = 0;
        for (Service s : services.values()) {
            rows.add(new BrokerMetrics.ServiceRow(s.name, s.workers, s.idle.size(), s.requests.size()));
            idle += s.idle.size();
        }
        rows.sort(java.util.Comparator.comparing(BrokerMetrics.ServiceRow::service));
        return new BrokerMetrics.Snapshot(workers.size(), idle, queued, List.copyOf(rows));
    }

    /** When {@link #onTick} wants to run next (the clock's milliseconds). */
    long nextTick() {
        return nextHeartbeat;
    }

    int workerCount() {
        return workers.size();
    }

    int serviceCount() {
        return services.size();
    }

    int queuedRequests() {
        return queued;
    }

    /**
     * A message from a peer.
     *
     * @param sender the ROUTER's routing id of the peer
     * @param frames the message after the routing id
     * @param now    the clock, in milliseconds
     * @return what to send
     */
    List<Out> onMessage(byte[] sender, List<byte[]> frames, long now) {
        List<Out> out = new ArrayList<>(2);
        int i = 0;
        boolean delimited = false;
        if (!frames.isEmpty() && frames.get(0).length == 0) {
            delimited = true;
            i = 1;
        }
        if (frames.size() <= i) {
            return out; // invalid: dropped
        }
        byte[] header = frames.get(i);
        List<byte[]> rest = frames.subList(i + 1, frames.size());
        if (Mdp.is(header, MdpVersion.MDP01.client()) && delimited) {
            onClientRequest(sender, Dialect.MDP01, rest, now, out);
        } else if (Mdp.is(header, MdpVersion.MDP02.client()) && !rest.isEmpty()) {
            byte[] command = rest.get(0);
            if (Mdp.isCode(command, Mdp.C_REQUEST) && !delimited) {
                onClientRequest(sender, Dialect.MDP02, rest.subList(1, rest.size()), now, out);
            } else if (Mdp.isCode(command, Mdp.W_REQUEST)) {
                onClientRequest(sender, Dialect.MDP02_DELIMITED, rest.subList(1, rest.size()), now, out);
            }
        } else if (Mdp.is(header, MdpVersion.MDP01.worker()) && delimited) {
            onWorkerCommand(sender, MdpVersion.MDP01, true, rest, now, out);
        } else if (Mdp.is(header, MdpVersion.MDP02.worker())) {
            onWorkerCommand(sender, MdpVersion.MDP02, delimited, rest, now, out);
        } else {
            LOG.log(Level.DEBUG, "dropping a message that is not MDP from " + hex(sender));
        }
        return out;
    }

    /**
     * Time passed: workers that went silent are forgotten, the others get a HEARTBEAT, requests
     * waiting past their time are dropped.
     *
     * @param now the clock, in milliseconds
     * @return what to send
     */
    List<Out> onTick(long now) {
        List<Out> out = new ArrayList<>();
        if (now - nextHeartbeat < 0) {
            return out;
        }
        nextHeartbeat = now + config.heartbeatMillis();
        for (Iterator<Worker> it = workers.values().iterator(); it.hasNext(); ) {
            Worker w = it.next();
            // a worker running its handler cannot heartbeat: it has the busy timeout instead
            long silentSince = w.expiresAt - config.expiryMillis();
            boolean expired = w.serving == null ? now - w.expiresAt >= 0 : now - silentSince >= config.busyTimeoutMillis();
            if (expired) {
                LOG.log(Level.INFO, "worker " + hex(w.identity) + " of '" + w.service.name + "' expired"
                        + (w.serving != null ? " while busy (its request is lost; the client retries)" : ""));
                metrics.workerExpirations.increment();
                it.remove();
                leave(w);
                continue;
            }
            out.add(toWorker(w, Mdp.heartbeat(w.version), List.of())); // rfc 7/18: to every worker
        }
        for (Iterator<Service> it = services.values().iterator(); it.hasNext(); ) {
            Service s = it.next();
            while (!s.requests.isEmpty() && now - s.requests.peekFirst().expiresAt >= 0) {
                s.requests.pollFirst();
                queued--;
                metrics.requestsExpired.increment();
            }
            if (s.workers == 0 && s.requests.isEmpty()) {
                it.remove();
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ clients

    private void onClientRequest(byte[] client, Dialect dialect, List<byte[]> rest, long now, List<Out> out) {
        if (rest.isEmpty()) {
            return; // no service name: invalid, dropped
        }
        String name = Mdp.text(rest.get(0));
        List<byte[]> body = new ArrayList<>(rest.subList(1, rest.size()));
        if (name.startsWith("mmi.")) {
            metrics.mmiRequests.increment();
            out.add(toClient(client, dialect, false, name, List.of(mmi(name, body))));
            return;
        }
        metrics.requests.increment();
        Service s = services.get(name);
        if (s == null) {
            if (services.size() >= config.maxServices()) {
                metrics.rejected.increment();
                out.add(toClient(client, dialect, false, name, List.of(UNAVAILABLE)));
                return;
            }
            s = new Service(name);
            services.put(name, s);
        }
        if (s.requests.size() >= config.maxQueuedPerService()) {
            LOG.log(Level.WARNING, "service '" + name + "' has " + s.requests.size() + " requests waiting; answering 503");
            metrics.rejected.increment();
            out.add(toClient(client, dialect, false, name, List.of(UNAVAILABLE)));
            return;
        }
        s.requests.addLast(new Request(client, dialect, name, body, now + config.requestTtlMillis()));
        queued++;
        dispatch(s, out);
    }

    /** rfc 8: mmi.service answers 200 when the service has a worker, 404 when not; the rest 501. */
    private byte[] mmi(String name, List<byte[]> body) {
        if (!name.equals("mmi.service")) {
            return NOT_IMPLEMENTED;
        }
        Service s = body.isEmpty() ? null : services.get(Mdp.text(body.get(0)));
        return s != null && s.workers > 0 ? OK : NOT_FOUND;
    }

    private void dispatch(Service s, List<Out> out) {
        while (!s.idle.isEmpty() && !s.requests.isEmpty()) {
            Worker w = s.idle.pollFirst();
            Request r = s.requests.pollFirst();
            queued--;
            metrics.dispatched.increment();
            w.serving = r;
            List<byte[]> rest = new ArrayList<>(r.body.size() + 2);
            rest.add(r.client);
            rest.add(Mdp.EMPTY);
            rest.addAll(r.body);
            out.add(toWorker(w, Mdp.W_REQUEST, rest));
        }
    }

    private static Out toClient(byte[] client, Dialect d, boolean partial, String service, List<byte[]> body) {
        if (d == Dialect.MDP02_DELIMITED) {
            List<byte[]> f = new ArrayList<>(body.size() + 3);
            f.add(Mdp.EMPTY);
            f.add(MdpVersion.MDP02.client());
            f.add(Mdp.code(partial ? Mdp.W02_PARTIAL : Mdp.W02_FINAL));
            f.addAll(body);
            return new Out(client, f);
        }
        return new Out(client, Mdp.toClient(d == Dialect.MDP01 ? MdpVersion.MDP01 : MdpVersion.MDP02, false, partial, service, body));
    }

    // ------------------------------------------------------------------ workers

    private void onWorkerCommand(byte[] sender, MdpVersion v, boolean delimited, List<byte[]> rest, long now, List<Out> out) {
        if (rest.isEmpty()) {
            return;
        }
        byte[] command = rest.get(0);
        List<byte[]> args = rest.subList(1, rest.size());
        Worker w = workers.get(ByteBuffer.wrap(sender));
        if (Mdp.isCode(command, Mdp.W_READY)) {
            onReady(sender, v, delimited, w, args, now, out);
            return;
        }
        if (Mdp.isCode(command, Mdp.disconnect(v))) {
            if (w != null) {
                metrics.workerDisconnects.increment();
                workers.remove(w.key);
                leave(w);
            }
            return;
        }
        if (w == null || w.version != v) {
            // a command from a worker we do not know (the broker restarted, or it expired): it must
            // start again (rfc 7/18: DISCONNECT answers a valid but unexpected command)
            out.add(new Out(sender, Mdp.toWorker(v, delimited, Mdp.disconnect(v), List.of())));
            return;
        }
        w.expiresAt = now + config.expiryMillis();
        if (Mdp.isCode(command, Mdp.heartbeat(v))) {
            return;
        }
        boolean last = v == MdpVersion.MDP01 ? Mdp.isCode(command, Mdp.W01_REPLY) : Mdp.isCode(command, Mdp.W02_FINAL);
        boolean partial = v == MdpVersion.MDP02 && Mdp.isCode(command, Mdp.W02_PARTIAL);
        if ((last || partial) && args.size() >= 2 && args.get(1).length == 0 && w.serving != null) {
            reply(w, args.get(0), partial, args.subList(2, args.size()), out);
            return;
        }
        disconnect(w, out); // anything else from a known worker breaks the protocol
    }

    private void onReady(byte[] sender, MdpVersion v, boolean delimited, Worker known, List<byte[]> args, long now, List<Out> out) {
        if (known != null || args.isEmpty() || Mdp.text(args.get(0)).startsWith("mmi.")) {
            // a second READY, no service, or a reserved one: refused (rfc 7, rfc 8)
            if (known != null) {
                metrics.workerDisconnects.increment();
                workers.remove(known.key);
                leave(known);
            }
            out.add(new Out(sender, Mdp.toWorker(v, delimited, Mdp.disconnect(v), List.of())));
            return;
        }
        String name = Mdp.text(args.get(0));
        Worker w = new Worker(sender.clone(), v, delimited);
        Service s = services.computeIfAbsent(name, Service::new);
        w.service = s;
        w.expiresAt = now + config.expiryMillis();
        s.workers++;
        workers.put(w.key, w);
        metrics.registrations.increment();
        LOG.log(Level.DEBUG, () -> "worker " + hex(sender) + " ready for '" + name + "' (" + v + ")");
        s.idle.addLast(w);
        dispatch(s, out);
    }

    /** A worker's reply to the client it serves; the worker is idle again after a final one. */
    private void reply(Worker w, byte[] client, boolean partial, List<byte[]> body, List<Out> out) {
        Request r = w.serving;
        if (!java.util.Arrays.equals(client, r.client)) {
            disconnect(w, out); // not the client it was given
            return;
        }
        if (!partial || r.dialect != Dialect.MDP01) { // MDP/0.1 clients get the final reply only
            out.add(toClient(r.client, r.dialect, partial, r.service, new ArrayList<>(body)));
            if (partial) {
                metrics.partialReplies.increment();
            }
        }
        if (!partial) {
            metrics.replies.increment();
            w.serving = null;
            w.service.idle.addLast(w);
            dispatch(w.service, out);
        }
    }

    private void disconnect(Worker w, List<Out> out) {
        metrics.workerDisconnects.increment();
        out.add(toWorker(w, Mdp.disconnect(w.version), List.of()));
        workers.remove(w.key);
        leave(w);
    }

    /** A worker is gone: out of its service (its request, if any, is lost: the client retries). */
    private void leave(Worker w) {
        if (w.serving != null) {
            metrics.requestsLost.increment();
        }
        Service s = w.service;
        s.idle.remove(w);
        s.workers--;
        if (s.workers == 0 && s.requests.isEmpty()) {
            services.remove(s.name);
        }
    }

    private static Out toWorker(Worker w, byte command, List<byte[]> rest) {
        return new Out(w.identity, Mdp.toWorker(w.version, w.delimited, command, rest));
    }

    static String hex(byte[] id) {
        StringBuilder b = new StringBuilder(2 + id.length * 2).append("0x");
        for (int i = 0; i < Math.min(id.length, 16); i++) {
            b.append(Character.forDigit((id[i] >> 4) & 0xF, 16)).append(Character.forDigit(id[i] & 0xF, 16));
        }
        return b.toString();
    }
}
