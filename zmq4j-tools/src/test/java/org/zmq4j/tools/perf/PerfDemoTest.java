package org.zmq4j.tools.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Smoke test of {@code zmq4j perf demo} with tiny counts, run in-process through picocli. */
class PerfDemoTest {
    private static final String NUMBER = "\\d+\\.\\d{3}";

    @ParameterizedTest(name = "perf demo {0}")
    @CsvSource(delimiter = '|', value = {
        "--lat-warmup 50                          | io-threads 1 per side, hwm 1000",
        "--lat-warmup 50 --hwm 10 --io-threads 2  | io-threads 2 per side, hwm 10",
        "--lat-warmup 0 --thr-size 0 --lat-size 0 | io-threads 1 per side, hwm 1000"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void printsTheResultTable(String options, String expectedSettings) {
        String tiny = "perf demo --thr-count 5000 --lat-count 300 --timeout 30 " + options;
        CommandRun run = CommandRun.of(tiny.split("\\s+"));

        assertEquals(0, run.exitCode(), run::describe);
        List<String> lines = run.outLines();
        assertEquals(7, lines.size(), run::describe);
        assertEquals("zmq4j perf demo over tcp://127.0.0.1:* (" + expectedSettings + ")", lines.get(0));
        assertMatches("test +result", lines.get(1));
        assertMatches("throughput, 5000 x \\d+ B +\\d+ msg/s, " + NUMBER + " Mb/s", lines.get(2));
        assertMatches("latency, 300 x \\d+ B +" + NUMBER + " us one-way \\(average\\)", lines.get(3));
        assertMatches("round trip p50 +" + NUMBER + " us", lines.get(4));
        assertMatches("round trip p99 +" + NUMBER + " us", lines.get(5));
        assertMatches("round trip p99\\.9 +" + NUMBER + " us", lines.get(6));
    }

    private static void assertMatches(String regex, String line) {
        assertTrue(line.matches(regex), () -> "'" + line + "' does not match /" + regex + "/");
    }
}
