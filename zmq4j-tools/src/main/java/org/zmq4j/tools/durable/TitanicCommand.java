package org.zmq4j.tools.durable;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

import org.zmq4j.Context;
import org.zmq4j.durable.journal.FsyncPolicy;
import org.zmq4j.durable.journal.JournalConfig;
import org.zmq4j.durable.titanic.TitanicConfig;
import org.zmq4j.durable.titanic.TitanicServer;
import org.zmq4j.tools.patterns.Options;
import org.zmq4j.tools.patterns.StopSignals;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zmq4j titanic}: the Titanic service (rfc 9) on a Majordomo broker, until interrupted. */
@Command(name = "titanic",
        mixinStandardHelpOptions = true,
        header = "Runs Titanic (rfc 9): durable request-reply on the Majordomo broker at EP, until interrupted.",
        description = "Serves titanic.request, titanic.reply and titanic.close on the broker, stores requests and"
                + " replies in a journal in --store, and dispatches stored requests to their services. Survives"
                + " kill -9: start it again with the same --store. Reports its counts once a minute on standard error.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGINT/SIGTERM", "1:failed (store unusable or in use)", "2:usage error"})
public final class TitanicCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--connect", required = true, paramLabel = "EP",
            description = "The Majordomo broker's endpoint (repeat for an HA pair).")
    private List<String> brokers;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "Where requests and replies are kept.")
    private Path store;

    @Option(names = "--fsync", defaultValue = "always", paramLabel = "POLICY", converter = FsyncPolicyConverter.class,
            description = "always (default), group[:MS], os.")
    private FsyncPolicy policy;

    @Option(names = "--heartbeat-ms", defaultValue = "2500", paramLabel = "N",
            description = "MDP heartbeat of Titanic's workers, as the broker's (default: ${DEFAULT-VALUE}).")
    private long heartbeatMillis;

    @Option(names = "--dispatch-timeout-ms", defaultValue = "5000", paramLabel = "N",
            description = "How long a service may take before the request is tried again later (default: ${DEFAULT-VALUE}).")
    private long dispatchMillis;

    @picocli.CommandLine.Mixin
    private org.zmq4j.tools.monitor.HttpOption http = new org.zmq4j.tools.monitor.HttpOption();

    /** Used by picocli. */
    public TitanicCommand() {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch stop = new CountDownLatch(1);
        try (Context ctx = new Context()) {
            TitanicConfig config = Options.check(spec, () -> TitanicConfig.builder(brokers, store)
                    .journal(JournalConfig.builder().policy(policy).build()).heartbeat(Duration.ofMillis(heartbeatMillis))
                    .dispatchTimeout(Duration.ofMillis(dispatchMillis)).build());
            try (TitanicServer titanic = TitanicServer.start(ctx, config);
                    AutoCloseable monitor = http.start(spec, "zmq4j titanic", ctx);
                    StopSignals signals = StopSignals.install(stop::countDown)) {
                err.println("titanic: serving on " + brokers + "; store " + store + " holds " + titanic.openRequests()
                        + " open requests (" + titanic.pendingRequests() + " waiting for a reply)");
                err.flush();
                while (!stop.await(60, TimeUnit.SECONDS)) {
                    err.println("titanic: " + titanic.openRequests() + " open requests, " + titanic.pendingRequests()
                            + " waiting, " + titanic.dispatched() + " replies stored since start");
                    err.flush();
                }
                err.println("titanic: stopped by signal; " + titanic.openRequests() + " open requests kept in " + store);
                err.flush();
            }
        }
        return 0;
    }
}
