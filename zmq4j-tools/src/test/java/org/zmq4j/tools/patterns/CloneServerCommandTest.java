package org.zmq4j.tools.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.patterns.clone.CloneClient;

/**
 * {@code zmq4j clone-server --primary/--backup}: a Binary Star pair of real processes with the
 * issue's fixed flags, clients that know both; the primary killed with SIGKILL while updates flow:
 * the backup takes over with every update the clients saw confirmed; the primary started again
 * stands by; SIGTERM ends each with 0.
 */
@Timeout(120)
class CloneServerCommandTest extends CliTest {
    static int freePortBlock() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(new ServerSocket(base + i, 1, InetAddress.getLoopbackAddress()));
                }
                return base;
            } catch (IOException taken) {
                // another block
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
        }
        throw new IOException("no three free ports in a row");
    }

    private CliProcess server(String role, int port, int peer, int local, int remote) throws Exception {
        CliProcess s = start("clone-server", role, "--port", Integer.toString(port), "--peer", Integer.toString(peer),
                "--bstar-local", "tcp://*:" + local, "--bstar-remote", "tcp://localhost:" + remote,
                "--heartbeat-ms", "250", "--hugz-ms", "250");
        s.awaitErr("clone-server: .* on \\*:" + port, 30);
        return s;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theBackupTakesOverWithEveryConfirmedUpdate() throws Exception {
        int p = freePortBlock();
        int q = freePortBlock();
        int sp = freePortBlock();
        CliProcess primary = server("--primary", p, q, sp, sp + 1);
        CliProcess backup = server("--backup", q, p, sp + 1, sp);
        primary.awaitErr("clone-server: active", 30);
        backup.awaitErr("clone-server: passive", 30);
        try (Context ctx = new Context();
                CloneClient client = CloneClient.builder().server("tcp://localhost:" + p).server("tcp://localhost:" + q)
                        .serverTtl(Duration.ofMillis(1500)).confirmTimeout(Duration.ofSeconds(30)).connect(ctx)) {
            assertTrue(client.awaitSynced(Duration.ofSeconds(20)), primary.describe());
            List<String> confirmed = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 300; i++) {
                String key = "/k/" + i;
                client.set(key, b("v" + i)).thenRun(() -> confirmed.add(key));
                if (i == 150) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (confirmed.size() < 100 && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    primary.kill(); // SIGKILL, mid-stream
                }
            }
            backup.awaitErr("clone-server: active", 30);
            client.set("/after", b("failover")).get(30, TimeUnit.SECONDS);
            assertTrue(client.server().endsWith(":" + q), client.server());
            Map<String, byte[]> map = client.entries();
            synchronized (confirmed) {
                assertTrue(confirmed.size() >= 100, "confirmed before the kill: " + confirmed.size());
                for (String key : confirmed) {
                    assertTrue(map.containsKey(key), key + " was confirmed and is kept" + backup.describe());
                }
            }
            CliProcess again = server("--primary", p, q, sp, sp + 1);
            again.awaitErr("clone-server: passive", 30);
            assertTrue(backup.isAlive() && again.isAlive(), "no node failed");
            assertEquals(0, again.terminate(), again.describe());
        }
        assertEquals(0, backup.terminate(), backup.describe());
    }

    @Test
    void aPairServerWithoutItsPeerIsAUsageError() throws Exception {
        CliProcess bad = start("clone-server", "--primary", "--port", "5556");
        assertEquals(2, bad.exitCode(30), bad.describe());
        assertTrue(bad.err().contains("--peer"), bad.describe());
        CliProcess both = start("clone-server", "--primary", "--backup", "--port", "5556", "--peer", "5566",
                "--bstar-local", "tcp://*:5003", "--bstar-remote", "tcp://localhost:5004");
        assertEquals(2, both.exitCode(30), both.describe());
    }
}
