package org.zmq4j.tools.oneliners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.tools.patterns.CliProcess;

/**
 * The perf commands' peer wait, as real processes: "waiting for peer on EP" on standard error while
 * no peer is there, exit code 3 after {@code --timeout}, and standard output unchanged when the
 * peer comes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PerfPeerWaitTest extends ProcessTest {
    private static final long WAIT = 30;

    @Test
    void remoteCommandsGiveUpOnAPortWithNothingListening() throws Exception {
        String dead = OneLinerCommandsTest.deadEndpoint();
        CliProcess thr = start("perf", "remote-thr", dead, "10", "10", "--timeout", "800");
        CliProcess lat = start("perf", "remote-lat", dead, "10", "10", "--timeout", "1s");
        for (CliProcess p : new CliProcess[] {thr, lat}) {
            assertEquals(ExitCodes.TIMEOUT, p.exitCode(WAIT), p.describe());
            assertTrue(p.err().contains(": waiting for peer on " + dead), p.describe());
            assertTrue(p.err().contains(": timed out after "), p.describe());
            assertTrue(p.err().contains(" ms waiting for peer on " + dead), p.describe());
            assertTrue(p.out().isEmpty(), p.describe());
        }
        assertTrue(thr.err().contains("remote-thr: timed out after 800 ms"), thr.describe());
    }

    @Test
    void localCommandsGiveUpWhenNoRemoteComes() throws Exception {
        CliProcess thr = start("perf", "local-thr", "tcp://127.0.0.1:*", "10", "10", "--timeout", "700");
        CliProcess lat = start("perf", "local-lat", "tcp://127.0.0.1:*", "10", "10", "--timeout", "700");
        for (CliProcess p : new CliProcess[] {thr, lat}) {
            assertEquals(ExitCodes.TIMEOUT, p.exitCode(WAIT), p.describe());
            assertTrue(p.err().matches("(?s)bound to tcp://127\\.0\\.0\\.1:\\d+\\n.*waiting for peer on tcp://127\\.0\\.0\\.1:\\d+\\n.*"),
                    p.describe());
            assertTrue(p.err().contains("timed out after 700 ms waiting for peer on tcp://127.0.0.1:"), p.describe());
        }
    }

    @Test
    void localThrWaitsVisiblyThenMeasuresWhenRemoteThrComes() throws Exception {
        CliProcess local = start("perf", "local-thr", "tcp://127.0.0.1:*", "100", "1000");
        String ep = local.awaitErr("bound to (tcp://\\S+)", WAIT);
        local.awaitErr("local-thr: waiting for peer on " + ep.replace(".", "\\."), WAIT);
        CliProcess remote = start("perf", "remote-thr", ep, "100", "1000");
        assertEquals(0, remote.exitCode(WAIT), remote.describe());
        assertEquals(0, local.exitCode(WAIT), local.describe());
        assertTrue(local.out().startsWith("message size: 100 [B]\nmessage count: 1000\nmean throughput: "), local.describe());
        assertTrue(remote.out().isEmpty(), remote.describe());
        assertFalse(remote.err().contains("timed out"), remote.describe());
    }
}
