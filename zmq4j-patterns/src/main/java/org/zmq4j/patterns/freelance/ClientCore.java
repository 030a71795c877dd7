package org.zmq4j.patterns.freelance;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The Freelance client's logic, sans-IO (rfc 10 and the zguide's model three): which servers are
 * alive (any message from one keeps it alive for the TTL), when to ping each, which server each
 * request goes to (the first live one in the configured order it has not tried yet), and when a
 * request moves on (its attempt timed out, or its server died) or fails (its total timeout). Each
 * request carries its sequence number as the Client Control Frame; the first reply with that CCF
 * wins, later ones are dropped. Messages out name their server; the caller sends them and reports
 * a server it could not reach. One thread; no locks.
 */
final class ClientCore {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.freelance.client");
    /** How soon a server that could not be reached (not connected yet) is pinged again, at most. */
    private static final long RETRY_UNREACHABLE_MILLIS = 100;

    /** A message for a server: its endpoint (its identity) and the frames after it. */
    record Out(String server, List<byte[]> frames) {
    }

    /** A request that ended: with its reply's frames (after the CCF), or {@code reply == null} with why not. */
    record Done(long id, List<byte[]> reply, int attempts, String failure) {
    }

    private static final class Server {
        final String endpoint;
        boolean alive;
        long aliveUntil;
        long pingAt;

        Server(String endpoint, long now) {
            this.endpoint = endpoint;
            this.pingAt = now;
        }
    }

    private static final class Call {
        final long id;
        final byte[] ccf;
        final List<byte[]> body;
        final long deadline;
        /** Servers asked in this round; {@code asked}: ever. */
        final LinkedHashSet<String> tried = new LinkedHashSet<>();
        final LinkedHashSet<String> asked = new LinkedHashSet<>();
        Server server;
        long attemptEnds;
        int attempts;

        Call(long id, List<byte[]> body, long deadline) {
            this.id = id;
            this.ccf = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
            this.body = body;
            this.deadline = deadline;
        }
    }

    private final List<Server> servers = new ArrayList<>();
    private final Map<String, Server> byEndpoint = new HashMap<>();
    /** Requests not ended, by CCF, oldest first. */
    private final LinkedHashMap<String, Call> calls = new LinkedHashMap<>();
    private final ArrayDeque<Done> done = new ArrayDeque<>();
    private final long pingMillis;
    private final long ttlMillis;
    private final long attemptMillis;
    private final long timeoutMillis;
    private long nextId = 1;

    ClientCore(FreelanceConfig config, long now) {
        for (String endpoint : config.servers()) {
            if (!byEndpoint.containsKey(endpoint)) {
                Server s = new Server(endpoint, now);
                servers.add(s);
                byEndpoint.put(endpoint, s);
            }
        }
        pingMillis = config.pingInterval().toMillis();
        ttlMillis = config.serverTtl().toMillis();
        attemptMillis = config.attemptTimeout().toMillis();
        timeoutMillis = config.timeout().toMillis();
    }

    /** A new request; returns its id (also its CCF, in ASCII decimal). */
    long submit(List<byte[]> body, long now, List<Out> out) {
        Call c = new Call(nextId++, body, now + timeoutMillis);
        calls.put(key(c.ccf), c);
        dispatch(c, now, out);
        return c.id;
    }

    /** A message from a server (its identity, then the frames): PONG or a reply. */
    void onMessage(String server, List<byte[]> frames, long now, List<Out> out) {
        Server s = byEndpoint.get(server);
        if (s == null) {
            LOG.log(Level.WARNING, () -> "dropping a message from '" + server + "', which is not one of this client's servers");
            return;
        }
        boolean revived = !s.alive;
        s.alive = true;
        s.aliveUntil = now + ttlMillis;
        if (revived) {
            LOG.log(Level.INFO, () -> "server " + server + " is alive");
        }
        if (frames.size() >= 2) {
            Call c = calls.remove(key(frames.get(0)));
            if (c == null) {
                LOG.log(Level.DEBUG, () -> "dropping a late or duplicate reply from " + server);
            } else {
                done.add(new Done(c.id, List.copyOf(frames.subList(1, frames.size())), c.attempts, null));
            }
        } else if (!Flp.is(frames, Flp.PONG)) {
            LOG.log(Level.WARNING, () -> "dropping a message from " + server + " that is neither PONG nor a reply with a CCF");
        }
        if (revived) {
            dispatchWaiting(now, out);
        }
    }

    /** The server could not be reached (not connected, or gone): it is not alive until it answers. */
    void unreachable(String server, long now, List<Out> out) {
        Server s = byEndpoint.get(server);
        if (s == null) {
            return;
        }
        if (s.alive) {
            LOG.log(Level.INFO, () -> "server " + server + " is unreachable");
        }
        s.alive = false;
        s.pingAt = Math.min(s.pingAt, now + Math.min(pingMillis, RETRY_UNREACHABLE_MILLIS));
        redispatchFrom(s, now, out);
    }

    /** Pings, deaths of silent servers, attempt and request timeouts. */
    void onTick(long now, List<Out> out) {
        for (Server s : servers) {
            if (s.alive && now - s.aliveUntil >= 0) {
                s.alive = false;
                LOG.log(Level.WARNING, () -> "server " + s.endpoint + " silent for " + ttlMillis + " ms: taken for dead");
                redispatchFrom(s, now, out);
            }
            if (now - s.pingAt >= 0) {
                s.pingAt = now + pingMillis;
                out.add(new Out(s.endpoint, List.of(Flp.PING)));
            }
        }
        for (Iterator<Call> it = calls.values().iterator(); it.hasNext(); ) {
            Call c = it.next();
            if (now - c.deadline >= 0) {
                it.remove();
                done.add(new Done(c.id, null, c.attempts, "no reply in " + timeoutMillis + " ms from "
                        + (c.asked.isEmpty() ? "any server (none alive of " + endpoints() + ")" : String.join(", ", c.asked))));
            } else if (c.server != null && now - c.attemptEnds >= 0) {
                c.server = null; // a reply from it still counts; meanwhile the next server gets the request too
                dispatch(c, now, out);
            }
        }
    }

    /** The time of the next thing {@link #onTick} would do. */
    long nextTick() {
        long next = Long.MAX_VALUE;
        for (Server s : servers) {
            next = Math.min(next, s.pingAt);
            if (s.alive) {
                next = Math.min(next, s.aliveUntil);
            }
        }
        for (Call c : calls.values()) {
            next = Math.min(next, c.deadline);
            if (c.server != null) {
                next = Math.min(next, c.attemptEnds);
            }
        }
        return next;
    }

    /** The requests that ended since the last call, in the order they ended. */
    Done takeDone() {
        return done.poll();
    }

    /** Requests not ended yet. */
    int pending() {
        return calls.size();
    }

    /** The endpoints of the servers taken for alive now, in the configured order. */
    List<String> aliveServers() {
        return servers.stream().filter(s -> s.alive).map(s -> s.endpoint).toList();
    }

    /** Ends every request with {@code failure} (the client is closing). */
    void failAll(String failure) {
        for (Call c : calls.values()) {
            done.add(new Done(c.id, null, c.attempts, failure));
        }
        calls.clear();
    }

    private void redispatchFrom(Server s, long now, List<Out> out) {
        for (Call c : calls.values()) {
            if (c.server == s) {
                c.server = null;
                dispatch(c, now, out);
            }
        }
    }

    private void dispatchWaiting(long now, List<Out> out) {
        for (Call c : calls.values()) {
            if (c.server == null) {
                dispatch(c, now, out);
            }
        }
    }

    /** To the first live server it has not tried; when it tried them all, round again from the first. */
    private void dispatch(Call c, long now, List<Out> out) {
        Server to = null;
        for (int round = 0; round < 2 && to == null; round++) {
            for (Server s : servers) {
                if (s.alive && !c.tried.contains(s.endpoint)) {
                    to = s;
                    break;
                }
            }
            if (to == null) {
                c.tried.clear();
            }
        }
        if (to == null) {
            return; // waits for a server to come alive, or for its deadline
        }
        c.server = to;
        c.tried.add(to.endpoint);
        c.asked.add(to.endpoint);
        c.attempts++;
        c.attemptEnds = now + attemptMillis;
        List<byte[]> frames = new ArrayList<>(c.body.size() + 1);
        frames.add(c.ccf);
        frames.addAll(c.body);
        out.add(new Out(to.endpoint, frames));
    }

    private String endpoints() {
        return String.join(", ", servers.stream().map(s -> s.endpoint).toList());
    }

    private static String key(byte[] ccf) {
        return new String(ccf, StandardCharsets.ISO_8859_1);
    }
}
