package org.zmq4j.durable.titanic;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.zmq4j.Context;
import org.zmq4j.patterns.NoReplyException;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoClient;
import org.zmq4j.patterns.mdp.Reply;

/**
 * A Titanic client (rfc 9) over a {@link MajordomoClient}: {@link #submit} stores a request and returns
 * its UUID, {@link #reply} fetches the reply when there is one, {@link #close} forgets it; {@link #call}
 * does all three, polling for the reply. Works with any TSP server (zmq4j's {@link TitanicServer},
 * the zguide's titanic).
 *
 * <p>Thread-safety: not thread-safe, like the {@link MajordomoClient} inside; {@link #closeClient()}
 * from another thread interrupts a call.
 */
public final class TitanicClient implements AutoCloseable {
    private final MajordomoClient client;

    /** A Titanic server answered with a status this client cannot go on with. */
    public static final class TitanicException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String status;

        TitanicException(String status, String message) {
            super(message);
            this.status = status;
        }

        /** The TSP status code ("400", "500", ...). */
        public String status() {
            return status;
        }
    }

    public TitanicClient(Context ctx, ClientConfig config) {
        this.client = new MajordomoClient(ctx, config);
    }

    private List<byte[]> call(String service, List<byte[]> body) {
        Reply r = client.call(service, body);
        if (r.frames().isEmpty()) {
            throw new TitanicException("", service + " answered without a status frame");
        }
        return r.frames();
    }

    /**
     * Stores a request for {@code service}.
     *
     * @return the request's UUID
     * @throws TitanicException when the server refuses (500)
     * @throws NoReplyException when the server does not answer
     */
    public String submit(String service, List<byte[]> body) {
        Objects.requireNonNull(service, "service");
        List<byte[]> req = new ArrayList<>(body.size() + 1);
        req.add(service.getBytes(StandardCharsets.UTF_8));
        req.addAll(body);
        if (req.size() < 2) {
            throw new IllegalArgumentException("a Titanic request has a body of at least one frame");
        }
        List<byte[]> r = call(Tsp.REQUEST, req);
        String status = Tsp.status(r.get(0));
        String uuid = r.size() == 2 ? Tsp.uuid(new String(r.get(1), StandardCharsets.US_ASCII)) : null;
        if (!status.equals(Tsp.OK) || uuid == null) {
            throw new TitanicException(status, Tsp.REQUEST + " for '" + service + "' answered " + status
                    + (status.equals(Tsp.OK) ? " without a valid UUID" : ""));
        }
        return uuid;
    }

    /**
     * The reply of request {@code uuid}, or empty while it is pending (300, and 500: try later).
     *
     * @throws TitanicException 400: the UUID is unknown (closed, or never issued)
     */
    public Optional<List<byte[]>> reply(String uuid) {
        List<byte[]> r = call(Tsp.REPLY, List.of(uuid.getBytes(StandardCharsets.US_ASCII)));
        String status = Tsp.status(r.get(0));
        switch (status) {
            case Tsp.OK:
                return Optional.of(List.copyOf(r.subList(1, r.size())));
            case Tsp.PENDING:
            case Tsp.ERROR:
                return Optional.empty();
            default:
                throw new TitanicException(status, Tsp.REPLY + " for " + uuid + " answered " + status);
        }
    }

    /** Forgets request {@code uuid} and its reply (idempotent). */
    public void close(String uuid) {
        List<byte[]> r = call(Tsp.CLOSE, List.of(uuid.getBytes(StandardCharsets.US_ASCII)));
        String status = Tsp.status(r.get(0));
        if (!status.equals(Tsp.OK)) {
            throw new TitanicException(status, Tsp.CLOSE + " for " + uuid + " answered " + status);
        }
    }

    /**
     * Submits, waits for the reply (asking every {@code poll}), closes, and returns the reply.
     *
     * @throws NoReplyException when no reply is stored within {@code timeout} (the request stays stored)
     */
    public List<byte[]> call(String service, List<byte[]> body, Duration poll, Duration timeout) throws InterruptedException {
        String uuid = submit(service, body);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<List<byte[]>> r = reply(uuid);
            if (r.isPresent()) {
                close(uuid);
                return r.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new NoReplyException(service, 1, "Titanic request " + uuid + " for '" + service
                        + "' has no reply after " + timeout.toMillis() + " ms (it stays stored)");
            }
            Thread.sleep(poll.toMillis()); // the protocol's own polling interval, not a test wait
        }
    }

    /** Closes the Majordomo client. */
    public void closeClient() {
        client.close();
    }

    @Override
    public void close() {
        client.close();
    }
}
