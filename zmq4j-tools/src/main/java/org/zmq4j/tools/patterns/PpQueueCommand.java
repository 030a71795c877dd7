package org.zmq4j.tools.patterns;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.zmq4j.Context;
import org.zmq4j.patterns.ppp.ParanoidPirateQueue;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zmq4j ppqueue}: a Paranoid Pirate queue (rfc 6) until SIGINT or SIGTERM. */
@Command(name = "ppqueue",
        mixinStandardHelpOptions = true,
        header = "Runs a Paranoid Pirate queue (rfc 6) until interrupted.",
        description = "Clients (REQ, e.g. Lazy Pirate) connect to the frontend, Paranoid Pirate workers to the backend;"
                + " each request goes to the least recently used waiting worker. Waiting workers get a heartbeat"
                + " every --heartbeat-ms and are dropped after --liveness silent intervals. Logs to standard error.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGINT/SIGTERM", "1:could not bind or failed", "2:usage error"})
public final class PpQueueCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--frontend", required = true, paramLabel = "EP", description = "Endpoint to bind for clients.")
    private String frontend;

    @Option(names = "--backend", required = true, paramLabel = "EP", description = "Endpoint to bind for workers.")
    private String backend;

    @Option(names = "--heartbeat-ms", defaultValue = "1000", paramLabel = "N",
            description = "Heartbeat interval (default: ${DEFAULT-VALUE}, the zguide's).")
    private long heartbeatMillis;

    @Option(names = "--liveness", defaultValue = "3", paramLabel = "N",
            description = "Intervals a worker may stay silent before it is dropped (default: ${DEFAULT-VALUE}).")
    private int liveness;

    @picocli.CommandLine.Mixin
    private org.zmq4j.tools.monitor.HttpOption http = new org.zmq4j.tools.monitor.HttpOption();

    /** Used by picocli. */
    public PpQueueCommand() {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try (Context ctx = new Context();
             ParanoidPirateQueue queue = Options.check(spec,
                     () -> new ParanoidPirateQueue(ctx, Duration.ofMillis(heartbeatMillis), liveness));
             AutoCloseable monitor = http.start(spec, "zmq4j ppqueue", ctx)) {
            err.println("ppqueue: clients on " + queue.bindFrontend(frontend));
            err.println("ppqueue: workers on " + queue.bindBackend(backend));
            err.flush();
            Thread self = Thread.currentThread();
            try (StopSignals signals = StopSignals.install(self::interrupt)) {
                queue.run();
                err.println("ppqueue: stopped" + (signals.fired() ? " by signal" : ""));
                err.flush();
            }
        }
        return 0;
    }
}
