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

    static boolean startsWith(byte[] topic, byte[] prefix) {
        return topic.length >= prefix.length && Arrays.equals(topic, 0, prefix.length, prefix, 0, prefix.length);
    }
}
