package org.zmq4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Runs every example's main, as a user would, with a time limit, and checks its output for the
 * lines that prove it worked. System.out is captured per example (tests run one at a time) and
 * echoed afterwards, so a failure shows what the example printed.
 */
class ExamplesTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** An example's main method. */
    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    /** Runs {@code main} within {@link #LIMIT} and returns what it printed. */
    private static String run(Main main) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertTimeoutPreemptively(LIMIT, () -> main.run(new String[0]));
        } finally {
            System.out.flush();
            System.setOut(original);
            original.print(captured.toString(StandardCharsets.UTF_8));
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static void assertContains(String output, String expected) {
        assertTrue(output.contains(expected), () -> "expected a line with \"" + expected + "\" in:\n" + output);
    }

    private static Matcher assertFinds(String output, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(output);
        assertTrue(m.find(), () -> "expected a line matching /" + regex + "/ in:\n" + output);
        return m;
    }

    private static int count(String output, String text) {
        return output.split(Pattern.quote(text), -1).length - 1;
    }

    @Test
    void helloWorld() {
        String out = run(HelloWorld::main);
        assertContains(out, "Server received request 3: Hello");
        assertContains(out, "Client received reply 3: World");
    }

    @Test
    void weatherUpdates() {
        String out = run(WeatherUpdates::main);
        assertEquals(5, count(out, ": 10001 "), out);
        assertFinds(out, "^Average temperature for zip code 10001 was -?\\d+F over 5 updates$");
    }

    @Test
    void taskPipeline() {
        String out = run(TaskPipeline::main);
        assertFinds(out, "^Sink collected 30 results in \\d+ ms");
        assertEquals(3, count(out, "stopping: context closed"), out);
    }

    @Test
    void loadBalancingBroker() {
        String out = run(LoadBalancingBroker::main);
        assertEquals(12, count(out, " got: reply to "), out);
        assertContains(out, "All clients done: 12 of 12 requests answered through the broker");
        assertContains(out, "Broker stopped");
    }

    @Test
    void majordomo() {
        String out = run(Majordomo::main);
        assertContains(out, "mmi.service upper: 200");
        assertContains(out, "reply: HELLO (by MDP0");
        assertContains(out, "reply: MAJORDOMO (by MDP0");
        assertContains(out, "async replies: 20 of 20");
    }

    @Test
    void durableDelivery() {
        String out = run(DurableDelivery::main);
        assertContains(out, "received order-2 from orders #2");
        assertContains(out, "sender: acknowledged up to #2");
        assertContains(out, "after the restarts the journal continues at #5");
        assertContains(out, "received order-3 from orders #3");
        assertContains(out, "received order-5 from orders #5");
        assertEquals(1, count(out, "received order-3 "), "delivered again once, as it was never acknowledged: " + out);
        assertContains(out, "all acknowledged: true");
    }

    @Test
    void cloneFailover() {
        String out = run(CloneFailover::main);
        assertContains(out, "alice's update confirmed as #1");
        assertContains(out, "bob sees /session/alice = (deleted)  #3");
        assertContains(out, "bob's update went through the backup (ACTIVE), alice now sees 42 and still fast");
    }

    @Test
    void sequencedUpdates() {
        String out = run(SequencedUpdates::main);
        assertContains(out, "#300 temp.paris: reading 300");
        assertFinds(out, "Gap\\[publisher=weather, epoch=-?\\d+, prefix=, from=1, to=200\\]");
        assertContains(out, "then 100 messages in order, up to #300");
        assertContains(out, "a subscriber with RCVHWM 1 got #1..#2000 of 2000 in order");
    }

    @Test
    void metricsAndMonitor() {
        String out = run(MetricsAndMonitor::main);
        // how many of the 10 show depends on where the last messages were (kernel, connection, pipe) when the send gave up
        assertFinds(out, "its connection to 127\\.0\\.0\\.1:\\d+ \\(PULL, ACTIVE\\): \\d+ of SNDHWM 10 queued");
        assertFinds(out, "the PULL holds \\d+ of RCVHWM 10 unread");
        assertFinds(out, "broker tcp://127\\.0\\.0\\.1:\\d+ service_workers\\{service=echo\\} = 1");
        assertFinds(out, "scraped: zmq4j_majordomo_broker_service_workers\\{component=\"tcp://127\\.0\\.0\\.1:\\d+\",service=\"echo\"\\} 1");
        assertFinds(out, "the monitor page: http://127\\.0\\.0\\.1:\\d+/");
    }

    @Test
    void pyzmqPeer() throws Exception {
        Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import zmq").start();
        org.junit.jupiter.api.Assumptions.assumeTrue(check.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)
                && check.exitValue() == 0, "needs /usr/bin/python3 with pyzmq (apt-get install python3-zmq)");
        String out = run(PyzmqPeer::main);
        assertContains(out, "java heard: [pyzmq got, hello, 1]");
        assertContains(out, "java heard: [pyzmq got, hello, 3]");
        assertContains(out, "router heard: [from, python, 4.");
        assertContains(out, "python heard: hello back from zmq4j");
    }

    @Test
    void asyncServer() {
        String out = run(AsyncServer::main);
        assertEquals(3, count(out, " got 8 replies"), out);
        assertContains(out, "all clients answered");
    }

    @Test
    void haMajordomo() {
        String out = run(HaMajordomo::main);
        assertContains(out, "backup broker: PASSIVE");
        assertContains(out, "reply: before the failover");
        assertContains(out, "primary broker stopped");
        assertContains(out, "reply: after the failover");
        assertContains(out, "answered by the backup");
    }

    @Test
    void threadSafeServer() {
        String out = run(ThreadSafeServer::main);
        assertEquals(12, count(out, ") answered by server-thread-"), out);
        assertContains(out, "12 of 12 requests answered by 3 threads sharing one SERVER socket");
    }

    @Test
    void multicastWeather() {
        String out = run(MulticastWeather::main);
        assertEquals(5, count(out, "NYC subscriber: 10001 "), out);
        assertFalse(out.contains("NYC subscriber: 94105"), out);
        assertContains(out, "NYC subscriber got 5 updates, the other 5");
    }

    @Test
    void radioDish() {
        String out = run(RadioDish::main);
        for (String transport : new String[] {"tcp", "udp"}) {
            assertContains(out, "RADIO/DISH over " + transport + " done");
        }
        assertEquals(2, count(out, "Dish received [weather] sunny"), out);
        assertEquals(2, count(out, "Dish received [news] elections"), out);
        assertEquals(2, count(out, "Dish received [weather] rainy"), out);
        assertEquals(2, count(out, "Nothing else arrived: true"), out);
        assertFalse(out.contains("goal!") || out.contains("more elections"), out);
    }

    @Test
    void secureCurve() {
        String out = run(SecureCurve::main);
        String clientKey = assertFinds(out, "^Client public key: (\\S{40})$").group(1);
        assertContains(out, "Server received 'top secret' from User-Id " + clientKey);
        assertContains(out, "Trusted client received 'understood'");
        assertContains(out, "Untrusted client refused: HANDSHAKE_FAILED_AUTH 400");
    }

    @Test
    void pollerDemo() {
        String out = run(PollerDemo::main);
        Matcher m = assertFinds(out, "^One thread polled 5 tasks and (\\d+) weather updates$");
        assertTrue(Integer.parseInt(m.group(1)) >= 3, out);
    }

    @Test
    void zeroGarbage() {
        String out = run(ZeroGarbage::main);
        assertContains(out, "Received 200000 messages of 64 bytes, in order");
        assertContains(out, "Allocated during the last 180000 messages");
    }

    @Test
    void monitoring() {
        String out = run(Monitoring::main);
        assertFinds(out, "^server: LISTENING tcp://127\\.0\\.0\\.1:\\d+");
        assertContains(out, "Client got pong");
        assertContains(out, "client: HANDSHAKE_SUCCEEDED");
        assertContains(out, "server: HANDSHAKE_SUCCEEDED");
        assertContains(out, "server: DISCONNECTED");
        assertContains(out, "server: CLOSED");
    }
}
