package org.zmq4j.tools.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The perf subcommands' arguments, and the local/remote pairs run against each other in-process. */
class PerfCommandLineTest {
    private static final int USAGE_ERROR = 2;

    @Test
    void perfWithoutSubcommandIsAUsageError() {
        CommandRun run = CommandRun.of("perf");
        assertEquals(USAGE_ERROR, run.exitCode(), run::describe);
        assertTrue(run.err().contains("demo"), run::describe);
    }

    @Test
    void helpListsEverySubcommand() {
        CommandRun run = CommandRun.of("perf", "--help");
        assertEquals(0, run.exitCode(), run::describe);
        for (String name : List.of("demo", "local-thr", "remote-thr", "local-lat", "remote-lat")) {
            assertTrue(run.out().contains(name), () -> name + " missing in\n" + run.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "perf local-thr tcp://127.0.0.1:5555 64 0",
        "perf remote-thr tcp://127.0.0.1:5555 -1 10",
        "perf local-lat tcp://127.0.0.1:5555 64",
        "perf remote-lat tcp://127.0.0.1:5555 64 ten",
        "perf demo --thr-count 0",
        "perf demo --hwm -1",
        "perf demo --io-threads 0",
        "perf demo --timeout 0"})
    void badArgumentsAreUsageErrors(String commandLine) {
        CommandRun run = CommandRun.of(commandLine.split(" "));
        assertEquals(USAGE_ERROR, run.exitCode(), run::describe);
        assertTrue(run.out().isEmpty(), run::describe);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void localThrReportsWhatRemoteThrSent() throws Exception {
        String port = String.valueOf(freePort());
        Peer<CommandRun> local = Peer.call("local-thr",
                () -> CommandRun.of("perf", "local-thr", "tcp://127.0.0.1:" + port, "100", "5000"));
        CommandRun remote = CommandRun.of("perf", "remote-thr", "tcp://127.0.0.1:" + port, "100", "5000");
        CommandRun run = local.await(60_000);

        assertEquals(0, remote.exitCode(), remote::describe);
        assertEquals(0, run.exitCode(), run::describe);
        List<String> lines = run.outLines();
        assertEquals(4, lines.size(), run::describe);
        assertEquals("message size: 100 [B]", lines.get(0));
        assertEquals("message count: 5000", lines.get(1));
        assertTrue(lines.get(2).matches("mean throughput: \\d+ \\[msg/s\\]"), lines.get(2));
        assertTrue(lines.get(3).matches("mean throughput: \\d+\\.\\d{3} \\[Mb/s\\]"), lines.get(3));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void remoteLatReportsLatencyAndPercentiles() throws Exception {
        String port = String.valueOf(freePort());
        Peer<CommandRun> local = Peer.call("local-lat",
                () -> CommandRun.of("perf", "local-lat", "tcp://127.0.0.1:" + port, "32", "500"));
        CommandRun run = CommandRun.of("perf", "remote-lat", "tcp://127.0.0.1:" + port, "32", "500");
        CommandRun echo = local.await(60_000);

        assertEquals(0, echo.exitCode(), echo::describe);
        assertEquals(0, run.exitCode(), run::describe);
        List<String> lines = run.outLines();
        assertEquals(6, lines.size(), run::describe);
        assertEquals("message size: 32 [B]", lines.get(0));
        assertEquals("roundtrip count: 500", lines.get(1));
        assertTrue(lines.get(2).matches("average latency: \\d+\\.\\d{3} \\[us\\]"), lines.get(2));
        assertTrue(lines.get(3).matches("roundtrip latency p50: \\d+\\.\\d{3} \\[us\\]"), lines.get(3));
        assertTrue(lines.get(4).matches("roundtrip latency p99: \\d+\\.\\d{3} \\[us\\]"), lines.get(4));
        assertTrue(lines.get(5).matches("roundtrip latency p99\\.9: \\d+\\.\\d{3} \\[us\\]"), lines.get(5));
    }

    /** A loopback port that was free a moment ago (the OS hands out ports in sequence, not at random). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
