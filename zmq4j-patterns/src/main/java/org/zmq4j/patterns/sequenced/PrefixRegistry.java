package org.zmq4j.patterns.sequenced;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The prefixes subscribers announced to a publisher, each with the sequence number of the last
 * message whose topic matched it. The replay thread adds prefixes (copy on write); the publishing
 * thread reads the array and writes the last numbers; the replay thread reads those for STATUS.
 *
 * <p>Thread-safety: {@link #register} from one thread (the replay thread), {@link #current} from
 * any; {@link Tracked#last} is written by the publishing thread only.
 */
final class PrefixRegistry {
    /** A prefix and its last matching sequence number (-1 until the publishing thread takes it on). */
    static final class Tracked {
        final byte[] prefix;
        final AtomicLong last = new AtomicLong(-1);

        Tracked(byte[] prefix) {
            this.prefix = prefix;
        }

        boolean matches(byte[] topic) {
            return PrefixRegistry.startsWith(topic, prefix);
        }
    }

    private final int max;
    private volatile Tracked[] tracked = new Tracked[0];

    PrefixRegistry(int max) {
        this.max = max;
    }

    /** The prefixes now. */
    Tracked[] current() {
        return tracked;
    }

    /** The entry of {@code prefix}, added when new; null when {@code max} prefixes are tracked already. */
    Tracked register(byte[] prefix) {
        Tracked[] now = tracked;
        for (Tracked t : now) {
            if (Arrays.equals(t.prefix, prefix)) {
                return t;
            }
        }
        if (now.length >= max) {
            return null;
        }
        Tracked t = new Tracked(prefix.clone());
        Tracked[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = t;
        tracked = next;
        return t;
    }

    /** How far back {@link #lastMatch} looks at most. */
    static final int MAX_SCAN = 200_000;

    /**
     * The link a prefix starts with when it is learned late: the last message at or below
     * {@code upTo} that {@code retention} keeps and whose topic starts with {@code prefix}. When
     * none is kept: 0 if the retention reaches back to sequence 1 (none in this epoch), else the
     * number just before what was looked at (the oldest kept, or the end of a scan cut at
     * {@link #MAX_SCAN}), so that a subscriber further back asks, and hears what is gone or gets it.
     */
    static long lastMatch(Retention retention, byte[] prefix, long upTo) {
        long first = retention.first();
        long g = upTo;
        for (; g >= first && g >= 1 && upTo - g < MAX_SCAN; g--) {
            Retention.Retained r = retention.get(g);
            if (r == null) {
                break; // dropped meanwhile: older ones are gone too
            }
            if (startsWith(r.topic(), prefix)) {
                return g;
            }
        }
        if (upTo - g >= MAX_SCAN) {
            return g; // not looked at below here: claim one, a subscriber behind it asks
        }
        return first <= 1 ? 0 : Math.min(upTo, first - 1);
    }

    static boolean startsWith(byte[] topic, byte[] prefix) {
        return topic.length >= prefix.length && Arrays.equals(topic, 0, prefix.length, prefix, 0, prefix.length);
    }
}
