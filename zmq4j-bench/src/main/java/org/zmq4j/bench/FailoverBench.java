package org.zmq4j.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.zmq4j.Context;
import org.zmq4j.patterns.bstar.BinaryStarNode;
import org.zmq4j.patterns.bstar.BinaryStarServer;
import org.zmq4j.patterns.bstar.BinaryStarState;
import org.zmq4j.patterns.lazypirate.LazyPirateClient;
import org.zmq4j.patterns.mdp.BrokerConfig;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoBroker;
import org.zmq4j.patterns.mdp.MajordomoClient;
import org.zmq4j.patterns.mdp.MajordomoWorker;
import org.zmq4j.patterns.mdp.MdpVersion;

/**
 * Binary Star failover time (issue 15): how long a client waits for its first reply after the
 * active node of a pair stops, for a {@link BinaryStarServer} pair with a {@link LazyPirateClient}
 * and for the HA Majordomo broker (two paired {@link MajordomoBroker}s, a worker and a
 * {@link MajordomoClient} that know both), with the zguide's timings and with short ones. Each
 * repetition starts a fresh pair on fresh ports, waits until it settled (active and passive), gets
 * one reply, stops the primary and times the next request. Prints a markdown table: min, median, max.
 * <pre>
 *   zmq4j-bench/run.sh failover [--reps N]
 * </pre>
 * Not thread-safe; a main program.
 */
public final class FailoverBench {
    /** One set of timings. */
    private record Timings(String name, Duration state, Duration clientTimeout, Duration mdpHeartbeat) {
    }

    private static final List<Timings> TIMINGS = List.of(
            new Timings("zguide's (state 1 s, client 2.5 s, MDP heartbeat 2.5 s)", Duration.ofSeconds(1),
                    Duration.ofMillis(2500), Duration.ofMillis(2500)),
            new Timings("short (state 100 ms, client 300 ms, MDP heartbeat 200 ms)", Duration.ofMillis(100),
                    Duration.ofMillis(300), Duration.ofMillis(200)));

    private FailoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int reps = 5;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--reps") && i + 1 < args.length) {
                reps = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: FailoverBench [--reps N]");
                System.exit(2);
            }
        }
        System.out.println("| set-up | timings | failover min / median / max (ms), " + reps + " repetitions |");
        System.out.println("|---|---|---|");
        for (Timings t : TIMINGS) {
            List<Long> pair = new ArrayList<>();
            List<Long> broker = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                pair.add(serverPair(t));
                broker.add(brokerPair(t));
                System.err.printf(Locale.ROOT, "failover: %s rep %d: server pair %d ms, HA broker %d ms%n", t.name, r + 1,
                        pair.get(r), broker.get(r));
            }
            System.out.println("| BinaryStarServer pair, LazyPirateClient | " + t.name + " | " + summary(pair) + " |");
            System.out.println("| HA Majordomo broker, worker and MajordomoClient knowing both | " + t.name + " | " + summary(broker) + " |");
        }
    }

    private static String summary(List<Long> ms) {
        List<Long> s = new ArrayList<>(ms);
        Collections.sort(s);
        return s.get(0) + " / " + s.get(s.size() / 2) + " / " + s.get(s.size() - 1);
    }

    /** A BinaryStarServer pair; the failover time in ms. */
    private static long serverPair(Timings t) throws Exception {
        String[] ep = freeEndpoints(4);
        try (Context ctx = new Context()) {
            BinaryStarServer primary = new BinaryStarServer(ctx, BinaryStarState.PRIMARY, ep[0], ep[2], ep[3], t.state);
            BinaryStarServer backup = new BinaryStarServer(ctx, BinaryStarState.BACKUP, ep[1], ep[3], ep[2], t.state);
            primary.start(body -> body);
            backup.start(body -> body);
            await(() -> primary.state() == BinaryStarState.ACTIVE && backup.state() == BinaryStarState.PASSIVE);
            try (LazyPirateClient client = new LazyPirateClient(ctx, List.of(ep[0], ep[1]), t.clientTimeout, 100)) {
                client.request("before");
                long start = System.nanoTime();
                primary.close();
                client.request("after");
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            } finally {
                backup.close();
            }
        }
    }

    /** The HA Majordomo broker; the failover time in ms. */
    private static long brokerPair(Timings t) throws Exception {
        String[] ep = freeEndpoints(4);
        try (Context ctx = new Context()) {
            BinaryStarNode primaryNode = new BinaryStarNode(ctx, BinaryStarState.PRIMARY, ep[2], ep[3], t.state);
            BinaryStarNode backupNode = new BinaryStarNode(ctx, BinaryStarState.BACKUP, ep[3], ep[2], t.state);
            MajordomoBroker primary = broker(ctx, primaryNode, ep[0], t);
            MajordomoBroker backup = broker(ctx, backupNode, ep[1], t);
            await(() -> primaryNode.state() == BinaryStarState.ACTIVE && backupNode.state() == BinaryStarState.PASSIVE);
            MajordomoWorker worker = new MajordomoWorker(ctx, List.of(ep[0], ep[1]), "echo", MdpVersion.MDP01, t.mdpHeartbeat, 3);
            Thread serving = new Thread(() -> worker.serve(body -> body), "failover-worker");
            serving.start();
            ClientConfig config = ClientConfig.of(ep[0]).withBrokers(List.of(ep[0], ep[1])).withTimeout(t.clientTimeout).withRetries(100);
            try (MajordomoClient client = new MajordomoClient(ctx, config)) {
                client.call("echo", "before");
                long start = System.nanoTime();
                primary.close();
                client.call("echo", "after");
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            } finally {
                worker.close();
                serving.join(10_000);
                backup.close();
            }
        }
    }

    private static MajordomoBroker broker(Context ctx, BinaryStarNode node, String frontend, Timings t) {
        MajordomoBroker b = new MajordomoBroker(ctx, BrokerConfig.defaults().withHeartbeat(t.mdpHeartbeat));
        b.bind(frontend);
        b.pairWith(node);
        b.start();
        return b;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pair did not settle within 30 s");
            }
            Thread.sleep(10);
        }
    }

    private static String[] freeEndpoints(int n) throws IOException {
        String[] eps = new String[n];
        ServerSocket[] held = new ServerSocket[n];
        try {
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                eps[i] = "tcp://127.0.0.1:" + held[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return eps;
    }
}
