package org.zmq4j.tools.patterns;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.zmq4j.Context;
import org.zmq4j.patterns.ppp.ParanoidPirateWorker;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zmq4j ppworker}: a Paranoid Pirate worker (rfc 6) that echoes until interrupted. */
@Command(name = "ppworker",
        mixinStandardHelpOptions = true,
        header = "Runs a Paranoid Pirate worker (rfc 6) until interrupted.",
        description = "Says READY to the queue, answers each request (--echo: with its frames; --reply: with a fixed"
                + " text), heartbeats, and starts over with a back-off when the queue goes silent. Logs to standard error.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGINT/SIGTERM", "1:failed", "2:usage error"})
public final class PpWorkerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--connect", required = true, paramLabel = "EP", description = "The queue's backend endpoint.")
    private String endpoint;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Answer answer;

    @Option(names = "--heartbeat-ms", defaultValue = "1000", paramLabel = "N",
            description = "Heartbeat interval, as the queue's (default: ${DEFAULT-VALUE}).")
    private long heartbeatMillis;

    @Option(names = "--liveness", defaultValue = "3", paramLabel = "N",
            description = "Heartbeats the queue may miss before the worker starts over (default: ${DEFAULT-VALUE}).")
    private int liveness;

    @picocli.CommandLine.Mixin
    private org.zmq4j.tools.monitor.HttpOption http = new org.zmq4j.tools.monitor.HttpOption();

    /** Used by picocli. */
    public PpWorkerCommand() {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        long served = 0;
        try (Context ctx = new Context()) {
            ParanoidPirateWorker worker = Options.check(spec,
                    () -> new ParanoidPirateWorker(ctx, endpoint, Duration.ofMillis(heartbeatMillis), liveness));
            err.println("ppworker: ready for " + endpoint);
            err.flush();
            Thread self = Thread.currentThread();
            try (AutoCloseable monitor = http.start(spec, "zmq4j ppworker", ctx);
                    StopSignals signals = StopSignals.install(self::interrupt)) {
                ParanoidPirateWorker.Request r;
                while ((r = worker.receive()) != null) {
                    worker.reply(r, answer.to(r.body()));
                    served++;
                }
                Thread.interrupted();
                worker.close();
                err.println("ppworker: stopped" + (signals.fired() ? " by signal" : "") + " after " + served + " requests");
                err.flush();
            }
        }
        return 0;
    }
}
