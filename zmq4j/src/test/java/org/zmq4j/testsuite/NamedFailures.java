package org.zmq4j.testsuite;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Puts a case's display name (scenario, transport, which implementation binds and which connects)
 * in front of its failure's message: the build's reports name a parameterised case by its index
 * only. Skips (assumptions) pass through unchanged.
 */
final class NamedFailures implements TestExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (thrown instanceof TestAbortedException) {
            throw thrown;
        }
        AssertionError named = new AssertionError(context.getDisplayName() + ": " + thrown.getMessage(), thrown);
        named.setStackTrace(thrown.getStackTrace());
        throw named;
    }
}
