package org.zmq4j.monitor.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The monitor's web page in a real (headless) Chromium, against {@link PageFixtureServer}: the live
 * stream, the socket rows, moving counters and queue bars, the component table, the plot and the event
 * list. Skipped without Chromium, except on CI (the environment variable {@code CI} set), where it fails.
 */
@Timeout(180)
class PageFixtureBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "s3cret token/+&";

    private static Chromium browser;

    @BeforeAll
    static void startBrowser() {
        Chromium.assumeAvailable();
        browser = Chromium.launch();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void livePageFollowsTheStream() throws Exception {
        try (PageFixtureServer fixture = PageFixtureServer.start(TOKEN, true)) {
            browser.navigate(fixture.pageUrl());

            browser.waitFor("document.querySelector('[data-testid=status]').textContent.trim() === 'live'", WAIT);
            browser.waitFor("document.querySelectorAll('[data-testid=socket-row]').length === 3", WAIT);
            assertEquals("ROUTER", browser.evaluateString(
                    "document.querySelector('[data-testid=socket-row][data-socket-id=\"1\"] [data-testid=socket-type]')"
                            + ".textContent.trim()"));

            String received = "Number(document.querySelector('[data-testid=socket-row][data-socket-id=\"1\"] "
                    + "[data-testid=messages-received]').textContent.trim())";
            double first = browser.evaluateNumber(received);
            assertTrue(first > 0, "messages-received is a plain number: " + first);
            browser.waitFor(received + " > " + (long) first, WAIT);

            // the first connection of socket 1 fills its send queue toward the HWM; the bar is updated in
            // place (the same element, so its width animates), not rebuilt every second
            String bar = "document.querySelector('[data-testid=socket-row][data-socket-id=\"1\"] "
                    + "[data-testid=queue-bar-out]')";
            browser.evaluate("window.__firstBar = " + bar);
            browser.waitFor("parseFloat(" + bar + ".getAttribute('data-fill')) > 0.5", WAIT);
            assertEquals(Boolean.TRUE, browser.evaluate("window.__firstBar === " + bar + " && window.__firstBar.isConnected"));
            assertTrue(browser.evaluateNumber("Number(document.querySelector('[data-testid=socket-row]"
                    + "[data-socket-id=\"1\"] [data-testid=queue-bar-out]').getAttribute('data-queued'))") > 0);
            // socket 3's pipe has no HWM: its number shows, its bar stays empty
            assertEquals(0.0, browser.evaluateNumber("parseFloat(document.querySelector('[data-testid=socket-row]"
                    + "[data-socket-id=\"3\"] [data-testid=queue-bar-out]').getAttribute('data-fill'))"));

            browser.waitFor("Array.from(document.querySelectorAll("
                    + "'[data-testid=component][data-kind=majordomo_broker] [data-testid=component-row]'))"
                    + ".some(r => r.textContent.includes('echo'))", WAIT);
            assertEquals(2.0, browser.evaluateNumber("document.querySelectorAll("
                    + "'[data-testid=component] [data-testid=component-row]').length"));

            browser.waitFor("document.querySelectorAll('[data-testid=event-row]').length >= 4", WAIT);

            // two rated snapshots at least, then look for drawn pixels on the canvas
            browser.waitFor("Number(document.querySelector('[data-testid=rate-plot]').getAttribute('data-points')) >= 3",
                    WAIT);
            browser.waitFor(PLOT_HAS_LINE_PIXELS, WAIT);

            // a few more seconds of history make a better picture
            browser.waitFor("Number(document.querySelector('[data-testid=rate-plot]').getAttribute('data-points')) >= 6",
                    WAIT);
            Path shot = Path.of("target", "monitor-page.png");
            browser.screenshot(shot);
            browser.screenshotFullPage(Path.of("target", "monitor-page-full.png"));
            assertTrue(Files.size(shot) > 10_000, "a real screenshot");

            assertTrue(browser.javascriptErrors().isEmpty(), "JavaScript errors: " + browser.javascriptErrors());
            // nothing blocked by the Content-Security-Policy, no failed request
            assertTrue(browser.browserLog().stream().noneMatch(l -> l.startsWith("error") || l.contains("Security")),
                    "browser log: " + browser.browserLog());
            assertEquals(0, fixture.unauthorizedRequests(), "every request carried the token");
            assertTrue(fixture.streamConnections() >= 1, "the page used the stream");
        }
    }

    @Test
    void listsTheFirstHundredConnectionsThenAllOnRequest() throws Exception {
        try (PageFixtureServer fixture = PageFixtureServer.withManyConnections(TOKEN)) {
            browser.navigate(fixture.pageUrl());
            String pubRows = "document.querySelectorAll('[data-testid=socket-row][data-socket-id=\"3\"] "
                    + "[data-testid=connection-row]').length";
            String hidden = "document.querySelector('[data-testid=socket-row][data-socket-id=\"3\"] "
                    + "[data-testid=connections-hidden]')";
            browser.waitFor(pubRows + " === 100", WAIT);
            assertTrue(browser.evaluateString(hidden + ".textContent").contains("and 50 more connections not listed"),
                    browser.evaluateString(hidden + ".textContent"));
            browser.evaluate("document.querySelector('[data-testid=socket-row][data-socket-id=\"3\"] "
                    + "[data-testid=show-all-connections]').click()");
            browser.waitFor(pubRows + " === " + PageFixtureServer.PUB_CONNECTIONS, WAIT);
            assertEquals(Boolean.TRUE, browser.evaluate(hidden + " === null"));
            // the choice survives the next snapshots, which re-render the sockets
            String updates = "Number(document.querySelector('[data-testid=rate-plot]').getAttribute('data-points'))";
            double seen = browser.evaluateNumber(updates);
            browser.waitFor(updates + " >= " + (seen + 2), WAIT);
            assertEquals(PageFixtureServer.PUB_CONNECTIONS, (int) browser.evaluateNumber(pubRows));
            browser.evaluate("document.querySelector('[data-testid=socket-row][data-socket-id=\"3\"] "
                    + "[data-testid=show-fewer-connections]').click()");
            browser.waitFor(pubRows + " === 100", WAIT);
            // the other sockets, with fewer connections, list them all and offer nothing
            assertEquals(1.0, browser.evaluateNumber("document.querySelectorAll('[data-testid=show-all-connections]').length"));
            // leave the page before the fixture closes: a stream cut by the server would log a network
            // error in the browser, which is shared with the next test (and livePageFollowsTheStream
            // fails on any error in the log)
            browser.navigate("about:blank");
        }
    }

    @Test
    void fallsBackToPollingWhenTheStreamFails() throws Exception {
        try (PageFixtureServer fixture = PageFixtureServer.start(TOKEN, false)) {
            browser.navigate(fixture.pageUrl());
            browser.waitFor("document.querySelector('[data-testid=status]').textContent.trim() === 'polling'", WAIT);
            String sent = "Number(document.querySelector('[data-testid=socket-row][data-socket-id=\"1\"] "
                    + "[data-testid=messages-sent]').textContent.trim())";
            browser.waitFor("document.querySelectorAll('[data-testid=socket-row]').length === 3", WAIT);
            double first = browser.evaluateNumber(sent);
            browser.waitFor(sent + " > " + (long) first, WAIT);
            browser.waitFor("document.querySelectorAll('[data-testid=event-row]').length >= 4", WAIT);
            assertTrue(fixture.metricsRequests() >= 2, "the page polled api/metrics");
            assertTrue(browser.javascriptErrors().isEmpty(), "JavaScript errors: " + browser.javascriptErrors());
            assertEquals(0, fixture.unauthorizedRequests(), "every request carried the token");
        }
    }

    @Test
    void saysSoWhenTheTokenIsMissing() throws Exception {
        try (PageFixtureServer fixture = PageFixtureServer.start(TOKEN, true)) {
            browser.navigate(fixture.pageUrlWithoutToken());
            browser.waitFor("document.querySelector('[data-testid=status]').textContent.trim() === 'unauthorized'",
                    WAIT);
            assertTrue(browser.evaluateString("document.getElementById('banner').textContent").contains("token"));
            assertTrue(fixture.unauthorizedRequests() > 0);
        }
    }

    /** Whether the plot shows pixels of the "total in" line colour (#4cc9f0), not just axes and text. */
    static final String PLOT_HAS_LINE_PIXELS = "(() => {"
            + " const c = document.querySelector('[data-testid=rate-plot]');"
            + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            + " let line = 0, painted = 0;"
            + " for (let i = 0; i < d.length; i += 4) {"
            + "   if (d[i + 3] > 0) painted++;"
            + "   if (d[i + 3] > 200 && Math.abs(d[i] - 76) < 40 && Math.abs(d[i + 1] - 201) < 40"
            + "       && Math.abs(d[i + 2] - 240) < 40) line++;"
            + " }"
            + " return painted > 500 && line > 20;"
            + "})()";
}
