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
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Subscription matching on a real PUB socket with many subscriptions, through the public API only:
 * {@code peers} SUB sockets on inproc share {@code subscriptions} distinct topics ("topic/00042")
 * round-robin. Each send costs what PUB costs an application (reading pending subscriptions,
 * matching the topic, writing to the matching peer's pipe) plus the inproc hand-over and the one
 * SUB's receive that drains it.
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
    private Socket pub;
    private Socket[] subs;
    private byte[][] messages;
    private int[] target;
    private byte[] unmatched;
    private int next;

    @Setup
    public void setup() {
        ctx = new Context(1);
        pub = ctx.socket(SocketType.PUB);
        pub.setOption(Option.SNDHWM, 0);
        pub.setOption(Option.RCVHWM, 0);
        pub.bind("inproc://pub-match");
        subs = new Socket[peers];
        for (int p = 0; p < peers; p++) {
            subs[p] = ctx.socket(SocketType.SUB);
            subs[p].setOption(Option.SNDHWM, 0);
            subs[p].setOption(Option.RCVHWM, 0);
            subs[p].setOption(Option.RCVTIMEO, 5_000);
            subs[p].connect("inproc://pub-match");
        }
        for (int i = 0; i < subscriptions; i++) {
            subs[i % peers].setOption(Option.SUBSCRIBE, topic(i));
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
        pub.send(unmatched); // reads every subscription
        for (int k = 0; k < n; k++) { // check the wiring: each message reaches exactly its subscriber
            pub.send(messages[k]);
            if (subs[target[k]].recv() != messages[k]) {
                throw new IllegalStateException("subscription wiring is wrong for message " + k);
            }
        }
    }

    private static byte[] topic(int i) {
        return String.format("topic/%05d", i).getBytes(StandardCharsets.US_ASCII);
    }

    @TearDown
    public void tearDown() {
        for (Socket sub : subs) {
            sub.close();
        }
        pub.close();
        ctx.close();
    }

    /** A message whose topic one subscriber asked for: match, deliver, receive. */
    @Benchmark
    public byte[] sendMatchingOne() {
        int k = next;
        next = k + 1 == messages.length ? 0 : k + 1;
        pub.send(messages[k]);
        return subs[target[k]].recv();
    }

    /** A message nobody subscribed to: the cost of a send that delivers nothing. */
    @Benchmark
    public boolean sendMatchingNone() {
        return pub.send(unmatched);
    }
}
