package org.zmq4j.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.zmq4j.pipe.Pipe;

/**
 * The pipe on one thread: the cost of a write and a read with no contention, one message at a
 * time and in batches (writeBatched + one flush, as the engine publishes a read's worth of
 * messages). With {@code -prof gc}, gc.alloc.rate.norm shows the pipe's own garbage per message
 * (the payload is preallocated here, so anything above 0 is the pipe's).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipeBench {
    static final int BATCH = 100;

    private final byte[] payload = new byte[64];
    private Pipe pipe;

    @Setup
    public void setup() {
        pipe = new Pipe(1000, false);
    }

    /** One message written (published, reader woken) then read. */
    @Benchmark
    public byte[] writeThenRead() {
        pipe.write(payload, 0);
        return pipe.read();
    }

    /** 100 messages appended, one flush, 100 reads; score per message. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batchedWriteThenRead(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            pipe.writeBatched(payload, 0);
        }
        pipe.flush();
        for (int i = 0; i < BATCH; i++) {
            bh.consume(pipe.read());
        }
    }

    /** A two-frame message (MORE then last) written then read; score per message. */
    @Benchmark
    public void multipartWriteThenRead(Blackhole bh) {
        pipe.write(payload, Pipe.MORE);
        pipe.write(payload, 0);
        bh.consume(pipe.read());
        bh.consume(pipe.read());
    }
}
