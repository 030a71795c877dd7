package org.zmq4j.tools.patterns;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test that starts {@code zmq4j} commands as real processes, all stopped when it ends. */
abstract class CliTest {
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
