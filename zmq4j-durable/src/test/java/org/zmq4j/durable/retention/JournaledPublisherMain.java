package org.zmq4j.durable.retention;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.zmq4j.Context;
import org.zmq4j.durable.journal.FsyncPolicy;
import org.zmq4j.durable.journal.JournalConfig;
import org.zmq4j.patterns.sequenced.SequencedPublisher;

/**
 * The process {@link SequencedCrashTest} kills: a sequenced publisher on a journal that publishes
 * {@code m<sequence>} up to a count, continuing where its journal ends, printing each hundredth
 * sequence number it published, {@code DONE} at the end, then serving replays until its standard
 * input ends.
 * <pre>
 * JournaledPublisherMain JOURNAL_DIR DATA_EP REPLAY_EP COUNT
 * </pre>
 */
public final class JournaledPublisherMain {
    private JournaledPublisherMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long count = Long.parseLong(args[3]);
        JournalConfig config = JournalConfig.builder().policy(FsyncPolicy.os()).build();
        try (Context ctx = new Context();
                SequencedPublisher pub = SequencedPublisher.builder("journaled")
                        .retention(JournalRetention.open(dir, config, 10_000_000)).heartbeat(Duration.ofMillis(100))
                        .bind(ctx, args[1], args[2])) {
            System.out.println("START " + pub.sequence() + " EPOCH " + pub.epoch());
            System.out.flush();
            while (pub.sequence() < count) {
                long s = pub.publish("t", ("m" + (pub.sequence() + 1)).getBytes(StandardCharsets.UTF_8));
                if (s % 100 == 0) {
                    System.out.println("AT " + s);
                    System.out.flush();
                }
                if (s % 10 == 0) {
                    Thread.sleep(1); // a pace a subscriber keeps up with now and then: kills land everywhere
                }
            }
            System.out.println("DONE " + pub.sequence());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve replays until the test closes our input
            }
        }
    }
}
