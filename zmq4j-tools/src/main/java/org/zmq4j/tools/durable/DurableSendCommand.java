package org.zmq4j.tools.durable;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.zmq4j.Context;
import org.zmq4j.durable.delivery.DurableSender;
import org.zmq4j.durable.delivery.DurableSenderConfig;
import org.zmq4j.durable.journal.FsyncPolicy;
import org.zmq4j.durable.journal.JournalConfig;
import org.zmq4j.tools.patterns.Options;
import org.zmq4j.tools.patterns.StopSignals;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zmq4j durable-send}: sends {@code NAME-0} .. {@code NAME-(N-1)} through a durable sender and
 * exits once all are acknowledged; run again after a crash, it resumes from its journal.
 */
@Command(name = "durable-send",
        mixinStandardHelpOptions = true,
        header = "Sends NAME-0 .. NAME-(N-1) durably and exits once the receiver acknowledged them all.",
        description = "Journals each message before sending it (see --fsync) and resends what the receiver has not"
                + " acknowledged, after reconnects and after a restart of either side. Run again with the same"
                + " arguments after a crash: it continues from the journal and never sends again what was"
                + " acknowledged. Progress goes to standard error once a second.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all N messages acknowledged", "1:failed (journal unusable, ZeroMQ error)", "2:usage error",
            "3:--timeout-ms passed before all were acknowledged",
            "130:stopped by SIGINT/SIGTERM before all were acknowledged (the journal keeps them: run again)"})
public final class DurableSendCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--connect", required = true, paramLabel = "EP", description = "The durable receiver's endpoint.")
    private String endpoint;

    @Option(names = "--journal", required = true, paramLabel = "DIR", description = "The sender's journal directory.")
    private Path journal;

    @Option(names = "--id", required = true, paramLabel = "NAME",
            description = "The sender's stable id (the receiver keeps its progress under it); also the payloads' prefix.")
    private String id;

    @Option(names = "--count", required = true, paramLabel = "N", description = "How many messages in all.")
    private long count;

    @Option(names = "--fsync", defaultValue = "always", paramLabel = "POLICY", converter = FsyncPolicyConverter.class,
            description = "always (default: fdatasync per message), group[:MS] (group commit), os (never).")
    private FsyncPolicy policy;

    @Option(names = "--window", defaultValue = "1000", paramLabel = "N",
            description = "Unacknowledged messages in flight (default: ${DEFAULT-VALUE}).")
    private int window;

    @Option(names = "--timeout-ms", defaultValue = "-1", paramLabel = "MS",
            description = "Give up (exit 3) when not all are acknowledged after MS milliseconds (default: wait forever).")
    private long timeoutMillis;

    /** Used by picocli. */
    public DurableSendCommand() {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (count < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--count must be >= 0: " + count);
        }
        long deadline = timeoutMillis < 0 ? Long.MAX_VALUE : System.nanoTime() + Duration.ofMillis(timeoutMillis).toNanos();
        try (Context ctx = new Context()) {
            DurableSenderConfig config = Options.check(spec, () -> DurableSenderConfig.builder(id, journal, endpoint)
                    .journal(JournalConfig.builder().policy(policy).build()).window(window)
                    .sendTimeout(Duration.ofMillis(200)).build());
            Thread self = Thread.currentThread();
            try (DurableSender sender = DurableSender.open(ctx, config);
                    StopSignals signals = StopSignals.install(self::interrupt)) {
                long start = sender.nextSequence();
                err.println("durable-send: journal " + journal + " holds " + start + " messages; sending " + id + "-"
                        + Math.min(start, count) + " .. " + id + "-" + (count - 1) + " to " + endpoint + " (fsync " + policy + ")");
                if (start > count) {
                    err.println("durable-send: the journal holds more messages (" + start + ") than --count " + count);
                }
                err.flush();
                Progress progress = new Progress(err, sender, count);
                try {
                    for (long i = start; i < count; i++) {
                        while (true) {
                            try {
                                sender.send(id + "-" + i);
                                break;
                            } catch (org.zmq4j.ZmqException e) {
                                if (e.errno() != org.zmq4j.ZmqException.Errno.EAGAIN) {
                                    throw e;
                                }
                            }
                            if (Thread.currentThread().isInterrupted() || System.nanoTime() - deadline > 0) {
                                break;
                            }
                            progress.maybePrint();
                        }
                        if (Thread.currentThread().isInterrupted() || System.nanoTime() - deadline > 0) {
                            break;
                        }
                        progress.maybePrint();
                    }
                    while (count > 0 && sender.acknowledged() < count - 1 && !Thread.currentThread().isInterrupted()
                            && System.nanoTime() - deadline < 0) {
                        sender.awaitAcknowledged(count - 1, Duration.ofMillis(200));
                        progress.maybePrint();
                    }
                } catch (InterruptedException | org.zmq4j.ZmqException e) {
                    if (!signals.fired() && !(e instanceof InterruptedException)) {
                        throw e;
                    }
                }
                Thread.interrupted();
                boolean all = count == 0 || sender.acknowledged() >= count - 1;
                progress.print();
                if (all) {
                    err.println("durable-send: all " + count + " messages acknowledged");
                    err.flush();
                    return 0;
                }
                err.println("durable-send: " + (signals.fired() ? "stopped by signal" : "timed out") + " with "
                        + (count - 1 - sender.acknowledged()) + " messages unacknowledged (kept in " + journal + ")");
                err.flush();
                return signals.fired() ? 130 : 3;
            }
        }
    }

    /** Prints progress at most once a second. */
    private static final class Progress {
        private final PrintWriter err;
        private final DurableSender sender;
        private final long count;
        private long next = System.nanoTime() + 1_000_000_000L;

        Progress(PrintWriter err, DurableSender sender, long count) {
            this.err = err;
            this.sender = sender;
            this.count = count;
        }

        void maybePrint() {
            if (System.nanoTime() - next >= 0) {
                print();
                next = System.nanoTime() + 1_000_000_000L;
            }
        }

        void print() {
            err.println("durable-send: journaled " + Math.min(sender.nextSequence(), count) + "/" + count + ", acknowledged "
                    + (sender.acknowledged() + 1));
            err.flush();
        }
    }
}
