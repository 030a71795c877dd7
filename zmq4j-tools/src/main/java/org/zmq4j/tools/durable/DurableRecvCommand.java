package org.zmq4j.tools.durable;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.zmq4j.Context;
import org.zmq4j.durable.delivery.Delivery;
import org.zmq4j.durable.delivery.DurableReceiver;
import org.zmq4j.durable.delivery.DurableReceiverConfig;
import org.zmq4j.durable.journal.FsyncPolicy;
import org.zmq4j.durable.journal.JournalConfig;
import org.zmq4j.tools.patterns.Options;
import org.zmq4j.tools.patterns.StopSignals;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zmq4j durable-recv}: the durable receiver, appending each delivered payload and a newline to
 * a file (fdatasynced) before acknowledging it. The file's length is stored with each acknowledgement,
 * so after a crash the lines written but not acknowledged are cut off and arrive again: every
 * message appears in the file exactly once.
 */
@Command(name = "durable-recv",
        mixinStandardHelpOptions = true,
        header = "Receives durably and appends each payload and a newline to FILE, until interrupted.",
        description = "Serves any number of durable senders. Each payload is written to FILE and fdatasynced before"
                + " it is acknowledged; after a crash the lines that were not acknowledged are cut from FILE and"
                + " come again, so FILE holds every message exactly once, in order per sender.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGINT/SIGTERM", "1:failed (state or file unusable, cannot bind)", "2:usage error"})
public final class DurableRecvCommand implements Callable<Integer> {
    private static final int BATCH = 1024;

    @Spec
    private CommandSpec spec;

    @Option(names = "--bind", required = true, paramLabel = "EP", description = "The endpoint to bind.")
    private String endpoint;

    @Option(names = "--state", required = true, paramLabel = "DIR", description = "Where the senders' progress is kept.")
    private Path state;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file the payloads are appended to.")
    private Path out;

    @Option(names = "--fsync", defaultValue = "always", paramLabel = "POLICY", converter = FsyncPolicyConverter.class,
            description = "For the state: always (default), group[:MS], os.")
    private FsyncPolicy policy;

    @picocli.CommandLine.Mixin
    private org.zmq4j.tools.monitor.HttpOption http = new org.zmq4j.tools.monitor.HttpOption();

    /** Used by picocli. */
    public DurableRecvCommand() {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        long received = 0;
        try (Context ctx = new Context();
                FileChannel file = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ)) {
            DurableReceiverConfig config = Options.check(spec, () -> DurableReceiverConfig.builder(endpoint, state)
                    .journal(JournalConfig.builder().policy(policy).build()).build());
            Thread self = Thread.currentThread();
            try (DurableReceiver receiver = DurableReceiver.open(ctx, config);
                    AutoCloseable monitor = http.start(spec, "zmq4j durable-recv", ctx);
                    StopSignals signals = StopSignals.install(self::interrupt)) {
                long position = reconcile(file, receiver, err);
                err.println("durable-recv: bound " + receiver.endpoint() + "; appending to " + out + " (" + position
                        + " bytes); senders known: " + receiver.acknowledged());
                err.flush();
                List<Delivery> batch = new ArrayList<>(BATCH);
                long nextReport = System.nanoTime() + 1_000_000_000L;
                while (!Thread.currentThread().isInterrupted()) {
                    Delivery d;
                    try {
                        d = receiver.receive(Duration.ofMillis(200));
                    } catch (org.zmq4j.ZmqException e) {
                        if (e.errno() == org.zmq4j.ZmqException.Errno.EINTR) {
                            break;
                        }
                        throw e;
                    }
                    if (d != null) {
                        batch.add(d);
                        while (batch.size() < BATCH && (d = receiver.receive(Duration.ZERO)) != null) {
                            batch.add(d);
                        }
                        position = write(file, position, batch);
                        received += batch.size();
                        batch.clear();
                    }
                    if (System.nanoTime() - nextReport >= 0) {
                        err.println("durable-recv: " + received + " messages received");
                        err.flush();
                        nextReport = System.nanoTime() + 1_000_000_000L;
                    }
                }
                Thread.interrupted();
                err.println("durable-recv: stopped" + (signals.fired() ? " by signal" : "") + " after " + received
                        + " messages; acknowledged: " + receiver.acknowledged());
                err.flush();
            }
        }
        return 0;
    }

    /** Cuts what was written after the last stored acknowledgement; returns the file's length. */
    private long reconcile(FileChannel file, DurableReceiver receiver, PrintWriter err) throws IOException {
        long size = file.size();
        byte[] checkpoint = receiver.checkpoint();
        if (checkpoint == null || checkpoint.length != 8) {
            receiver.saveCheckpoint(ByteBuffer.allocate(8).putLong(size).array());
            return size;
        }
        long stored = ByteBuffer.wrap(checkpoint).getLong();
        if (size > stored) {
            err.println("durable-recv: cut " + (size - stored) + " bytes from " + out
                    + " written after the last stored acknowledgement (they come again)");
            file.truncate(stored);
            file.force(true);
            return stored;
        }
        if (size < stored) {
            err.println("durable-recv: WARNING " + out + " is " + size + " bytes, shorter than the " + stored
                    + " its acknowledgements cover: it was changed outside this command");
        }
        return size;
    }

    /** Appends the payloads and newlines, fdatasyncs, then acknowledges each with the length after its line. */
    private static long write(FileChannel file, long position, List<Delivery> batch) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[batch.size() * 2];
        long[] ends = new long[batch.size()];
        long p = position;
        for (int i = 0; i < batch.size(); i++) {
            byte[] payload = batch.get(i).payload();
            buffers[2 * i] = ByteBuffer.wrap(payload);
            buffers[2 * i + 1] = ByteBuffer.wrap(NEWLINE);
            p += payload.length + 1;
            ends[i] = p;
        }
        file.position(position);
        long total = p - position;
        long written = 0;
        while (written < total) {
            written += file.write(buffers);
        }
        file.force(false);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).ack(ByteBuffer.allocate(8).putLong(ends[i]).array());
        }
        return p;
    }

    private static final byte[] NEWLINE = {'\n'};
}
