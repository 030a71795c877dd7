package org.zmq4j.durable.journal;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link Journal} makes its records durable (fdatasync), and so what a crash can take:
 * <table>
 *   <caption>What each policy survives</caption>
 *   <tr><th>policy</th><th>process crash (kill -9, OOM, JVM abort)</th><th>machine crash (power, kernel panic)</th></tr>
 *   <tr><td>{@link #always()} (the default)</td><td>nothing lost</td><td>nothing lost: every append is on disk
 *       when it returns</td></tr>
 *   <tr><td>{@link #group(Duration)}</td><td>nothing lost: an append is in the OS's page cache when it
 *       returns</td><td>appends of the last moments (at most {@code maxDelay} plus one fsync) may be lost;
 *       nothing reported {@linkplain Journal#durableIndex() durable} is</td></tr>
 *   <tr><td>{@link #os()}</td><td>nothing lost</td><td>anything the OS had not written back yet
 *       (Linux: typically up to 30 s)</td></tr>
 * </table>
 * Durable delivery sends a message only once its record is durable, so under {@code always} and
 * {@code group} a message a receiver acknowledged is never lost by the sender's crash of either kind.
 *
 * <p>Thread-safety: immutable.
 */
public final class FsyncPolicy {
    /** The three policies. */
    public enum Kind {
        /** fdatasync before every append returns */
        ALWAYS,
        /** one fdatasync for everything appended meanwhile, started at most {@code maxDelay} after an append */
        GROUP,
        /** never fdatasync (but when a segment is completed and at close): the OS decides */
        OS
    }

    private static final FsyncPolicy ALWAYS = new FsyncPolicy(Kind.ALWAYS, Duration.ZERO);
    private static final FsyncPolicy OS = new FsyncPolicy(Kind.OS, Duration.ZERO);

    private final Kind kind;
    private final Duration maxDelay;

    private FsyncPolicy(Kind kind, Duration maxDelay) {
        this.kind = kind;
        this.maxDelay = maxDelay;
    }

    /** fdatasync before each append returns: the safe default. */
    public static FsyncPolicy always() {
        return ALWAYS;
    }

    /**
     * Group commit: a background thread makes everything appended so far durable with one fdatasync,
     * starting at most {@code maxDelay} after the first append it covers ({@code Duration.ZERO}: as
     * soon as it can, appends arriving during a sync share the next one).
     *
     * @throws IllegalArgumentException when {@code maxDelay} is negative
     */
    public static FsyncPolicy group(Duration maxDelay) {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must be >= 0: " + maxDelay);
        }
        return new FsyncPolicy(Kind.GROUP, maxDelay);
    }

    /** Never fdatasync on the write path: the OS writes back when it wants. */
    public static FsyncPolicy os() {
        return OS;
    }

    /**
     * Parses {@code always}, {@code os}, {@code group} or {@code group:MILLIS} (the command lines' form).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static FsyncPolicy parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("always")) {
            return always();
        }
        if (t.equals("os")) {
            return os();
        }
        if (t.equals("group")) {
            return group(Duration.ZERO);
        }
        if (t.startsWith("group:")) {
            try {
                return group(Duration.ofMillis(Long.parseLong(t.substring(6))));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("fsync policy " + text + ": group:MILLIS needs a whole number", e);
            }
        }
        throw new IllegalArgumentException("fsync policy " + text + ": expected always, group, group:MILLIS or os");
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#GROUP}: the longest an append waits before its fdatasync starts; zero otherwise. */
    public Duration maxDelay() {
        return maxDelay;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FsyncPolicy p && p.kind == kind && p.maxDelay.equals(maxDelay);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + maxDelay.hashCode();
    }

    @Override
    public String toString() {
        return kind == Kind.GROUP ? "group:" + maxDelay.toMillis() : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
