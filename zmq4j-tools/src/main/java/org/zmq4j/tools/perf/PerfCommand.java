package org.zmq4j.tools.perf;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zmq4j perf}: throughput and latency tools modelled on libzmq's {@code perf/} programs,
 * plus {@code demo}, which runs both tests in one process with no setup.
 */
@Command(name = "perf",
        mixinStandardHelpOptions = true,
        header = "Throughput and latency tools, like libzmq's perf/.",
        description = "Measures zmq4j's throughput and latency, like libzmq's perf tools. Start with"
                + " 'zmq4j perf demo'; for two processes or hosts use local-thr with remote-thr"
                + " (PUSH -> PULL) or local-lat with remote-lat (REQ <-> REP).",
        subcommands = {
            DemoCommand.class,
            LocalThrCommand.class,
            RemoteThrCommand.class,
            LocalLatCommand.class,
            RemoteLatCommand.class,
            CommandLine.HelpCommand.class})
public final class PerfCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Used by picocli. */
    public PerfCommand() {
    }

    /** Without a subcommand there is nothing to measure: a usage error that lists them. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
