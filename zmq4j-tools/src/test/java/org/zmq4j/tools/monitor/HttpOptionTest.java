package org.zmq4j.tools.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.monitor.jmx.ZmqJmx;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The options every long-running command mixes in: --http, --http-token, --jmx. */
@Timeout(60)
class HttpOptionTest {
    @Command(name = "probe")
    static final class Probe {
        @Spec
        CommandSpec spec;
        @Mixin
        HttpOption http = new HttpOption();
    }

    private static Probe parse(StringWriter err, String... args) {
        Probe p = new Probe();
        CommandLine cl = new CommandLine(p);
        cl.setErr(new PrintWriter(err, true));
        cl.parseArgs(args);
        return p;
    }

    @Test
    void jmxRegistersTheContextUntilClosed() throws Exception {
        StringWriter err = new StringWriter();
        Probe p = parse(err, "--jmx");
        ObjectName name = ZmqJmx.contextObjectName("probe");
        try (Context ctx = new Context()) {
            try (AutoCloseable running = p.http.start(p.spec, "zmq4j probe", ctx)) {
                assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(name));
                assertFalse(p.http.enabled(), "no --http: no server");
                assertEquals("", err.toString());
            }
            assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(name), "unregistered at the end");
        }
    }

    @Test
    void httpServesAndSaysWhereWithoutTheToken() throws Exception {
        StringWriter err = new StringWriter();
        Probe p = parse(err, "--http", "127.0.0.1:0", "--http-token", "hush");
        try (Context ctx = new Context(); AutoCloseable running = p.http.start(p.spec, "zmq4j probe", ctx)) {
            Matcher m = Pattern.compile("probe: monitor on (http://127\\.0\\.0\\.1:\\d+/) \\(token required\\)").matcher(err.toString());
            assertTrue(m.find(), err.toString());
            assertFalse(err.toString().contains("hush"));
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(m.group(1) + "api/connections?token=hush")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("\"connections\":["), r.body());
        }
    }

    @Test
    void aBadAddressIsAUsageError() {
        Probe p = parse(new StringWriter(), "--http", "8080");
        try (Context ctx = new Context()) {
            CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                    () -> p.http.start(p.spec, "zmq4j probe", ctx));
            assertTrue(e.getMessage().contains("--http") && e.getMessage().contains("8080"), e.getMessage());
        }
    }
}
