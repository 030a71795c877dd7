package org.zmq4j.patterns.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.zmq4j.Context;

/**
 * What a test holds open: a context, the brokers, queues, workers and peers it started (closed in
 * reverse order) and the threads it ran them on (joined, bounded). One per test instance.
 */
public final class Held implements AutoCloseable {
    /** The test's context, closed last. */
    public final Context ctx = new Context();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /** Closes {@code c} when the test ends; returns it. */
    public <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** Joins {@code t} (up to 5 s) when the test ends, after closing what it holds. */
    public void joinAtEnd(Thread t) {
        threads.add(t);
    }

    /** Waits up to 20 s for {@code condition}, polling every 10 ms; fails naming {@code what}. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    /**
     * {@code n} tcp endpoints on 127.0.0.1 with ports free a moment ago, for peers whose identity or
     * pairing needs the address before binding (Freelance servers, Binary Star pairs).
     */
    public static String[] freeEndpoints(int n) throws java.io.IOException {
        String[] eps = new String[n];
        java.net.ServerSocket[] held = new java.net.ServerSocket[n];
        try {
            for (int i = 0; i < n; i++) { // all open at once: n different ports
                held[i] = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                eps[i] = "tcp://127.0.0.1:" + held[i].getLocalPort();
            }
        } finally {
            for (java.net.ServerSocket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return eps;
    }

    /**
     * A port P such that P, P+1 .. P+{@code width}-1 were all free on 127.0.0.1 a moment ago (for
     * protocols that lay their sockets out on consecutive ports, as Clone does).
     */
    public static int freePortBlock(int width) throws java.io.IOException {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + r.nextInt(30_000);
            java.util.List<java.net.ServerSocket> held = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < width; i++) {
                    held.add(new java.net.ServerSocket(base + i, 1, java.net.InetAddress.getLoopbackAddress()));
                }
                return base;
            } catch (java.io.IOException taken) {
                // try another block
            } finally {
                for (java.net.ServerSocket s : held) {
                    s.close();
                }
            }
        }
        throw new java.io.IOException("no block of " + width + " free ports found");
    }

    /** A handler that answers with the request's frames and then {@code tag}, so tests see who answered. */
    public static java.util.function.Function<List<byte[]>, List<byte[]>> echoTagged(String tag) {
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        return body -> {
            List<byte[]> r = new ArrayList<>(body);
            r.add(t);
            return r;
        };
    }

    /** Frames as UTF-8 strings. */
    public static List<String> strings(List<byte[]> frames) {
        return frames.stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        for (Thread t : threads) {
            t.join(5_000);
        }
        ctx.close();
    }
}
