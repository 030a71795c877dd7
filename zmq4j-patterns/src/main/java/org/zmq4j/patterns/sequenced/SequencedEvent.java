package org.zmq4j.patterns.sequenced;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a {@link SequencedSubscriber} hands the application: a message, in order; a gap that could
 * not be repaired; or a publisher that started a new epoch. Immutable records; thread-safe.
 */
public sealed interface SequencedEvent {
    /** The publisher's id. */
    String publisher();

    /** The epoch the event belongs to. */
    long epoch();

    /**
     * A message, delivered in sequence order among the messages of its publisher and prefix.
     *
     * @param publisher the publisher's id
     * @param epoch     its epoch
     * @param sequence  its sequence number in the epoch
     * @param prefix    the subscribed prefix it matched
     * @param topic     its topic (the first frame)
     * @param payload   its frames after the topic and header
     * @param replayed  whether it came by replay rather than live
     */
    record Message(String publisher, long epoch, long sequence, String prefix, byte[] topic, List<byte[]> payload,
            boolean replayed) implements SequencedEvent {
        /** The topic as UTF-8. */
        public String topicString() {
            return new String(topic, StandardCharsets.UTF_8);
        }

        /** The first payload frame as UTF-8 (empty when there is none). */
        public String text() {
            return payload.isEmpty() ? "" : new String(payload.get(0), StandardCharsets.UTF_8);
        }
    }

    /**
     * Sequence numbers {@code from}..{@code to} of a publisher's epoch fell out of its retention
     * before this subscriber could have them: any message of the prefix among them is lost. Messages
     * after {@code to} follow in order.
     *
     * @param publisher the publisher's id
     * @param epoch     its epoch
     * @param prefix    the subscribed prefix
     * @param from      the first sequence number lost (inclusive)
     * @param to        the last (inclusive)
     */
    record Gap(String publisher, long epoch, String prefix, long from, long to) implements SequencedEvent {
    }

    /**
     * The publisher restarted without its retention: its numbering starts again at 1 in a new epoch,
     * which this subscriber follows from its first message. Not a gap: nothing of the old epoch that
     * was published is missed (if something was, a {@link Gap} of the old epoch comes first).
     *
     * @param publisher     the publisher's id
     * @param epoch         the new epoch
     * @param previousEpoch the epoch followed until now
     */
    record NewEpoch(String publisher, long epoch, long previousEpoch) implements SequencedEvent {
    }
}
