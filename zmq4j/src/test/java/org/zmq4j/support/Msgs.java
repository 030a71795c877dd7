package org.zmq4j.support;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Small helpers for tests of zmq4j sockets: whole-message send/receive with bounded waits, text
 * conversion, and bounded polling instead of sleeps.
 */
public final class Msgs {
    /** RCVTIMEO given by {@link #socket}; a message that should arrive must arrive within it. */
    public static final int RCVTIMEO_MS = 10_000;

    private Msgs() {
    }

    /** A socket with LINGER 0 and RCVTIMEO {@value #RCVTIMEO_MS} ms. */
    public static Socket socket(Context ctx, SocketType type) {
        return socket(ctx, type, RCVTIMEO_MS, -1);
    }

    /**
     * A socket with LINGER 0 (so that closing it, or its context, is instant) and the given
     * timeouts (-1: block without a bound, libzmq's default), the set-up every socket test starts
     * from.
     *
     * @param ctx        the context
     * @param type       the socket type
     * @param rcvtimeoMs RCVTIMEO
     * @param sndtimeoMs SNDTIMEO
     * @return the socket
     */
    public static Socket socket(Context ctx, SocketType type, int rcvtimeoMs, int sndtimeoMs) {
        Socket s = ctx.socket(type);
        s.setOption(Option.LINGER, 0);
        s.setOption(Option.RCVTIMEO, rcvtimeoMs);
        s.setOption(Option.SNDTIMEO, sndtimeoMs);
        return s;
    }

    /** UTF-8 bytes of {@code s}. */
    public static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code frame} as UTF-8 text. */
    public static String str(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    /** Sends the frames as one message. */
    public static void send(Socket s, byte[]... frames) {
        for (int i = 0; i < frames.length; i++) {
            assertTrue(s.send(frames[i], i < frames.length - 1 ? Socket.SNDMORE : 0), "send timed out on " + s.type());
        }
    }

    /** Sends the strings as one message. */
    public static void send(Socket s, String... frames) {
        byte[][] bytes = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            bytes[i] = b(frames[i]);
        }
        send(s, bytes);
    }

    /** Receives a whole message, failing when none arrives within the socket's RCVTIMEO. */
    public static List<byte[]> recv(Socket s) {
        List<byte[]> msg = tryRecv(s);
        assertNotNull(msg, "no message arrived at " + s.type() + " within its RCVTIMEO");
        return msg;
    }

    /** Receives a whole message, or null when none arrives within the socket's RCVTIMEO. */
    public static List<byte[]> tryRecv(Socket s) {
        byte[] first = s.recv();
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (s.hasMore()) {
            byte[] f = s.recv();
            assertNotNull(f, "the rest of a multipart message did not arrive");
            frames.add(f);
        }
        return frames;
    }

    /** Receives a whole message as text frames. */
    public static List<String> recvStrings(Socket s) {
        List<String> out = new ArrayList<>();
        for (byte[] f : recv(s)) {
            out.add(str(f));
        }
        return out;
    }

    /** Waits (bounded, polling) until {@code condition} holds, failing with {@code what} otherwise. */
    public static void await(BooleanSupplier condition, long timeoutMillis, String what) {
        Checks.awaitTrue(what, timeoutMillis, condition);
    }

    /**
     * Runs {@code task} on a new daemon thread (not the common pool, which other tests' blocked
     * tasks can starve on a 2-core machine). Handing a socket to the task is a happens-before edge.
     */
    public static <T> CompletableFuture<T> async(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-async");
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** {@link #async(Supplier)} for a task without a result. */
    public static CompletableFuture<Void> async(Runnable task) {
        return async(() -> {
            task.run();
            return null;
        });
    }

    /** The port of a resolved tcp endpoint such as tcp://127.0.0.1:40123. */
    public static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** A loopback TCP port that nothing listens on (at the moment of the call). */
    public static int freePort() {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return ss.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("cannot find a free port", e);
        }
    }

    /** Runs {@code body} in a new daemon thread and returns it, already started. */
    public static Thread startThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
