package org.zmq4j.tools.patterns;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.zmq4j.Context;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoClient;
import org.zmq4j.patterns.mdp.MdpVersion;
import org.zmq4j.patterns.NoReplyException;
import org.zmq4j.patterns.mdp.Reply;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zmq4j call}: one Majordomo request; prints the reply's frames, one per line (MDP/0.2:
 * each partial reply's, then the final one's).
 */
@Command(name = "call",
        mixinStandardHelpOptions = true,
        header = "Sends one Majordomo request and prints the reply frames, one per line.",
        description = "Waits --timeout-ms for the reply; without one, sends again on a new connection (to the next"
                + " --connect broker, if several) up to --retries more times. Standard output has only the reply's"
                + " frames as UTF-8 (MDP/0.2: each partial reply's frames, then the final one's); notes go to"
                + " standard error.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:a reply came", "1:no reply after the retries, or interrupted", "2:usage error"})
public final class CallCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--connect", required = true, paramLabel = "EP",
            description = "The broker's endpoint; repeat to fail over across several.")
    private List<String> endpoints;

    @Option(names = "--service", required = true, paramLabel = "NAME", description = "The service to call.")
    private String service;

    @Option(names = "--timeout-ms", defaultValue = "2500", paramLabel = "N",
            description = "How long each attempt waits for the reply (default: ${DEFAULT-VALUE}).")
    private long timeoutMillis;

    @Option(names = "--retries", defaultValue = "2", paramLabel = "N",
            description = "Attempts after the first (default: ${DEFAULT-VALUE}).")
    private int retries;

    @Option(names = "--protocol", defaultValue = "mdp01", paramLabel = "mdp01|mdp02",
            converter = Options.ProtocolConverter.class,
            description = "Majordomo version (default: ${DEFAULT-VALUE}).")
    private MdpVersion protocol;

    @Parameters(paramLabel = "FRAME", arity = "0..*", description = "The request's frames (UTF-8).")
    private List<String> frames = List.of();

    /** Used by picocli. */
    public CallCommand() {
    }

    @Override
    public Integer call() throws Exception {
        ClientConfig config = Options.check(spec, () ->
                new ClientConfig(endpoints, protocol, Duration.ofMillis(timeoutMillis), retries));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<byte[]> body = frames.stream().map(f -> f.getBytes(StandardCharsets.UTF_8)).toList();
        try (Context ctx = new Context(); MajordomoClient client = new MajordomoClient(ctx, config)) {
            Thread self = Thread.currentThread();
            try (StopSignals signals = StopSignals.install(self::interrupt)) {
                Reply reply = client.call(service, body, partial -> print(out, partial));
                print(out, reply.frames());
                return 0;
            } catch (NoReplyException e) {
                err.println("call: " + e.getMessage());
                return 1;
            } catch (ZmqException e) {
                if (e.errno() != ZmqException.Errno.EINTR) {
                    throw e;
                }
                err.println("call: interrupted before a reply from '" + service + "'");
                return 1;
            } finally {
                err.flush();
            }
        }
    }

    private static void print(PrintWriter out, List<byte[]> frames) {
        for (byte[] f : frames) {
            out.println(new String(f, StandardCharsets.UTF_8));
        }
        out.flush();
    }
}
