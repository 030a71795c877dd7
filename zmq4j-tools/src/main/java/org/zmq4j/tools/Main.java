package org.zmq4j.tools;

import java.io.PrintWriter;

import org.zmq4j.ZmqException;
import org.zmq4j.tools.durable.DurableRecvCommand;
import org.zmq4j.tools.durable.DurableSendCommand;
import org.zmq4j.tools.durable.TitanicCommand;
import org.zmq4j.tools.oneliners.MonitorCommand;
import org.zmq4j.tools.oneliners.ProxyCommand;
import org.zmq4j.tools.oneliners.PubCommand;
import org.zmq4j.tools.oneliners.RecvCommand;
import org.zmq4j.tools.oneliners.SendCommand;
import org.zmq4j.tools.oneliners.SubCommand;
import org.zmq4j.tools.patterns.BrokerCommand;
import org.zmq4j.tools.patterns.CallCommand;
import org.zmq4j.tools.patterns.CloneServerCommand;
import org.zmq4j.tools.patterns.PpQueueCommand;
import org.zmq4j.tools.patterns.PpWorkerCommand;
import org.zmq4j.tools.patterns.WorkerCommand;
import org.zmq4j.tools.perf.PerfCommand;
import org.zmq4j.tools.perf.PerfException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code zmq4j} command line. Run {@code java -jar zmq4j-tools.jar perf demo} for a quick
 * throughput and latency measurement, or {@code zmq4j --help} for the list of commands.
 */
@Command(name = "zmq4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        header = "Command line tools for zmq4j, the pure-Java ZeroMQ.",
        subcommands = {SendCommand.class, RecvCommand.class, PubCommand.class, SubCommand.class, ProxyCommand.class,
            MonitorCommand.class, PerfCommand.class, KeygenCommand.class, BrokerCommand.class, WorkerCommand.class,
            CallCommand.class, PpQueueCommand.class, PpWorkerCommand.class, DurableSendCommand.class,
            DurableRecvCommand.class, TitanicCommand.class, CloneServerCommand.class, org.zmq4j.tools.monitor.TopCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for a command that started but failed (bad peer data, timeout, ZeroMQ error). */
    public static final int EXIT_FAILURE = 1;

    @Spec
    private CommandSpec spec;

    /** Used by picocli; run {@link #main(String[])} or {@link #commandLine()} instead. */
    public Main() {
    }

    /**
     * Runs the command line and exits the JVM with its exit code: 0 on success, 1 when the
     * command failed, 2 for a usage error.
     *
     * @param args the command line arguments, e.g. {@code perf demo}
     */
    public static void main(String[] args) {
        // one line per log record on standard error (the broker and workers log what they do)
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * A ready-to-execute command line, for {@link #main(String[])} and for tests that capture the
     * output with {@link CommandLine#setOut(PrintWriter)}.
     *
     * @return the {@code zmq4j} command line with its error handling installed
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::reportFailure);
    }

    /** Without a subcommand there is nothing to do: a usage error that lists the commands. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /**
     * Prints a failed command's error as one line; expected failures (ZeroMQ errors, a misbehaving
     * peer) without a stack trace, anything else with one.
     */
    private static int reportFailure(Exception failure, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        String message = command.getCommandSpec().qualifiedName() + ": " + failure.getMessage();
        err.println(command.getColorScheme().errorText(message));
        if (!(failure instanceof ZmqException) && !(failure instanceof PerfException)) {
            failure.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    /** The version in the jar's manifest, or "development" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"zmq4j-tools " + (version != null ? version : "(development build)")};
        }
    }
}
