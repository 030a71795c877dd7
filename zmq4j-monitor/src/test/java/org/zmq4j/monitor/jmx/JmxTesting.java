package org.zmq4j.monitor.jmx;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling and unique names for the JMX tests (the platform MBeanServer is shared). */
final class JmxTesting {
    private static final AtomicLong NEXT = new AtomicLong();

    private JmxTesting() {
    }

    /** A Context name no other test of this JVM uses, with characters that need quoting. */
    static String uniqueName(String prefix) {
        return prefix + ",\"" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet() + "\"*?";
    }

    /** Calls {@code step} then checks {@code done}, every 10 ms, until it holds or {@code timeout} runs out. */
    static void await(Duration timeout, Runnable step, BooleanSupplier done, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            step.run();
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + timeout + ": " + what.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
