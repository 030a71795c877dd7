package org.zmq4j.tools.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code zmq4j broker}, {@code worker} and {@code call} as real processes: replies on standard
 * output, exit codes, SIGTERM, and a broker killed with SIGKILL and started again.
 */
@Timeout(120)
class MajordomoCommandsTest extends CliTest {

    /** A broker on a free port; its endpoint. */
    private String broker(CliProcess[] holder, String endpoint) throws Exception {
        holder[0] = start("broker", "--bind", endpoint, "--heartbeat-ms", "250");
        return holder[0].awaitErr("broker: listening on (tcp://\\S+)", 30);
    }

    private CliProcess call(String endpoint, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("call", "--connect", endpoint));
        a.addAll(List.of(args));
        CliProcess p = start(a.toArray(String[]::new));
        p.exitCode(60);
        return p;
    }

    @Test
    void echoBothProtocolsThenStopOnSigterm() throws Exception {
        CliProcess[] b = new CliProcess[1];
        String ep = broker(b, "tcp://127.0.0.1:0");
        CliProcess w1 = start("worker", "--connect", ep, "--service", "echo", "--echo", "--heartbeat-ms", "250");
        CliProcess w2 = start("worker", "--connect", ep, "--service", "echo2", "--echo", "--protocol", "mdp02",
                "--heartbeat-ms", "250");
        w1.awaitErr("worker: serving", 30);
        w2.awaitErr("worker: serving", 30);

        CliProcess c1 = call(ep, "--service", "echo", "--timeout-ms", "10000", "hello", "wide world");
        assertEquals(0, c1.exitCode(1), c1.describe());
        assertEquals("hello\nwide world\n", c1.out());
        CliProcess c2 = call(ep, "--service", "echo2", "--protocol", "mdp02", "--timeout-ms", "10000", "é", "");
        assertEquals(0, c2.exitCode(1), c2.describe());
        assertEquals("é\n\n", c2.out());
        CliProcess mmi = call(ep, "--service", "mmi.service", "echo2");
        assertEquals("200\n", mmi.out(), mmi.describe());

        assertEquals(0, w1.terminate(), w1.describe());
        assertTrue(w1.err().contains("worker: stopped by signal after 1 requests"), w1.describe());
        assertEquals(0, w2.terminate(), w2.describe());
        assertEquals(0, b[0].terminate(), b[0].describe());
        assertTrue(b[0].err().contains("broker: stopped by signal"), b[0].describe());
    }

    @Test
    void noReplyExitsNonZeroWithNothingOnStandardOutput() throws Exception {
        CliProcess[] b = new CliProcess[1];
        String ep = broker(b, "tcp://127.0.0.1:0");
        CliProcess c = call(ep, "--service", "nobody", "--timeout-ms", "300", "--retries", "1", "x");
        assertEquals(1, c.exitCode(1), c.describe());
        assertEquals("", c.out());
        assertTrue(c.err().contains("no reply from service 'nobody' after 2 attempts"), c.describe());
    }

    @Test
    void usageErrors() throws Exception {
        CliProcess c = start("call", "--connect", "tcp://127.0.0.1:1", "--service", "x", "--protocol", "mdp03");
        assertEquals(2, c.exitCode(60), c.describe());
        assertTrue(c.err().contains("mdp03"), c.describe());
        CliProcess w = start("worker", "--connect", "tcp://127.0.0.1:1", "--service", "x");
        assertEquals(2, w.exitCode(60), w.describe());
    }

    @Test
    void brokerKilledAndRestartedWorkersComeBackAndCallsSucceed() throws Exception {
        CliProcess[] b = new CliProcess[1];
        String ep = broker(b, "tcp://127.0.0.1:0");
        CliProcess w = start("worker", "--connect", ep, "--service", "echo", "--echo", "--heartbeat-ms", "250");
        w.awaitErr("worker: serving", 30);
        assertEquals("before\n", call(ep, "--service", "echo", "--timeout-ms", "10000", "before").out());

        b[0].kill();
        CliProcess[] again = new CliProcess[1];
        String ep2 = null;
        for (int i = 0; i < 50 && ep2 == null; i++) { // the port frees as the killed process's socket closes
            again[0] = start("broker", "--bind", ep, "--heartbeat-ms", "250");
            try {
                ep2 = again[0].awaitErr("broker: listening on (tcp://\\S+)", 30);
            } catch (AssertionError e) {
                assertTrue(again[0].err().contains("EADDRINUSE"), again[0].describe());
            }
        }
        assertEquals(ep, ep2);
        CliProcess c = call(ep, "--service", "echo", "--timeout-ms", "1000", "--retries", "20", "after");
        assertEquals(0, c.exitCode(1), c.describe() + w.describe());
        assertEquals("after\n", c.out());
        assertTrue(w.err().contains("saying hello again") || w.err().contains("starting over"), w.describe());
    }
}
