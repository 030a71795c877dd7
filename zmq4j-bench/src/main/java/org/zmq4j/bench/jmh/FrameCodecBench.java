package org.zmq4j.bench.jmh;

import java.nio.ByteBuffer;
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
import org.zmq4j.wire.FrameDecoder;
import org.zmq4j.wire.FrameEncoder;
import org.zmq4j.wire.ProtocolException;

/**
 * The ZMTP codec on its own: decoding a 64 KiB read buffer full of frames (what the engine does
 * after each read) and encoding frames into a 64 KiB write buffer. Scores are per frame
 * (OperationsPerInvocation = frames per buffer); with {@code -prof gc}, gc.alloc.rate.norm is the
 * garbage per frame (the decoder allocates each body: that is the payload the user receives).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBench {
    static final int BUFFER = 64 * 1024;
    /** 64 KiB / (2-byte header + 64-byte body). */
    static final int FRAMES_64 = BUFFER / (2 + 64);
    /** 64 KiB / (2-byte header + 1-byte body). */
    static final int FRAMES_1 = BUFFER / (2 + 1);
    /** 64 KiB / (9-byte header + 1024-byte body). */
    static final int FRAMES_1K = BUFFER / (9 + 1024);

    private ByteBuffer frames64;
    private ByteBuffer frames1;
    private ByteBuffer frames1k;
    private final ByteBuffer out = ByteBuffer.allocate(BUFFER);
    private final byte[] body64 = new byte[64];
    private FrameDecoder decoder;

    @Setup
    public void setup() {
        frames64 = fill(64, FRAMES_64);
        frames1 = fill(1, FRAMES_1);
        frames1k = fill(1024, FRAMES_1K);
        decoder = new FrameDecoder(-1);
    }

    private static ByteBuffer fill(int size, int count) {
        ByteBuffer b = ByteBuffer.allocate(BUFFER);
        byte[] body = new byte[size];
        for (int i = 0; i < count; i++) {
            FrameEncoder.putHeader(b, size, false, false);
            b.put(body);
        }
        b.flip();
        return b;
    }

    private int decodeAll(ByteBuffer in, Blackhole bh) throws ProtocolException {
        in.rewind();
        int n = 0;
        while (decoder.decode(in)) {
            bh.consume(decoder.body());
            n++;
        }
        return n;
    }

    /** Decodes a 64 KiB buffer of 64 B frames; score per frame. */
    @Benchmark
    @OperationsPerInvocation(FRAMES_64)
    public int decode64B(Blackhole bh) throws ProtocolException {
        return decodeAll(frames64, bh);
    }

    /** Decodes a 64 KiB buffer of 1 B frames; score per frame. */
    @Benchmark
    @OperationsPerInvocation(FRAMES_1)
    public int decode1B(Blackhole bh) throws ProtocolException {
        return decodeAll(frames1, bh);
    }

    /** Decodes a 64 KiB buffer of 1 KiB frames; score per frame. */
    @Benchmark
    @OperationsPerInvocation(FRAMES_1K)
    public int decode1KiB(Blackhole bh) throws ProtocolException {
        return decodeAll(frames1k, bh);
    }

    /** Encodes 64 B frames (header + body copy, as the engine's write path) into a 64 KiB buffer; score per frame. */
    @Benchmark
    @OperationsPerInvocation(FRAMES_64)
    public int encode64B() {
        out.clear();
        for (int i = 0; i < FRAMES_64; i++) {
            FrameEncoder.putHeader(out, body64.length, false, false);
            out.put(body64);
        }
        return out.position();
    }
}
