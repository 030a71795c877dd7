package org.zmq4j.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;
import org.zmq4j.pipe.Pipe;

/**
 * The pipe between two threads (single producer, single consumer), as between a socket and its
 * engine: one thread writes as fast as HWM allows, the other reads as fast as messages arrive,
 * both spinning (no parking) so the score is the handoff itself: cache-line traffic on the
 * committed counter and HWM accounting. Throughput mode: operations per microsecond per thread.
 * Needs two free CPUs to mean anything.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipeSpscBench {
    @Param({"1000", "0"})
    int hwm;

    private final byte[] payload = new byte[64];
    private Pipe pipe;

    @Setup(Level.Iteration)
    public void setup() {
        pipe = new Pipe(hwm, false); // fresh per iteration: leftovers of the last one do not matter
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void write(Control control) {
        Pipe p = pipe;
        if (hwm == 0 && p.queuedMessages() > 100_000) {
            // unbounded pipe: keep memory bounded when the reader falls behind
            while (p.queuedMessages() > 1_000 && !control.stopMeasurement) {
                Thread.onSpinWait();
            }
        }
        while (!p.hasRoom()) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.onSpinWait();
        }
        p.write(payload, 0);
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public byte[] read(Control control) {
        Pipe p = pipe;
        byte[] f;
        while ((f = p.read()) == null) {
            if (control.stopMeasurement) {
                return null;
            }
            Thread.onSpinWait();
        }
        return f;
    }
}
