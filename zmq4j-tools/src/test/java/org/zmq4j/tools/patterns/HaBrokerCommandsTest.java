package org.zmq4j.tools.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code zmq4j broker --primary/--backup}: two broker processes as a Binary Star pair, a worker and
 * {@code call} that know both; the primary killed with SIGKILL, the backup takes over; the primary
 * started again stands by.
 */
@Timeout(120)
class HaBrokerCommandsTest extends CliTest {
    private static String[] freeEndpoints(int n) throws Exception {
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

    private CliProcess broker(String role, String frontend, String stateBind, String stateConnect) throws Exception {
        CliProcess b = start("broker", "--bind", frontend, "--heartbeat-ms", "250", role, "--state-bind", stateBind,
                "--state-connect", stateConnect, "--state-heartbeat-ms", "200");
        b.awaitErr("broker: listening on", 30);
        return b;
    }

    @Test
    void theBackupBrokerTakesOverAndARestartedPrimaryStandsBy() throws Exception {
        String[] ep = freeEndpoints(4);
        CliProcess primary = broker("--primary", ep[0], ep[2], ep[3]);
        CliProcess backup = broker("--backup", ep[1], ep[3], ep[2]);
        primary.awaitErr("broker: active", 30);
        backup.awaitErr("broker: passive", 30);
        CliProcess worker = start("worker", "--connect", ep[0], "--connect", ep[1], "--service", "echo", "--echo",
                "--heartbeat-ms", "250");
        worker.awaitErr("worker: serving", 30);

        CliProcess before = start("call", "--connect", ep[0], "--connect", ep[1], "--service", "echo", "--timeout-ms", "1000",
                "--retries", "20", "before");
        assertEquals(0, before.exitCode(60), before.describe());
        assertEquals("before\n", before.out());

        primary.kill();
        CliProcess after = start("call", "--connect", ep[0], "--connect", ep[1], "--service", "echo", "--timeout-ms", "1000",
                "--retries", "30", "after");
        assertEquals(0, after.exitCode(60), after.describe() + backup.describe() + worker.describe());
        assertEquals("after\n", after.out());
        backup.awaitErr("broker: active", 5);

        CliProcess again = broker("--primary", ep[0], ep[2], ep[3]);
        again.awaitErr("broker: passive", 30);
        assertTrue(backup.isAlive() && again.isAlive(), "no node failed");
        assertEquals(0, again.terminate(), again.describe());
        assertEquals(0, backup.terminate(), backup.describe());
    }
}
