package org.zmq4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class CpuSamplerTest {

    @Test
    void statLinesAreReadAfterTheLastParenthesisOfTheName() {
        String stat = "42 (GC Thread#0) x) S 1 1 1 0 -1 4194368 10 0 0 0 77 88 0 0 20 0 1 0 12345";
        assertArrayEquals(new long[] {77, 88}, CpuSampler.parseTicks(stat));
        assertNull(CpuSampler.parseTicks("garbage"));
    }

    @Test
    void threadsAreGroupedByRole() {
        assertEquals("io", CpuSampler.role("zmq4j-io-0", false));
        assertEquals("io", CpuSampler.role("iothread-2", false));
        assertEquals("io", CpuSampler.role("ZMQbg/IO/0", false));
        assertEquals("gc", CpuSampler.role("GC Thread#1", false));
        assertEquals("gc", CpuSampler.role("G1 Conc#0", false));
        assertEquals("app", CpuSampler.role("java", false));
        assertEquals("app", CpuSampler.role("pusher", false));
        assertEquals("app", CpuSampler.role("zmq_thr_recv", true));
        assertEquals("other", CpuSampler.role("C2 CompilerThre", false));
    }

    @Test
    void aSpinningThreadsTimeIsAttributedToItsRoleAsTheJvmCountsIt() throws Exception {
        assumeTrue(CpuSampler.available(), "needs /proc");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        AtomicLong cpuNs = new AtomicLong();
        AtomicLong wallNs = new AtomicLong();
        Thread spinner = new Thread(() -> {
            long t0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            long x = 0;
            while (System.nanoTime() - t0 < 1_500_000_000L) {
                x += x * 31 + 7; // keep the CPU busy
            }
            cpuNs.set(mx.getCurrentThreadCpuTime() - c0 + (x == 42 ? 1 : 0));
            wallNs.set(System.nanoTime() - t0);
        }, "zmq4j-io-probe");
        long began = System.nanoTime();
        // the spinner first: a thread the sampler's first snapshot misses is left out of the figures
        // (by design), and a sampler started first could take that snapshot before the spinner exists
        spinner.start();
        try (CpuSampler sampler = new CpuSampler(Map.of("proc", ProcessHandle.current().pid()))) {
            spinner.join(10_000);
            long end = System.nanoTime();
            // pretend 1000 messages per second were received over the whole spin
            Map<String, double[]> perMessage = sampler.perMessage(end, end - began, 1000);
            assertNotNull(perMessage, "two snapshots at least 0.5 s apart inside the window");
            double[] io = perMessage.get("proc io");
            double sampledShare = (io[0] + io[1]) / 1000.0; // CPU us per message / us per message
            double jvmShare = (double) cpuNs.get() / wallNs.get();
            assertTrue(jvmShare > 0.05, "the spinner got some CPU: " + jvmShare);
            assertTrue(Math.abs(sampledShare - jvmShare) < 0.25 * jvmShare + 0.05,
                    "sampled " + sampledShare + " of a CPU, the JVM counted " + jvmShare);
        }
    }
}
