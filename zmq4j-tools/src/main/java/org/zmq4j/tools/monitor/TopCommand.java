package org.zmq4j.tools.monitor;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.zmq4j.monitor.Json;
import org.zmq4j.tools.patterns.StopSignals;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zmq4j top --url http://HOST:PORT}: a terminal view of a monitor ({@code --http} of a
 * long-running command, or a {@code MonitorServer}): its sockets with their rates, queues against
 * their HWMs and connections, the components (a Majordomo broker's services and workers) and the
 * recent events, refreshed every interval.
 */
@Command(name = "top",
        mixinStandardHelpOptions = true,
        header = "Shows a zmq4j monitor's sockets, connections, queues and components in the terminal, refreshed live.",
        description = {"Reads the JSON API of a process started with --http HOST:PORT. On a terminal the screen is redrawn;"
                + " otherwise each refresh is printed after the last. Rates appear from the second refresh on."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:--count refreshes shown, or stopped by SIGINT/SIGTERM", "1:the monitor could not be read",
            "2:usage error"})
public final class TopCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The monitor's address, e.g. http://127.0.0.1:8080 (its page's URL).")
    private String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The monitor's access token, if it has one.")
    private String token;

    @Option(names = "--interval-ms", defaultValue = "1000", paramLabel = "N",
            description = "Time between refreshes (default: ${DEFAULT-VALUE}).")
    private long intervalMillis;

    @Option(names = "--count", defaultValue = "0", paramLabel = "N",
            description = "Stop after N refreshes (default: until interrupted).")
    private int count;

    /** Used by picocli. */
    public TopCommand() {
    }

    @Override
    public Integer call() throws Exception {
        if (intervalMillis < 100) {
            throw new ParameterException(spec.commandLine(), "--interval-ms must be at least 100, got " + intervalMillis);
        }
        if (count < 0) {
            throw new ParameterException(spec.commandLine(), "--count must be 0 or more, got " + count);
        }
        URI api;
        try {
            URI base = URI.create(url.endsWith("/") ? url : url + "/");
            if (!"http".equals(base.getScheme()) || base.getHost() == null) {
                throw new IllegalArgumentException("not an http:// URL");
            }
            api = base.resolve("api/metrics");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--url: '" + url + "': " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        boolean terminal = System.console() != null;
        TopView view = new TopView();
        CountDownLatch stop = new CountDownLatch(1);
        try (StopSignals signals = StopSignals.install(stop::countDown)) {
            for (int shown = 0; count == 0 || shown < count; shown++) {
                if (shown > 0 && stop.await(intervalMillis, TimeUnit.MILLISECONDS)) {
                    break;
                }
                String body;
                try {
                    body = fetch(client, api);
                } catch (java.io.IOException e) {
                    err.println("top: cannot read " + api + ": " + e.getMessage());
                    err.flush();
                    if (view.shownOnce()) {
                        continue; // the process may be restarting: keep trying
                    }
                    return 1;
                } catch (MonitorRefused e) {
                    err.println("top: " + e.getMessage());
                    err.flush();
                    return 1;
                }
                String screen = view.render(Json.parse(body), url);
                try {
                    view.addEvents(Json.parse(fetch(client, api.resolve("events?after=" + view.lastEvent()))));
                } catch (java.io.IOException | MonitorRefused e) {
                    // the table is there; the events come next time
                }
                screen += view.eventsText();
                if (terminal) {
                    out.print("\u001b[H\u001b[2J");
                } else if (shown > 0) {
                    out.println();
                }
                out.print(screen);
                out.flush();
            }
        }
        return 0;
    }

    /** The monitor answered, but not with metrics (401, 404...). */
    private static final class MonitorRefused extends Exception {
        private static final long serialVersionUID = 1L;

        MonitorRefused(String message) {
            super(message);
        }
    }

    private String fetch(HttpClient client, URI api) throws java.io.IOException, MonitorRefused, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(api).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 401) {
            throw new MonitorRefused(api + " wants an access token" + (token == null ? " (--token)" : ", and not this one"));
        }
        if (r.statusCode() != 200) {
            throw new MonitorRefused(api + " answered HTTP " + r.statusCode() + ": is it a zmq4j monitor?");
        }
        return r.body();
    }
}
