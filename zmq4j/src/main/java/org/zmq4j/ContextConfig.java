package org.zmq4j;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Context} runs: its I/O threads and the waiting and writing policies of its sockets,
 * validated once when {@link Builder#build()} concludes it. Immutable and thread-safe.
 * <pre>{@code
 * Context ctx = new Context(ContextConfig.builder().ioThreads(2).directWrites(false).build());
 * }</pre>
 * The defaults are the measured best on small machines (see docs/performance.md). Each policy can
 * also be set for the whole JVM with a system property, read here and nowhere else; a value set on
 * the builder wins over the property:
 * <table>
 * <caption>System properties</caption>
 * <tr><th>property</th><th>builder method</th><th>default</th></tr>
 * <tr><td>{@code zmq4j.spinMicros}</td><td>{@link Builder#spin}</td><td>0 (park at once)</td></tr>
 * <tr><td>{@code zmq4j.inprocSpinMicros}</td><td>{@link Builder#inprocSpin}</td><td>30 µs, 0 with one CPU</td></tr>
 * <tr><td>{@code zmq4j.directWriteIdleMicros}</td><td>{@link Builder#directWriteIdle} (negative: off)</td><td>20 µs</td></tr>
 * <tr><td>{@code zmq4j.ioYield}</td><td>{@link Builder#ioYield}</td><td>true only with one CPU</td></tr>
 * </table>
 */
public final class ContextConfig {
    /** Default number of I/O threads (as libzmq: 1). */
    public static final int DEFAULT_IO_THREADS = 1;

    private final int ioThreads;
    private final long spinNanos;
    private final long inprocSpinNanos;
    private final long directWriteIdleNanos;
    private final boolean ioYield;
    private final Duration linger;

    private ContextConfig(Builder b) {
        this.ioThreads = b.ioThreads;
        this.spinNanos = b.spin.toNanos();
        this.inprocSpinNanos = b.inprocSpin.toNanos();
        this.directWriteIdleNanos = b.directWriteIdle == null ? -1 : b.directWriteIdle.toNanos();
        this.ioYield = b.ioYield;
        this.linger = b.linger;
    }

    /** The defaults, with the system properties above applied. */
    public static ContextConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults (system properties applied). */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of I/O threads; connections are spread over them. */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * How long a blocking call busy-waits before parking, on sockets that use I/O threads: a reply
     * arriving within it costs no park/unpark. Zero by default: on two CPUs the spin takes the CPU
     * the I/O thread needs (docs/performance.md has the measurements).
     */
    public Duration spin() {
        return Duration.ofNanos(spinNanos);
    }

    /**
     * How long a blocking call busy-waits on a socket whose peers are all inproc: no I/O thread
     * needs that CPU, and a wake-up across CPUs costs tens of microseconds on a virtual machine.
     * Zero when the process may use one CPU only, where the spinner would keep its peer waiting.
     */
    public Duration inprocSpin() {
        return Duration.ofNanos(inprocSpinNanos);
    }

    /**
     * How long a connection's output must have been idle before a sending thread writes a message
     * to the channel itself instead of waking the I/O thread; empty when direct writes are off.
     */
    public java.util.Optional<Duration> directWriteIdle() {
        return directWriteIdleNanos < 0 ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofNanos(directWriteIdleNanos));
    }

    /**
     * Whether an I/O thread yields once before blocking after a round with events: with one CPU
     * the woken application thread queues its next request first, saving a sleep and a wake-up.
     */
    public boolean ioYield() {
        return ioYield;
    }

    /**
     * The LINGER every new socket of the context starts with, when set ({@link Builder#linger});
     * empty: libzmq's default, -1 (a closed socket's queued messages wait for their peer forever, and
     * so does {@link Context#close()}).
     */
    public java.util.Optional<Duration> linger() {
        return java.util.Optional.ofNullable(linger);
    }

    @Override
    public String toString() {
        return "ContextConfig[ioThreads=" + ioThreads + ", spin=" + spinNanos / 1000 + "us, inprocSpin=" + inprocSpinNanos / 1000
                + "us, directWriteIdle=" + (directWriteIdleNanos < 0 ? "off" : directWriteIdleNanos / 1000 + "us")
                + ", ioYield=" + ioYield + (linger == null ? "" : ", linger=" + linger.toMillis() + "ms") + "]";
    }

    /** Collects settings; {@link #build()} validates them all at once. Not thread-safe. */
    public static final class Builder {
        private int ioThreads = DEFAULT_IO_THREADS;
        private Duration spin = Duration.ofNanos(Overrides.micros("zmq4j.spinMicros", 0) * 1000);
        private Duration inprocSpin = Runtime.getRuntime().availableProcessors() < 2 ? Duration.ZERO
                : Duration.ofNanos(Overrides.micros("zmq4j.inprocSpinMicros", 30) * 1000);
        private Duration directWriteIdle = Overrides.micros("zmq4j.directWriteIdleMicros", 20) < 0 ? null
                : Duration.ofNanos(Overrides.micros("zmq4j.directWriteIdleMicros", 20) * 1000);
        private boolean ioYield = Overrides.bool("zmq4j.ioYield", Runtime.getRuntime().availableProcessors() < 2);
        private Duration linger;

        private Builder() {
        }

        /**
         * @param n number of I/O threads, at least 1
         * @return this builder
         */
        public Builder ioThreads(int n) {
            this.ioThreads = n;
            return this;
        }

        /**
         * @param d busy-wait before parking on sockets served by I/O threads (zero: park at once)
         * @return this builder
         */
        public Builder spin(Duration d) {
            this.spin = Objects.requireNonNull(d, "spin");
            return this;
        }

        /**
         * @param d busy-wait before parking on sockets whose peers are all inproc
         * @return this builder
         */
        public Builder inprocSpin(Duration d) {
            this.inprocSpin = Objects.requireNonNull(d, "inprocSpin");
            return this;
        }

        /**
         * @param d idle time after which a sending thread writes to a connection itself; null turns
         *          direct writes off
         * @return this builder
         */
        public Builder directWriteIdle(Duration d) {
            this.directWriteIdle = d;
            return this;
        }

        /**
         * @param on whether sending threads may write to idle connections themselves
         * @return this builder
         */
        public Builder directWrites(boolean on) {
            this.directWriteIdle = on ? Duration.ofNanos(20_000) : null;
            return this;
        }

        /**
         * @param on whether I/O threads yield once before blocking after a busy round
         * @return this builder
         */
        public Builder ioYield(boolean on) {
            this.ioYield = on;
            return this;
        }

        /**
         * The LINGER of every socket the context makes (each socket can still set its own): how long
         * queued messages may wait for delivery after the socket closes, and so how long
         * {@link Context#close()} may wait for them. JeroMQ's {@code ZContext.setLinger} and pyzmq's
         * {@code Context.linger}.
         *
         * @param d zero drops queued messages at close; null restores libzmq's default (-1, forever)
         * @return this builder
         */
        public Builder linger(Duration d) {
            this.linger = d;
            return this;
        }

        /**
         * Validates every setting and makes the configuration.
         *
         * @return the configuration
         * @throws ZmqException EINVAL naming the first setting out of range
         */
        public ContextConfig build() {
            if (ioThreads < 1) {
                throw new ZmqException(ZmqException.Errno.EINVAL, "ioThreads must be at least 1, got " + ioThreads);
            }
            requireNotNegative("spin", spin);
            requireNotNegative("inprocSpin", inprocSpin);
            if (directWriteIdle != null) {
                requireNotNegative("directWriteIdle", directWriteIdle);
            }
            if (linger != null) {
                requireNotNegative("linger", linger);
                if (linger.toMillis() > Integer.MAX_VALUE) {
                    throw new ZmqException(ZmqException.Errno.EINVAL, "linger must fit LINGER's int milliseconds, got " + linger);
                }
            }
            return new ContextConfig(this);
        }

        private static void requireNotNegative(String name, Duration d) {
            if (d.isNegative()) {
                throw new ZmqException(ZmqException.Errno.EINVAL, name + " must not be negative, got " + d);
            }
        }
    }

    /** The system properties that override the defaults for the whole JVM: read here only. */
    private static final class Overrides {
        private Overrides() {
        }

        static long micros(String property, long otherwise) {
            String v = System.getProperty(property);
            if (v == null) {
                return otherwise;
            }
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new ZmqException(ZmqException.Errno.EINVAL, "system property " + property + " must be a whole number of"
                        + " microseconds, got '" + v + "'");
            }
        }

        static boolean bool(String property, boolean otherwise) {
            String v = System.getProperty(property);
            return v == null ? otherwise : Boolean.parseBoolean(v.trim());
        }
    }
}
