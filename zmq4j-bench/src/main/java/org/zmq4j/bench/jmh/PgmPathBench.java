package org.zmq4j.bench.jmh;

import java.util.List;
import java.util.SplittableRandom;
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
import org.zmq4j.pgm.PgmPacket;
import org.zmq4j.pgm.PgmReceiver;
import org.zmq4j.pgm.PgmSource;
import org.zmq4j.pgm.PgmTransmitWindow;

/**
 * The epgm data path without sockets, per 64-byte message: a publisher's session framing
 * {@link #MESSAGES} messages into full packets (numbered, kept for repair, checksummed), and a
 * subscriber's receiver reading such packets back into messages (checksum, order, framing). What
 * the library spends per message once the kernel's share is taken out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PgmPathBench {
    /** Messages per invocation: about 20 full packets of 64-byte messages. */
    static final int MESSAGES = 430;
    private static final byte[] HERE = {127, 0, 0, 1};
    private static final byte[] GROUP = {(byte) 239, (byte) 192, 1, 1};

    private final List<byte[]> message = List.of(new byte[64]);
    private PgmSource source;
    private byte[] spm;
    private List<byte[]> packets;
    private long clock;

    /** Where the receiver's messages go. */
    private static final class Sink implements PgmReceiver.Output {
        private final Blackhole bh;

        Sink(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void message(PgmPacket.Tsi from, List<byte[]> frames) {
            bh.consume(frames);
        }

        @Override
        public void unicast(byte[] datagram, byte[] address) {
            bh.consume(datagram);
        }

        @Override
        public void multicast(byte[] datagram) {
            bh.consume(datagram);
        }
    }

    @Setup
    public void setup() {
        source = newSource();
        PgmSource feeder = newSource();
        spm = feeder.start().get(0);
        for (int i = 0; i < MESSAGES; i++) {
            feeder.queue(message);
        }
        packets = feeder.flush(0, true);
    }

    private static PgmSource newSource() {
        return new PgmSource(new PgmPacket.Tsi(new byte[] {1, 2, 3, 4, 5, 6}, 4242), 5555, HERE, GROUP, new PgmTransmitWindow(80), 0);
    }

    /** Framing, numbering, keeping for repair and checksumming, per message. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void send(Blackhole bh) {
        for (int i = 0; i < MESSAGES; i++) {
            source.queue(message);
            if (source.queuedBytes() >= source.packetRoom()) {
                bh.consume(source.flush(clock, false));
            }
        }
        clock++;
    }

    /** Checking, ordering and decoding the packets into messages, per message (a fresh receiver each time, joined by an SPM). */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void receive(Blackhole bh) {
        Sink sink = new Sink(bh);
        PgmReceiver receiver = new PgmReceiver(5555, GROUP, PgmReceiver.Settings.libzmq(80, -1), new SplittableRandom(1));
        receiver.onDatagram(spm, 0, spm.length, 0, sink);
        for (byte[] p : packets) {
            receiver.onDatagram(p, 0, p.length, 0, sink);
        }
    }
}
