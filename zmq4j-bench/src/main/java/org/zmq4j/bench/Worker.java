package org.zmq4j.bench;

import java.util.Arrays;

/**
 * One side of an end-to-end run for a Java implementation (zmq4j or JeroMQ), started by
 * {@link Compare} in its own JVM, or both sides in one JVM for inproc. Measures exactly as the C
 * programs in src/main/c do (bench_common.h) and prints the same result line:
 * <pre>
 *   RESULT thr &lt;messages&gt; &lt;elapsed_ns&gt;
 *   RESULT lat &lt;samples&gt; &lt;mean_rtt_ns&gt; &lt;p50_ns&gt; &lt;p99_ns&gt; &lt;p999_ns&gt; &lt;max_ns&gt;
 * </pre>
 * Usage: {@code Worker <zmq4j|jeromq> <role> <endpoint> <size> <warmup_ms> <duration_ms> <hwm>}, role one of
 * thr-recv (PULL binds), thr-send (PUSH connects, sends until killed), lat-server (REP binds, echoes
 * until killed), lat-client (REQ connects), inproc-thr, inproc-lat (both ends, two threads).
 * <p>
 * The sender allocates a new byte[] per message, as an application would (and as libzmq's
 * remote_thr initialises a new zmq_msg_t per message); the receiver gets whatever array the
 * library returns. The latency client reuses one request array and the server echoes what it got.
 * With {@code -Dbench.copy=true} (Compare's {@code --copy-api}) every side instead uses the
 * library's copying calls with one reused buffer (zmq_send/zmq_recv style: zmq4j's
 * {@code send(buf, off, len, flags)} / {@code recv(buf, off, len, flags)}, JeroMQ's methods of the
 * same shape).
 */
public final class Worker {
    static final int LAT_MAX_SAMPLES = 4 * 1024 * 1024;
    /** A latency warm-up lasts its time and at least this many round trips (the JIT counts calls). */
    static final int LAT_WARMUP_MIN = 20_000;

    /** Use the copying send/receive calls with reused buffers. */
    static final boolean COPY = Boolean.getBoolean("bench.copy");

    private Worker() {
    }

    public static void main(String[] args) {
        if (args.length != 7) {
            System.err.println("usage: Worker <zmq4j|jeromq> <role> <endpoint> <size> <warmup_ms> <duration_ms> <hwm>");
            System.exit(2);
        }
        String impl = args[0];
        String role = args[1];
        String endpoint = args[2];
        int size = Integer.parseInt(args[3]);
        long warmupNs = Long.parseLong(args[4]) * 1_000_000L;
        long durationNs = Long.parseLong(args[5]) * 1_000_000L;
        int hwm = Integer.parseInt(args[6]);
        try {
            Api api = Api.open(impl);
            switch (role) {
                case "thr-recv":
                    receive(api.socket(Api.Kind.PULL, hwm, true, endpoint), size, warmupNs, durationNs);
                    break;
                case "thr-send":
                    sendForever(api.socket(Api.Kind.PUSH, hwm, false, endpoint), size);
                    break;
                case "lat-server":
                    echoForever(api.socket(Api.Kind.REP, hwm, true, endpoint));
                    break;
                case "lat-client":
                    roundTrips(api.socket(Api.Kind.REQ, hwm, false, endpoint), size, warmupNs, durationNs);
                    break;
                case "inproc-thr": {
                    Api.Sock pull = api.socket(Api.Kind.PULL, hwm, true, "inproc://thr");
                    background("pusher", () -> sendForever(api.socket(Api.Kind.PUSH, hwm, false, "inproc://thr"), size));
                    receive(pull, size, warmupNs, durationNs);
                    break;
                }
                case "inproc-lat": {
                    Api.Sock req = api.socket(Api.Kind.REQ, hwm, true, "inproc://lat");
                    background("replier", () -> echoForever(api.socket(Api.Kind.REP, hwm, false, "inproc://lat")));
                    roundTrips(req, size, warmupNs, durationNs);
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown role " + role);
            }
        } catch (Throwable t) {
            t.printStackTrace();
            System.err.flush();
            Runtime.getRuntime().halt(2);
        }
        // The other side may still be sending or blocked: do not wait for a clean context close.
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void background(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                e.printStackTrace();
                System.err.flush();
                Runtime.getRuntime().halt(2);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** How many messages between clock reads: about 1 MiB or 1024 messages (as bench_common.h). */
    static long checkEvery(int size) {
        return Math.max(1, Math.min(1024, 1_048_576L / Math.max(1, size)));
    }

    static void sendForever(Api.Sock s, int size) {
        if (COPY) {
            byte[] buffer = new byte[size];
            while (true) {
                s.sendCopy(buffer, size);
            }
        }
        while (true) {
            s.send(new byte[size]);
        }
    }

    static void echoForever(Api.Sock s) {
        if (COPY) {
            byte[] buffer = new byte[1 << 20];
            while (true) {
                s.sendCopy(buffer, s.recvInto(buffer));
            }
        }
        while (true) {
            s.send(s.recv());
        }
    }

    /** Receives one message and checks its size, in whichever API mode is selected. */
    private static void recvOne(Api.Sock s, byte[] buffer, int size) {
        if (COPY) {
            int n = s.recvInto(buffer);
            if (n != size) {
                throw new IllegalStateException("message of the wrong size: " + n + " != " + size);
            }
        } else {
            check(s.recv(), size);
        }
    }

    static void receive(Api.Sock s, int size, long warmupNs, long durationNs) {
        long every = checkEvery(size);
        byte[] buffer = new byte[size];
        recvOne(s, buffer, size);
        long t0 = System.nanoTime();
        boolean measuring = warmupNs <= 0;
        long start = t0;
        long counted = 0;
        long k = 0;
        while (true) {
            recvOne(s, buffer, size);
            if (measuring) {
                counted++;
            }
            if (++k < every) {
                continue;
            }
            k = 0;
            long t = System.nanoTime();
            if (!measuring) {
                if (t - t0 >= warmupNs) {
                    measuring = true;
                    start = t;
                    counted = 0;
                }
                continue;
            }
            if (t - start >= durationNs) {
                System.out.println("RESULT thr " + counted + " " + (t - start));
                return;
            }
        }
    }

    private static void check(byte[] m, int size) {
        if (m == null || m.length != size) {
            throw new IllegalStateException("message of the wrong size: " + (m == null ? "null" : m.length) + " != " + size);
        }
    }

    static void roundTrips(Api.Sock s, int size, long warmupNs, long durationNs) {
        long[] rtt = new long[LAT_MAX_SAMPLES];
        byte[] request = new byte[size];
        byte[] reply = new byte[size];
        long t0 = System.nanoTime();
        boolean measuring = false;
        long start = t0;
        int n = 0;
        int warm = 0;
        while (true) {
            long a = System.nanoTime();
            if (COPY) {
                s.sendCopy(request, size);
            } else {
                s.send(request);
            }
            recvOne(s, reply, size);
            long b = System.nanoTime();
            if (!measuring) {
                if (++warm >= LAT_WARMUP_MIN && b - t0 >= warmupNs) {
                    measuring = true;
                    start = b;
                }
                continue;
            }
            rtt[n++] = b - a;
            if (b - start >= durationNs || n == LAT_MAX_SAMPLES) {
                break;
            }
        }
        System.out.println(latencyLine(rtt, n));
    }

    static String latencyLine(long[] rtt, int n) {
        if (n == 0) {
            throw new IllegalStateException("no round trips measured");
        }
        long[] v = Arrays.copyOf(rtt, n);
        Arrays.sort(v);
        double sum = 0;
        for (long x : v) {
            sum += x;
        }
        return "RESULT lat " + n + " " + (long) (sum / n) + " " + pct(v, 0.50) + " " + pct(v, 0.99) + " " + pct(v, 0.999) + " " + v[n - 1];
    }

    /** Nearest-rank percentile of a sorted array (as bench_common.h). */
    static long pct(long[] sorted, double q) {
        int n = sorted.length;
        int i = (int) (q * n + 0.999999) - 1;
        return sorted[Math.max(0, Math.min(n - 1, i))];
    }
}
