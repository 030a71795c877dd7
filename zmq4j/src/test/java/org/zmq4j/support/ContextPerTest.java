package org.zmq4j.support;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.zmq4j.Context;

/**
 * Base of the test classes that use one fresh {@link Context} per test: {@link #ctx} is opened
 * before each test and closed after it, and the close must finish within
 * {@link #contextCloseBound()} (it closes every socket still open; tests give their sockets
 * LINGER 0, so it should be quick). A close that hangs fails the test instead of holding the build.
 */
public abstract class ContextPerTest {
    /** This test's context. */
    protected Context ctx;

    @BeforeEach
    protected final void openContext() {
        ctx = new Context();
    }

    @AfterEach
    protected final void closeContext() throws InterruptedException {
        if (ctx == null) {
            return;
        }
        Duration bound = contextCloseBound();
        try {
            Msgs.async(ctx::close).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("Context.close() did not finish within " + bound, e);
        } catch (ExecutionException e) {
            throw new AssertionError("Context.close() failed", e.getCause());
        }
    }

    /** How long closing the context may take: 20 s unless a test class knows better. */
    protected Duration contextCloseBound() {
        return Duration.ofSeconds(20);
    }
}
