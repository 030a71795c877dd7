package org.zmq4j.tools.monitor;

import java.io.IOException;
import java.io.PrintWriter;

import org.zmq4j.Context;
import org.zmq4j.monitor.MonitorServer;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --http HOST:PORT} (and {@code --http-token}) of the long-running commands: serves the
 * monitor page, the JSON API and {@code /metrics} for the command's own Context; {@code --jmx}
 * registers its MXBeans.
 *
 * <p>Thread-safety: picocli fills it on the main thread; {@link #start} runs there too.
 */
public final class HttpOption {
    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "Serve the monitor (a live page, a JSON API, Prometheus /metrics) on HOST:PORT, e.g. 127.0.0.1:8080."
                    + " Read-only; bind 127.0.0.1 unless others should see it.")
    private String http;

    @Option(names = "--http-token", paramLabel = "TOKEN",
            description = "Require this token on every monitor request for data (?token=... or Authorization: Bearer ...).")
    private String token;

    @Option(names = "--jmx", description = "Register MXBeans for the Context and its sockets (org.zmq4j:type=Context and"
            + " type=Socket), for JConsole or VisualVM.")
    private boolean jmx;

    /** Used by picocli. */
    public HttpOption() {
    }

    /**
     * Starts the monitor when {@code --http} was given, and says where (on standard error, without
     * the token).
     *
     * @param spec     the command (its error stream; usage errors name it)
     * @param name     what the page calls the process, e.g. {@code zmq4j broker}
     * @param contexts the command's Contexts
     * @return the server to close at the end, or a no-op when there is none
     * @throws IOException naming the address when it cannot be bound
     * @throws picocli.CommandLine.ParameterException when --http is not HOST:PORT or the token is empty
     */
    public AutoCloseable start(CommandSpec spec, String name, Context... contexts) throws IOException {
        java.util.List<AutoCloseable> opened = new java.util.ArrayList<>();
        if (jmx) {
            for (int i = 0; i < contexts.length; i++) {
                String contextName = contexts.length == 1 ? spec.name() : spec.name() + "-" + (i + 1);
                opened.add(org.zmq4j.monitor.jmx.ZmqJmx.register(contexts[i], contextName));
            }
        }
        AutoCloseable all = () -> {
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).close();
            }
        };
        if (http == null) {
            return all;
        }
        MonitorServer.Builder builder;
        try {
            builder = MonitorServer.builder(contexts[0], java.util.Arrays.copyOfRange(contexts, 1, contexts.length))
                    .address(http).token(token).name(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--http: " + e.getMessage());
        }
        MonitorServer server = builder.start();
        opened.add(server);
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.name() + ": monitor on " + server.baseUrl() + (token == null ? "" : " (token required)")
                + "; Prometheus at /metrics, JSON at /api/metrics");
        err.flush();
        return all;
    }

    /** Whether {@code --http} was given. */
    public boolean enabled() {
        return http != null;
    }
}
