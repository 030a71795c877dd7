package org.zmq4j.monitor.browser;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A small driver for headless Chromium over the DevTools protocol, using only the JDK
 * ({@link HttpClient} and {@link WebSocket}) and {@link Json}.
 *
 * <pre>{@code
 * Chromium.assumeAvailable();            // skips locally without Chromium, fails when CI is set
 * try (Chromium browser = Chromium.launch()) {
 *     browser.navigate("http://127.0.0.1:8080/");
 *     browser.waitFor("document.title.length > 0", Duration.ofSeconds(10));
 *     Object title = browser.evaluate("document.title");
 *     browser.screenshot(Path.of("target", "page.png"));
 * }
 * }</pre>
 *
 * <p>Every wait is bounded. Failures are unchecked: {@link DevToolsException} for a protocol or
 * JavaScript error, {@link AssertionError} for a {@link #waitFor} that timed out.
 */
public final class Chromium implements AutoCloseable {

    /** The system property (or, upper-cased with '_', the environment variable) naming a browser binary. */
    public static final String BINARY_PROPERTY = "chromium.binary";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final int STDERR_LINES_KEPT = 200;

    /** A DevTools protocol error, a JavaScript exception, or a browser that went away. */
    public static final class DevToolsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DevToolsException(String message) {
            super(message);
        }

        DevToolsException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Process process;
    private final Path profileDir;
    private final Deque<String> stderrTail;
    private final HttpClient http;
    private final Thread shutdownHook;
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final AtomicReference<CompletableFuture<Void>> loadWaiter = new AtomicReference<>();
    private final List<String> javascriptErrors = new CopyOnWriteArrayList<>();
    private final List<String> consoleMessages = new CopyOnWriteArrayList<>();
    private final List<String> logEntries = new CopyOnWriteArrayList<>();
    private final Object sendLock = new Object();
    private volatile WebSocket socket;
    private volatile String closedReason;
    private volatile boolean closed;

    // ------------------------------------------------------------------ finding and launching

    /** Where the Chromium binary is, if anywhere: {@value #BINARY_PROPERTY}, then the PATH, then /usr/bin. */
    public static Optional<Path> binary() {
        String override = System.getProperty(BINARY_PROPERTY, System.getenv("CHROMIUM_BINARY"));
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override.trim());
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String[] names = {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"};
        String pathVariable = System.getenv("PATH");
        List<String> dirs = new ArrayList<>();
        if (pathVariable != null) {
            dirs.addAll(List.of(pathVariable.split(File.pathSeparator)));
        }
        dirs.add("/usr/bin");
        for (String name : names) {
            for (String dir : dirs) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a Chromium binary was found. */
    public static boolean available() {
        return binary().isPresent();
    }

    /** Whether the environment variable {@code CI} says this is a CI run. */
    public static boolean onCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
    }

    /**
     * For a test's start: returns when Chromium is available; otherwise aborts the test as skipped, or,
     * when the environment variable {@code CI} is set (CI installs Chromium), fails it.
     */
    public static void assumeAvailable() {
        if (available()) {
            return;
        }
        if (onCi()) {
            Assertions.fail("CI is set but no Chromium binary was found on the PATH or in /usr/bin "
                    + "(install Debian's 'chromium' package, or set -D" + BINARY_PROPERTY + "=...)");
        }
        Assumptions.assumeTrue(false, "Chromium is not installed; browser test skipped");
    }

    /** Starts a headless Chromium with a 1280x900 window. */
    public static Chromium launch() {
        return launch(1280, 900);
    }

    /** Starts a headless Chromium with a window of the given size, and attaches to its page. */
    public static Chromium launch(int width, int height) {
        Path binary = binary().orElseThrow(() -> new DevToolsException("no Chromium binary found"));
        Path profile;
        try {
            profile = Files.createTempDirectory("zmq4j-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = List.of(
                binary.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--mute-audio",
                "--hide-scrollbars",
                "about:blank");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            deleteTree(profile);
            throw new DevToolsException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        Chromium browser = new Chromium(process, profile);
        try {
            browser.attach(width, height);
            return browser;
        } catch (RuntimeException | Error e) {
            browser.close();
            throw e;
        }
    }

    private Chromium(Process process, Path profileDir) {
        this.process = process;
        this.profileDir = profileDir;
        this.stderrTail = new ArrayDeque<>();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.shutdownHook = new Thread(this::kill, "chromium-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private void attach(int width, int height) {
        CompletableFuture<String> devToolsUrl = new CompletableFuture<>();
        Thread reader = new Thread(() -> readStderr(devToolsUrl), "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        String browserUrl;
        try {
            browserUrl = devToolsUrl.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new DevToolsException("Chromium did not print 'DevTools listening on' within "
                    + STARTUP_TIMEOUT.toSeconds() + " s; stderr:\n" + stderrTail());
        } catch (ExecutionException e) {
            throw new DevToolsException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevToolsException("interrupted while starting Chromium", e);
        }
        int port = URI.create(browserUrl).getPort();
        String pageUrl = findPageTarget(port);
        try {
            socket = http.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(pageUrl), new Listener())
                    .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevToolsException("interrupted while connecting to " + pageUrl, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DevToolsException("cannot open the DevTools WebSocket " + pageUrl + ": " + e, e);
        }
        call("Page.enable", Map.of());
        call("Runtime.enable", Map.of());
        call("Log.enable", Map.of());
        call("Emulation.setDeviceMetricsOverride", Json.object(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    private void readStderr(CompletableFuture<String> devToolsUrl) {
        String marker = "DevTools listening on ";
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    while (stderrTail.size() > STDERR_LINES_KEPT) {
                        stderrTail.removeFirst();
                    }
                }
                int at = line.indexOf(marker);
                if (at >= 0 && !devToolsUrl.isDone()) {
                    devToolsUrl.complete(line.substring(at + marker.length()).trim());
                }
            }
        } catch (IOException e) {
            // the process went away; reported below
        }
        devToolsUrl.completeExceptionally(new DevToolsException(
                "Chromium exited before DevTools was listening; stderr:\n" + stderrTail()));
    }

    private String findPageTarget(int port) {
        URI list = URI.create("http://127.0.0.1:" + port + "/json/list");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(list).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + Json.abbreviate(response.body());
                if (response.statusCode() == 200) {
                    Object targets = Json.parse(response.body());
                    if (targets instanceof List) {
                        for (Object target : (List<?>) targets) {
                            if ("page".equals(Json.at(target, "type"))
                                    && Json.at(target, "webSocketDebuggerUrl") instanceof String) {
                                return (String) Json.at(target, "webSocketDebuggerUrl");
                            }
                        }
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevToolsException("interrupted", e);
            }
            pause();
        }
        throw new DevToolsException("no page target at " + list + " (last: " + last + ")");
    }

    // ------------------------------------------------------------------ the protocol

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                try {
                    dispatch(Json.parseObject(message));
                } catch (RuntimeException e) {
                    consoleMessages.add("[driver] cannot handle a DevTools message: " + e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            connectionLost("DevTools WebSocket closed: " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            connectionLost("DevTools WebSocket failed: " + error);
        }
    }

    @SuppressWarnings("unchecked")
    private void dispatch(Map<String, Object> message) {
        Object id = message.get("id");
        if (id instanceof Number n) {
            CompletableFuture<Map<String, Object>> waiter = pending.remove(n.longValue());
            if (waiter != null) {
                waiter.complete(message);
            }
            return;
        }
        Object method = message.get("method");
        Map<String, Object> params = message.get("params") instanceof Map
                ? (Map<String, Object>) message.get("params") : Map.of();
        if ("Page.loadEventFired".equals(method)) {
            CompletableFuture<Void> waiter = loadWaiter.getAndSet(null);
            if (waiter != null) {
                waiter.complete(null);
            }
        } else if ("Runtime.exceptionThrown".equals(method)) {
            Object description = Json.at(params, "exceptionDetails", "exception", "description");
            if (description == null) {
                description = Json.at(params, "exceptionDetails", "text");
            }
            javascriptErrors.add(String.valueOf(description));
        } else if ("Runtime.consoleAPICalled".equals(method)) {
            StringBuilder line = new StringBuilder().append(params.get("type")).append(':');
            Object args = params.get("args");
            if (args instanceof List) {
                for (Object arg : (List<?>) args) {
                    Object value = Json.at(arg, "value");
                    line.append(' ').append(value != null ? value : Json.at(arg, "description"));
                }
            }
            consoleMessages.add(line.toString());
        } else if ("Log.entryAdded".equals(method)) {
            // the browser's own messages: failed loads, Content-Security-Policy violations, ...
            Object entry = params.get("entry");
            logEntries.add(Json.at(entry, "level") + " " + Json.at(entry, "source") + ": " + Json.at(entry, "text")
                    + (Json.at(entry, "url") != null ? " (" + Json.at(entry, "url") + ")" : ""));
        } else if ("Inspector.detached".equals(method) || "Inspector.targetCrashed".equals(method)) {
            connectionLost(method + " " + params);
        }
    }

    private void connectionLost(String reason) {
        closedReason = reason;
        DevToolsException failure = new DevToolsException(reason);
        pending.values().forEach(f -> f.completeExceptionally(failure));
        pending.clear();
        CompletableFuture<Void> waiter = loadWaiter.getAndSet(null);
        if (waiter != null) {
            waiter.completeExceptionally(failure);
        }
    }

    /**
     * Sends one DevTools command and waits (bounded) for its answer.
     *
     * @return the command's {@code result} object
     * @throws DevToolsException when the browser answers with an error, goes away, or does not answer in time
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> call(String method, Map<String, ?> params) {
        if (closed) {
            throw new DevToolsException("browser closed");
        }
        if (closedReason != null) {
            throw new DevToolsException(closedReason);
        }
        long id = nextId.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        String request = Json.write(Json.object("id", id, "method", method, "params", params));
        try {
            synchronized (sendLock) {
                socket.sendText(request, true).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            Map<String, Object> response = answer.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (response.get("error") != null) {
                throw new DevToolsException(method + " failed: " + Json.write(response.get("error")));
            }
            Object result = response.get("result");
            return result instanceof Map ? (Map<String, Object>) result : Map.of();
        } catch (TimeoutException e) {
            throw new DevToolsException(method + " got no answer within " + COMMAND_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof DevToolsException
                    ? new DevToolsException(cause.getMessage(), cause)
                    : new DevToolsException(method + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevToolsException("interrupted during " + method, e);
        } finally {
            pending.remove(id);
        }
    }

    // ------------------------------------------------------------------ the page

    /** Loads a URL and waits (bounded) for its load event. */
    public void navigate(String url) {
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        loadWaiter.set(loaded);
        Map<String, Object> result = call("Page.navigate", Map.of("url", url));
        Object errorText = result.get("errorText");
        if (errorText instanceof String && !((String) errorText).isEmpty()) {
            loadWaiter.compareAndSet(loaded, null);
            throw new DevToolsException("cannot navigate to " + url + ": " + errorText);
        }
        try {
            loaded.get(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            loadWaiter.compareAndSet(loaded, null);
            throw new DevToolsException(url + " did not fire its load event within " + LOAD_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new DevToolsException("navigating to " + url + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevToolsException("interrupted while loading " + url, e);
        }
    }

    /**
     * Evaluates a JavaScript expression in the page (promises are awaited) and returns its value by
     * value: a {@link String}, a {@link Long} or {@link Double}, a {@link Boolean}, {@code null} (also for
     * {@code undefined}), or a {@link Map}/{@link List} for JSON-able objects.
     *
     * @throws DevToolsException when the expression throws
     */
    public Object evaluate(String expression) {
        Map<String, Object> result = call("Runtime.evaluate", Json.object(
                "expression", expression,
                "returnByValue", true,
                "awaitPromise", true));
        Object exception = result.get("exceptionDetails");
        if (exception != null) {
            Object description = Json.at(exception, "exception", "description");
            if (description == null) {
                description = Json.at(exception, "text");
            }
            throw new DevToolsException("JavaScript error in `" + expression + "`: " + description);
        }
        return Json.at(result, "result", "value");
    }

    /** {@link #evaluate} as a String ({@code null} stays {@code null}). */
    public String evaluateString(String expression) {
        Object value = evaluate(expression);
        return value == null ? null : value.toString();
    }

    /** {@link #evaluate} as a number; fails when the value is not one. */
    public double evaluateNumber(String expression) {
        Object value = evaluate(expression);
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        throw new DevToolsException("`" + expression + "` gave " + value + ", not a number");
    }

    /** {@link #evaluate} as a boolean (JavaScript truthiness). */
    public boolean evaluateBoolean(String expression) {
        return Boolean.TRUE.equals(evaluate("!!(" + expression + ")"));
    }

    /**
     * Polls a JavaScript boolean expression until it is true, at most {@code timeout}; an expression
     * that throws counts as false.
     *
     * @throws AssertionError on timeout, with the expression, its last error and an excerpt of the page text
     */
    public void waitFor(String expression, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = null;
        while (true) {
            try {
                if (evaluateBoolean(expression)) {
                    return;
                }
                lastError = null;
            } catch (DevToolsException e) {
                if (closedReason != null || closed) {
                    throw e;
                }
                lastError = e.getMessage();
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
            pause();
        }
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for `" + expression + "`"
                + (lastError != null ? "\nlast error: " + lastError : "")
                + (javascriptErrors.isEmpty() ? "" : "\nJavaScript errors: " + javascriptErrors)
                + "\npage text: " + pageTextExcerpt(1500));
    }

    /** The beginning of the page's visible text, for failure messages. */
    public String pageTextExcerpt(int maxChars) {
        try {
            String text = evaluateString("document.body ? document.body.innerText : ''");
            if (text == null) {
                return "";
            }
            text = text.replaceAll("\\s+", " ").trim();
            return text.length() <= maxChars ? text : text.substring(0, maxChars) + "...";
        } catch (RuntimeException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

    /** Saves a PNG of the viewport. */
    public void screenshot(Path png) {
        writeScreenshot(png, call("Page.captureScreenshot", Map.of("format", "png")));
    }

    /** Saves a PNG of the whole page, beyond the viewport. */
    public void screenshotFullPage(Path png) {
        Map<String, Object> metrics = call("Page.getLayoutMetrics", Map.of());
        Object size = metrics.containsKey("cssContentSize") ? metrics.get("cssContentSize") : metrics.get("contentSize");
        double width = ((Number) Json.at(size, "width")).doubleValue();
        double height = ((Number) Json.at(size, "height")).doubleValue();
        writeScreenshot(png, call("Page.captureScreenshot", Json.object(
                "format", "png",
                "captureBeyondViewport", true,
                "clip", Json.object("x", 0, "y", 0, "width", width, "height", height, "scale", 1))));
    }

    private static void writeScreenshot(Path png, Map<String, Object> result) {
        Object data = result.get("data");
        if (!(data instanceof String)) {
            throw new DevToolsException("Page.captureScreenshot gave no data");
        }
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(png, Base64.getDecoder().decode((String) data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uncaught JavaScript exceptions the page has reported so far. */
    public List<String> javascriptErrors() {
        return List.copyOf(javascriptErrors);
    }

    /** Console messages ({@code type: text}) the page has logged so far. */
    public List<String> consoleMessages() {
        return List.copyOf(consoleMessages);
    }

    /**
     * The browser's own log entries so far ({@code level source: text (url)}): failed requests,
     * Content-Security-Policy violations, deprecations.
     */
    public List<String> browserLog() {
        return List.copyOf(logEntries);
    }

    /** The last lines Chromium wrote to its standard error. */
    public String stderrTail() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    // ------------------------------------------------------------------ shutting down

    /** Kills the browser and deletes its temporary profile. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run
        }
    }

    private void kill() {
        List<ProcessHandle> descendants;
        try (Stream<ProcessHandle> all = process.descendants()) {
            descendants = all.collect(java.util.stream.Collectors.toList());
        }
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            for (ProcessHandle child : descendants) {
                while (child.isAlive() && System.nanoTime() < deadline) {
                    child.destroyForcibly();
                    child.onExit().get(100, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // still alive after a short wait: the loop above is bounded by its deadline
        }
        deleteTree(profileDir);
    }

    private static void deleteTree(Path dir) {
        // Chromium's helpers may still be writing for a moment after the main process ends: a few tries.
        for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // retried below
                    }
                });
            } catch (IOException | UncheckedIOException ignored) {
                // retried below
            }
            if (Files.exists(dir)) {
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevToolsException("interrupted", e);
        }
    }
}
