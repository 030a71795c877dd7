package org.zmq4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

/** What the report says about the machine and the software under test. */
final class Machine {
    String date;
    String cpu;
    int cores;
    String kernel;
    String jvm;
    String jeromqVersion;
    String libzmqVersion = "n/a";
    String loadBefore;
    String loadAfter;
    double seconds;

    static Machine probe() {
        Machine m = new Machine();
        m.date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(java.time.ZoneOffset.UTC)).replaceAll("\\.\\d+", "");
        m.cpu = cpuModel();
        m.cores = Runtime.getRuntime().availableProcessors();
        m.kernel = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        m.jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        m.jeromqVersion = jeromqVersion();
        m.loadBefore = loadAverage();
        return m;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** The 1-minute load average as a number, or -1. */
    static double load1(String loadavg) {
        try {
            return Double.parseDouble(loadavg.split(" ")[0]);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String jeromqVersion() {
        try (InputStream in = Machine.class.getResourceAsStream("/META-INF/maven/org.zeromq/jeromq/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                return p.getProperty("version", "?");
            }
        } catch (IOException e) {
            // fall through
        }
        return "?";
    }
}
