package org.zmq4j.examples;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.patterns.bstar.BinaryStarState;
import org.zmq4j.patterns.clone.CloneClient;
import org.zmq4j.patterns.clone.CloneServer;
import org.zmq4j.patterns.clone.CloneServerConfig;

/**
 * Clone (rfc 12; the zguide's model six): a key-value map shared by every client in one order, on
 * a Binary Star pair of servers. Two clients set keys (one ephemeral), the primary goes away, the
 * clients move to the backup, which has every update they saw confirmed. The same pair runs from
 * the command line: {@code zmq4j clone-server --primary --port 5556 --peer 5566 --bstar-local
 * tcp://*:5003 --bstar-remote tcp://localhost:5004} and the {@code --backup} mirror of it.
 */
public final class CloneFailover {
    private CloneFailover() {
    }

    public static void main(String[] args) throws Exception {
        int p = freeBlock();
        int q = freeBlock();
        int s = freeBlock();
        try (Context ctx = new Context()) {
            Duration beat = Duration.ofMillis(250);
            CloneServer primary = CloneServer.start(ctx, CloneServerConfig.pair(BinaryStarState.PRIMARY, p, q,
                    "tcp://127.0.0.1:" + s, "tcp://127.0.0.1:" + (s + 1)).withBindHost("127.0.0.1").withPeerHost("127.0.0.1")
                    .withHeartbeat(beat).withHugz(beat));
            CloneServer backup = CloneServer.start(ctx, CloneServerConfig.pair(BinaryStarState.BACKUP, q, p,
                    "tcp://127.0.0.1:" + (s + 1), "tcp://127.0.0.1:" + s).withBindHost("127.0.0.1").withPeerHost("127.0.0.1")
                    .withHeartbeat(beat).withHugz(beat));
            try (CloneClient alice = client(ctx, p, q); CloneClient bob = client(ctx, p, q)) {
                bob.onChange(c -> System.out.println("bob sees " + c.key() + " = "
                        + (c.deleted() ? "(deleted)" : new String(c.value(), StandardCharsets.UTF_8)) + "  #" + c.sequence()));
                alice.awaitSynced(Duration.ofSeconds(10));
                bob.awaitSynced(Duration.ofSeconds(10));
                long seq = alice.set("/config/mode", bytes("fast")).get(10, TimeUnit.SECONDS);
                System.out.println("alice's update confirmed as #" + seq);
                alice.set("/session/alice", bytes("online"), Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
                Thread.sleep(1500); // the ephemeral key expires on the server, and every client hears it

                primary.close();
                System.out.println("primary stopped; clients fail over when its HUGZ stop");
                bob.set("/config/size", bytes("42")).get(20, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (alice.get("/config/size") == null && System.nanoTime() < deadline) {
                    Thread.sleep(10); // alice hears it from the backup a moment after bob's confirmation
                }
                System.out.println("bob's update went through the backup (" + backup.state() + "), alice now sees "
                        + new String(alice.get("/config/size") == null ? bytes("?") : alice.get("/config/size"),
                                StandardCharsets.UTF_8) + " and still " + new String(alice.get("/config/mode"), StandardCharsets.UTF_8));
            } finally {
                backup.close();
            }
        }
    }

    private static CloneClient client(Context ctx, int p, int q) {
        return CloneClient.builder().server("tcp://127.0.0.1:" + p).server("tcp://127.0.0.1:" + q)
                .serverTtl(Duration.ofMillis(1000)).connect(ctx);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A port P with P, P+1 and P+2 free a moment ago. */
    private static int freeBlock() throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(30_000);
            try (ServerSocket a = new ServerSocket(base, 1, InetAddress.getLoopbackAddress());
                    ServerSocket b = new ServerSocket(base + 1, 1, InetAddress.getLoopbackAddress());
                    ServerSocket c = new ServerSocket(base + 2, 1, InetAddress.getLoopbackAddress())) {
                return base;
            } catch (java.io.IOException taken) {
                // another block
            }
        }
        throw new IllegalStateException("no three free ports in a row");
    }
}
