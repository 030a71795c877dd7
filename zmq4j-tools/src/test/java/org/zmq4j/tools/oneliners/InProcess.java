package org.zmq4j.tools.oneliners;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.zmq4j.tools.Main;

import picocli.CommandLine;

/**
 * One in-process run of the {@code zmq4j} command line with its output captured, for checks that
 * need no peer (usage errors, help). Immutable.
 */
record InProcess(int exitCode, String out, String err) {
    /** Runs {@code zmq4j args...} through picocli. */
    static InProcess run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new InProcess(code, out.toString(), err.toString());
    }

    /** Everything, for assertion messages. */
    String describe() {
        return "exit code " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
}
