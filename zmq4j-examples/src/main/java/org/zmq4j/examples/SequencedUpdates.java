package org.zmq4j.examples;

import java.time.Duration;

import org.zmq4j.Context;
import org.zmq4j.patterns.sequenced.MemoryRetention;
import org.zmq4j.patterns.sequenced.SequencedEvent;
import org.zmq4j.patterns.sequenced.SequencedPublisher;
import org.zmq4j.patterns.sequenced.SequencedSubscriber;
import org.zmq4j.patterns.sequenced.StartAt;

/**
 * Sequenced publish-subscribe: a publisher numbers its messages and keeps the last 100; a
 * subscriber that joins late asks for the last 5 of its prefix; one that asks for everything from
 * sequence 1 hears exactly which numbers fell out of the retention, then gets the rest in order;
 * a subscriber whose data socket is too small to keep up (RCVHWM 1) still gets every message, by
 * replay.
 */
public final class SequencedUpdates {
    private SequencedUpdates() {
    }

    public static void main(String[] args) throws Exception {
        try (Context ctx = new Context();
                SequencedPublisher pub = SequencedPublisher.builder("weather").retention(new MemoryRetention(100, 1 << 20))
                        .sndhwm(1).bind(ctx, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*")) {
            for (int i = 1; i <= 300; i++) {
                pub.publish(i % 2 == 0 ? "temp.paris" : "wind.paris", ("reading " + i).getBytes());
            }
            try (SequencedSubscriber late = subscriber(ctx, pub, "temp.", StartAt.last(5));
                    SequencedSubscriber all = subscriber(ctx, pub, "", StartAt.from(1))) {
                System.out.println("late joiner, last 5 of temp.:");
                print(late, 5);
                System.out.println("from sequence 1 with a retention of 100:");
                SequencedEvent first = all.receive(Duration.ofSeconds(10));
                System.out.println("  " + first);
                long next = first instanceof SequencedEvent.Gap g ? g.to() + 1 : 1;
                int n = 0;
                long lastSeq = 0;
                SequencedEvent e;
                while (n < 100 && (e = all.receive(Duration.ofSeconds(10))) instanceof SequencedEvent.Message m
                        && m.sequence() == next + n) {
                    n++;
                    lastSeq = m.sequence();
                }
                System.out.println("  then " + n + " messages in order, up to #" + lastSeq);
            }
        }
        try (Context ctx = new Context();
                SequencedPublisher alerts = SequencedPublisher.builder("alerts").retention(new MemoryRetention(10_000, 1 << 24))
                        .sndhwm(1).bind(ctx, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
                SequencedSubscriber slow = SequencedSubscriber.builder().subscribe("").rcvhwm(1)
                        .connect(ctx, alerts.dataEndpoint(), alerts.replayEndpoint())) {
            while (alerts.subscribers() < 1 && slow.receive(Duration.ofMillis(10)) == null) {
                // until the publisher greeted it: its stream starts there
            }
            for (int i = 0; i < 2000; i++) {
                alerts.publish("storm", ("alert " + i).getBytes()); // far beyond both HWMs of 1
            }
            long expect = 1;
            SequencedEvent e;
            while (expect <= 2000 && (e = slow.receive(Duration.ofSeconds(10))) instanceof SequencedEvent.Message m
                    && m.sequence() == expect) {
                expect++;
            }
            System.out.println("a subscriber with RCVHWM 1 got #1..#" + (expect - 1) + " of 2000 in order ("
                    + slow.replayed() + " by replay)");
        }
    }

    private static SequencedSubscriber subscriber(Context ctx, SequencedPublisher pub, String prefix, StartAt start) {
        return SequencedSubscriber.builder().subscribe(prefix, start).connect(ctx, pub.dataEndpoint(), pub.replayEndpoint());
    }

    private static void print(SequencedSubscriber sub, int n) {
        for (int i = 0; i < n; i++) {
            SequencedEvent e = sub.receive(Duration.ofSeconds(10));
            if (e instanceof SequencedEvent.Message m) {
                System.out.println("  #" + m.sequence() + " " + m.topicString() + ": " + m.text());
            } else {
                System.out.println("  " + e);
            }
        }
    }
}
