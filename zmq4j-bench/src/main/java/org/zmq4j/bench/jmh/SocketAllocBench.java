package org.zmq4j.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * The whole send+receive path through the public API, for the allocation target of issue 7:
 * run with {@code -prof gc} and read gc.alloc.rate.norm (bytes per message, summed over every
 * thread including the I/O thread). The sender reuses one 64-byte array, so on inproc anything
 * above 0 is the library's garbage; over tcp the receiver's new 64-byte array (80 bytes with its
 * header) is the payload the user asked for, and the rest is the library's.
 * <p>
 * One thread sends a batch of 100 messages then receives them (HWM 1000 leaves room), so the
 * time per message mixes both sides and, for tcp, the I/O thread's work; allocation is the figure
 * to read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SocketAllocBench {
    static final int BATCH = 100;

    @Param({"inproc", "tcp"})
    String transport;

    private Context ctx;
    private Socket push;
    private Socket pull;
    private final byte[] payload = new byte[64];

    @Setup
    public void setup() {
        ctx = new Context(1);
        pull = ctx.socket(SocketType.PULL);
        push = ctx.socket(SocketType.PUSH);
        for (Socket s : new Socket[] {push, pull}) {
            s.setOption(Option.SNDHWM, 1000);
            s.setOption(Option.RCVHWM, 1000);
            s.setOption(Option.LINGER, 0);
        }
        if (transport.equals("inproc")) {
            pull.bind("inproc://alloc");
            push.connect("inproc://alloc");
        } else {
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
        }
        push.send(payload);
        pull.recv(); // connected
    }

    @TearDown
    public void tearDown() {
        push.close();
        pull.close();
        ctx.close();
    }

    private final byte[] into = new byte[64];

    /**
     * The same through the copying API ({@code send(buf, off, len, flags)} and
     * {@code recv(buf, off, len, flags)}, zmq_send/zmq_recv): arrays are recycled between the
     * socket and the connection, so the target is 0 B per message on tcp too.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void copySendThenCopyReceive(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            push.send(payload, 0, payload.length, 0);
        }
        for (int i = 0; i < BATCH; i++) {
            bh.consume(pull.recv(into, 0, into.length, 0));
        }
    }

    /** 100 sends then 100 receives of 64 B; score and allocation per message. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void sendThenReceive(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            push.send(payload);
        }
        for (int i = 0; i < BATCH; i++) {
            bh.consume(pull.recv());
        }
    }
}
