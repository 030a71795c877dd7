package org.zmq4j.tools.perf;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.zmq4j.tools.Main;

import picocli.CommandLine;

/** One in-process run of the {@code zmq4j} command line, with its exit code and captured output. */
record CommandRun(int exitCode, String out, String err) {
    /** Runs {@code zmq4j args...} through picocli, capturing standard output and error. */
    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }

    /** Standard output, line by line. */
    List<String> outLines() {
        return out.lines().toList();
    }

    /** Everything captured, for assertion messages. */
    String describe() {
        return "exit code " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
}
