package org.zmq4j.tools.oneliners;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.tools.patterns.CliProcess;

/**
 * A test that starts {@code zmq4j} commands as real processes ({@link CliProcess}), all killed when
 * it ends if still running. (Its own base rather than the patterns package's CliTest: JUnit reaches
 * a base class's fields reflectively, and surefire opens only the packages of the tests it runs.)
 * Not thread-safe: one test thread.
 */
abstract class ProcessTest {
    /** The test's temporary directory, where the processes' output goes. */
    @TempDir
    Path dir;

    private final List<CliProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (CliProcess p : processes) {
            p.close();
        }
    }

    /** Starts {@code zmq4j args...}; its output goes to the test's temporary directory. */
    CliProcess start(String... args) throws Exception {
        CliProcess p = CliProcess.start(dir, args);
        processes.add(p);
        return p;
    }
}
