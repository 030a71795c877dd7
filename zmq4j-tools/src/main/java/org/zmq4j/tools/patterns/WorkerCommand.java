package org.zmq4j.tools.patterns;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.zmq4j.Context;
import org.zmq4j.patterns.mdp.MajordomoWorker;
import org.zmq4j.patterns.mdp.MdpVersion;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zmq4j worker}: a Majordomo worker that echoes (or answers a fixed text) until interrupted. */
@Command(name = "worker",
        mixinStandardHelpOptions = true,
        header = "Runs a Majordomo worker for one service until interrupted.",
        description = "Registers with the broker, answers each request (--echo: with the request's frames;"
                + " --reply: with a fixed text), heartbeats, and registers again after losing the broker."
                + " Logs to standard error.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGINT/SIGTERM", "1:failed", "2:usage error"})
public final class WorkerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--connect", required = true, paramLabel = "EP",
            description = "The broker's endpoint; repeat for an HA pair (the next is tried when one stays silent).")
    private List<String> endpoints;

    @Option(names = "--service", required = true, paramLabel = "NAME", description = "The service to serve.")
    private String service;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Answer answer;

    @Option(names = "--protocol", defaultValue = "mdp01", paramLabel = "mdp01|mdp02",
            converter = Options.ProtocolConverter.class,
            description = "Majordomo version (default: ${DEFAULT-VALUE}).")
    private MdpVersion protocol;

    @Option(names = "--heartbeat-ms", defaultValue = "2500", paramLabel = "N",
            description = "Heartbeat interval, as the broker's (default: ${DEFAULT-VALUE}).")
    private long heartbeatMillis;

    @Option(names = "--liveness", defaultValue = "3", paramLabel = "N",
            description = "Heartbeats the broker may miss before the worker reconnects (default: ${DEFAULT-VALUE}).")
    private int liveness;

    @picocli.CommandLine.Mixin
    private org.zmq4j.tools.monitor.HttpOption http = new org.zmq4j.tools.monitor.HttpOption();

    /** Used by picocli. */
    public WorkerCommand() {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        long served = 0;
        try (Context ctx = new Context()) {
            MajordomoWorker worker = Options.check(spec, () -> new MajordomoWorker(ctx, endpoints, service, protocol,
                    Duration.ofMillis(heartbeatMillis), liveness));
            err.println("worker: serving '" + service + "' for " + String.join(", ", endpoints) + " (" + protocol + ")");
            err.flush();
            Thread self = Thread.currentThread();
            try (AutoCloseable monitor = http.start(spec, "zmq4j worker", ctx);
                    StopSignals signals = StopSignals.install(self::interrupt)) {
                MajordomoWorker.Request r;
                while ((r = worker.receive()) != null) {
                    worker.reply(r, answer.to(r.body()));
                    served++;
                }
                Thread.interrupted(); // the stop request; the DISCONNECT below must still go out
                worker.close();
                err.println("worker: stopped" + (signals.fired() ? " by signal" : "") + " after " + served + " requests");
                err.flush();
            }
        }
        return 0;
    }
}
