package org.zmq4j.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.pattern.SocketBase;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * Subscription matching on a real PUB socket with many subscriptions. The subscription trie is
 * package-private, so the benchmark attaches its own peers to the socket (the public
 * {@link SocketBase#peerAttached} an I/O thread would call, with pipes it owns) and writes
 * subscription frames into their inbound pipes, exactly as an engine does. Each send then costs
 * what PUB costs an application: reading pending subscriptions, matching the topic, writing to
 * the matching peers' pipes. The benchmark drains the one pipe that matched.
 * <p>
 * {@code peers} subscribers share {@code subscriptions} distinct topics ("topic/00042") round-robin.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PubMatchBench {
    @Param({"1", "10", "100"})
    int peers;

    @Param({"100", "10000"})
    int subscriptions;

    private Context ctx;
    private SocketBase pub;
    private Peer[] peerArray;
    private byte[][] messages;
    private int[] target;
    private byte[] unmatched;
    private int next;

    @Setup
    public void setup() {
        ctx = new Context(1);
        pub = (SocketBase) ctx.socket(SocketType.PUB);
        peerArray = new Peer[peers];
        for (int p = 0; p < peers; p++) {
            peerArray[p] = new Peer(new Pipe(0, false), new Pipe(0, false), "bench-" + p);
            pub.peerAttached(peerArray[p]);
        }
        for (int i = 0; i < subscriptions; i++) {
            byte[] topic = topic(i);
            byte[] frame = new byte[topic.length + 1];
            frame[0] = 1;
            System.arraycopy(topic, 0, frame, 1, topic.length);
            peerArray[i % peers].in().write(frame, Pipe.SUBSCRIBE);
        }
        int n = Math.min(subscriptions, 1024);
        messages = new byte[n][];
        target = new int[n];
        for (int k = 0; k < n; k++) {
            int i = (int) ((long) k * subscriptions / n);
            byte[] m = new byte[64];
            byte[] t = topic(i);
            System.arraycopy(t, 0, m, 0, t.length);
            messages[k] = m;
            target[k] = i % peers;
        }
        unmatched = new byte[64];
        unmatched[0] = 'z';
        pub.send(unmatched); // attaches the peers and reads every subscription
        for (int k = 0; k < n; k++) { // check the wiring: each message reaches exactly its subscriber
            pub.send(messages[k]);
            if (peerArray[target[k]].out().read() != messages[k]) {
                throw new IllegalStateException("subscription wiring is wrong for message " + k);
            }
        }
    }

    private static byte[] topic(int i) {
        return String.format("topic/%05d", i).getBytes(StandardCharsets.US_ASCII);
    }

    @TearDown
    public void tearDown() {
        pub.close();
        ctx.close();
    }

    /** A message whose topic one subscriber asked for: match, deliver, drain. */
    @Benchmark
    public byte[] sendMatchingOne() {
        int k = next;
        next = k + 1 == messages.length ? 0 : k + 1;
        pub.send(messages[k]);
        return peerArray[target[k]].out().read();
    }

    /** A message nobody subscribed to: the cost of a send that delivers nothing. */
    @Benchmark
    public boolean sendMatchingNone() {
        return pub.send(unmatched);
    }
}
