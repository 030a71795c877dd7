package org.zmq4j.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.function.Executable;
import org.zmq4j.ZmqException;

/** Assertions the socket test suites share: errno checks and bounded waits for a condition. */
public final class Checks {
    private Checks() {
    }

    /**
     * Asserts that {@code call} throws a ZmqException with {@code expected}, and returns it.
     *
     * @param expected the errno
     * @param call     what should throw
     * @return the exception
     */
    public static ZmqException assertErrno(ZmqException.Errno expected, Executable call) {
        return assertErrno(expected, call, "expected ZmqException(" + expected + ")");
    }

    /**
     * {@link #assertErrno(ZmqException.Errno, Executable)} saying why the call must fail.
     *
     * @param expected the errno
     * @param call     what should throw
     * @param why      the failure message's start
     * @return the exception
     */
    public static ZmqException assertErrno(ZmqException.Errno expected, Executable call, String why) {
        ZmqException e = assertThrows(ZmqException.class, call, why);
        assertEquals(expected, e.errno(), () -> why + ": wrong errno; message: " + e.getMessage());
        return e;
    }

    /**
     * Waits (bounded) until {@code condition} holds, checking every millisecond; fails the test
     * otherwise.
     *
     * @param what      what is awaited, for the failure message
     * @param timeoutMs the bound
     * @param condition the condition
     */
    public static void awaitTrue(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeoutMs + " ms waiting for: " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
