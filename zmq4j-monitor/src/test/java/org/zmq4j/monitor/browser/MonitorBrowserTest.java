package org.zmq4j.monitor.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.monitor.MonitorServer;
import org.zmq4j.patterns.mdp.MajordomoBroker;
import org.zmq4j.patterns.mdp.MajordomoWorker;

/**
 * The page against the real {@link MonitorServer} in headless Chromium: live sockets and their
 * counters while traffic flows, a queue bar filling when a peer stops reading, a real Majordomo
 * broker's services and workers, the events; the screenshot goes to
 * {@code target/monitor-real-page.png} (docs/img/monitor.png is one of them). Skipped without
 * Chromium, except on CI, where it fails.
 */
@Timeout(180)
class MonitorBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void thePageShowsLiveSocketsQueuesAndABrokersServices() throws Exception {
        Chromium.assumeAvailable();
        AtomicBoolean stop = new AtomicBoolean();
        try (Context ctx = new Context(); Context workers = new Context();
             MajordomoBroker broker = new MajordomoBroker(ctx);
             Socket push = ctx.socket(SocketType.PUSH); Socket pull = ctx.socket(SocketType.PULL);
             Socket slowPush = ctx.socket(SocketType.PUSH); Socket stalled = ctx.socket(SocketType.PULL);
             MonitorServer server = MonitorServer.builder(ctx).name("browser test broker").token("t0ken")
                     .interval(Duration.ofMillis(250)).start();
             Chromium browser = Chromium.launch()) {
            String brokerEp = broker.bind("tcp://127.0.0.1:*");
            broker.start();
            for (String service : List.of("echo", "echo", "report")) { // the broker learns of them as they ask for work
                Thread t = new Thread(() -> {
                    try (MajordomoWorker w = new MajordomoWorker(workers, brokerEp, service)) {
                        w.serve(body -> body);
                    } catch (RuntimeException ended) {
                        // ETERM: the workers' Context closes at the end of the test
                    }
                });
                t.setDaemon(true);
                t.start();
            }

            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            stalled.setOption(Option.RCVHWM, 10);
            stalled.bind("tcp://127.0.0.1:*");
            slowPush.setOption(Option.SNDHWM, 10);
            slowPush.connect(stalled.lastEndpoint());
            Thread traffic = new Thread(() -> {
                while (!stop.get()) {
                    push.send(new byte[64]);
                    pull.recv();
                    slowPush.send(new byte[64], Socket.DONTWAIT); // nobody reads: the stalled queue fills and stays full
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            traffic.start();
            try {
                browser.navigate(server.url());
                try {
                    browser.waitFor("document.querySelector('[data-testid=status]').textContent.trim() === 'live'", WAIT);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nerrors: " + browser.javascriptErrors() + "\nconsole: "
                            + browser.consoleMessages(), e);
                }
                int sockets = ctx.metrics().sockets().size();
                browser.waitFor("document.querySelectorAll('[data-testid=socket-row]').length === " + sockets, WAIT);
                int pullId = pull.metrics().id();
                String received = "Number(document.querySelector('[data-testid=socket-row][data-socket-id=\"" + pullId
                        + "\"] [data-testid=messages-received]').textContent.trim())";
                browser.waitFor(received + " > 0", WAIT);
                double first = browser.evaluateNumber(received);
                browser.waitFor(received + " > " + (long) first, WAIT); // a counter rises while traffic flows
                assertEquals("PULL", browser.evaluateString("document.querySelector('[data-testid=socket-row][data-socket-id=\""
                        + pullId + "\"] [data-testid=socket-type]').textContent.trim()"));

                String bar = "document.querySelector('[data-testid=socket-row][data-socket-id=\"" + stalled.metrics().id()
                        + "\"] [data-testid=queue-bar-in]')";
                browser.waitFor(bar + " && parseFloat(" + bar + ".getAttribute('data-fill')) > 0.5", WAIT);
                assertTrue(browser.evaluateNumber("Number(" + bar + ".getAttribute('data-queued'))") >= 5);

                String brokerRows = "Array.from(document.querySelectorAll('[data-testid=component][data-kind=majordomo_broker]"
                        + " [data-testid=component-row]'))";
                browser.waitFor(brokerRows + ".some(r => r.textContent.includes('echo'))"
                        + " && " + brokerRows + ".some(r => r.textContent.includes('report'))", WAIT);
                browser.waitFor("document.querySelectorAll('[data-testid=event-row]').length > 0", WAIT);
                browser.waitFor("Number(document.querySelector('[data-testid=rate-plot]').getAttribute('data-points')) >= 3", WAIT);
                assertEquals(List.of(), browser.javascriptErrors(), "the page threw");
                assertEquals(List.of(), browser.browserLog(), "failed loads or CSP violations");

                Path shot = Path.of("target", "monitor-real-page.png");
                Files.createDirectories(shot.getParent());
                browser.screenshot(shot);
                assertTrue(Files.size(shot) > 10_000, "a screenshot was saved");
                browser.screenshotFullPage(Path.of("target", "monitor-real-page-full.png"));
            } finally {
                stop.set(true);
                traffic.join(10_000);
            }
        }
    }

    @Test
    void withoutTheTokenThePageGetsNothing() throws Exception {
        Chromium.assumeAvailable();
        try (Context ctx = new Context(); MonitorServer server = MonitorServer.builder(ctx).token("t0ken").start();
             Chromium browser = Chromium.launch()) {
            browser.navigate(server.baseUrl());
            browser.waitFor("document.querySelector('[data-testid=status]').textContent.trim() === 'unauthorized'", WAIT);
            assertTrue(browser.pageTextExcerpt(2000).contains("token"), browser.pageTextExcerpt(2000));
            assertEquals(0.0, browser.evaluateNumber("document.querySelectorAll('[data-testid=socket-row]').length"));
        }
    }
}
