package org.zmq4j.patterns.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test against a Python peer written from an RFC ({@link PyPeer}): skipped without pyzmq, the
 * peers' output in a temporary directory, everything the test started closed when it ends.
 */
public abstract class PyInteropTest {
    /** Where the peers' standard output and error go. */
    @TempDir
    protected Path dir;

    /** The test's context and what it holds open. */
    protected final Held held = new Held();

    private final String script;
    private final List<PyPeer> peers = new ArrayList<>();

    /** @param script the peer's file name in {@code src/test/python} */
    protected PyInteropTest(String script) {
        this.script = script;
    }

    @BeforeAll
    static void pyzmqIsThere() throws Exception {
        PyPeer.assumePyzmq();
    }

    @AfterEach
    void closeAll() throws Exception {
        held.close();
    }

    /** Starts the peer with {@code args}; it is stopped when the test ends. */
    protected PyPeer py(String... args) throws Exception {
        PyPeer p = held.keep(PyPeer.start(script, dir, args));
        peers.add(p);
        return p;
    }

    /** No longer checks {@code p} in {@link #assertNoProtocolErrors()} (it was killed on purpose). */
    protected void forget(PyPeer p) {
        peers.remove(p);
    }

    /** The peers started so far, oldest first. */
    protected List<PyPeer> peers() {
        return peers;
    }

    /** Fails if any peer still checked saw a frame that breaks its RFC. */
    protected void assertNoProtocolErrors() throws Exception {
        for (PyPeer p : peers) {
            p.assertNoProtocolError();
        }
    }
}
