package org.zmq4j.tools.oneliners;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import org.zmq4j.Authenticator;
import org.zmq4j.Context;
import org.zmq4j.Multipart;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.Z85;
import org.zmq4j.ZmqException;

/**
 * A ZAP handler (rfc-27) that lets every client in, for {@code --plain-server} without a password
 * file: a PLAIN server refuses everyone while no handler answers, and zmq4j's {@link Authenticator}
 * only lets listed users in. The User-Id it hands the server is the PLAIN username (or the CURVE
 * client key in Z85). Each new user is noted once.
 * <p>
 * Thread-safety: made and closed by the command's thread; it answers on a thread of its own,
 * which alone uses its REP socket.
 */
final class OpenZapHandler implements AutoCloseable {
    private static final byte[] VERSION = "1.0".getBytes(StandardCharsets.US_ASCII);

    private final Socket rep;
    private final Thread thread;
    private final Consumer<String> notes;
    private final java.util.Set<String> seen = new java.util.HashSet<>();
    private volatile boolean closing;

    /**
     * Binds the handler in {@code context} and starts answering.
     *
     * @param context the context of the server socket
     * @param notes   gets a line for each new user let in
     * @throws ZmqException EADDRINUSE when another ZAP handler is bound in the context
     */
    OpenZapHandler(Context context, Consumer<String> notes) {
        this.notes = notes;
        Socket s = context.socket(SocketType.REP);
        try {
            s.setOption(Option.LINGER, 0);
            s.bind(Authenticator.ENDPOINT);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        rep = s;
        // Thread.start() orders the socket's setup before its use on the new thread
        thread = new Thread(this::serve, "zmq4j-open-zap");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        try {
            while (!closing) {
                Multipart request = rep.recvMultipart();
                if (request != null) {
                    rep.send(answer(request.frames()));
                }
            }
        } catch (ZmqException e) {
            // EINTR from close(), or ETERM from the context closing: either way, stop
        } finally {
            rep.close();
        }
    }

    private Multipart answer(List<byte[]> f) {
        byte[] requestId = f.size() > 1 ? f.get(1) : new byte[0];
        if (f.size() < 6 || !java.util.Arrays.equals(VERSION, f.get(0))) {
            return Multipart.of(VERSION, requestId, ascii("400"), ascii("Malformed ZAP request"), new byte[0], new byte[0]);
        }
        String mechanism = new String(f.get(5), StandardCharsets.US_ASCII);
        String userId = "";
        if (mechanism.equals("PLAIN") && f.size() >= 7) {
            userId = new String(f.get(6), StandardCharsets.UTF_8);
        } else if (mechanism.equals("CURVE") && f.size() >= 7 && f.get(6).length == 32) {
            userId = Z85.encode(f.get(6));
        }
        if (seen.add(mechanism + "/" + userId)) {
            notes.accept("let in " + mechanism + " client" + (userId.isEmpty() ? "" : " '" + userId + "'")
                    + " from " + new String(f.get(3), StandardCharsets.UTF_8) + " (any user: no --plain-passwords)");
        }
        return Multipart.of(VERSION, requestId, ascii("200"), ascii("OK"), userId.getBytes(StandardCharsets.UTF_8),
                new byte[0]);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Stops the handler and waits (bounded) for its thread. */
    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
