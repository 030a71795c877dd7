package org.zmq4j.tools.oneliners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine.TypeConversionException;

/**
 * The one-liners' usage errors (exit code 2, a message naming the option, nothing on standard
 * output, nothing opened), their help with the exit codes, and the time values; in-process, no peer.
 */
class OneLinerUsageTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "send hello|give at least one --bind EP or --connect EP",
        "recv|give at least one --bind EP or --connect EP",
        "pub --topic t x|give at least one --bind EP or --connect EP",
        "sub --subscribe a|give at least one --bind EP or --connect EP",
        "monitor|give at least one --bind EP or --connect EP",
        "send --connect tcp://127.0.0.1:1 --type bogus x|unknown socket type 'bogus'",
        "recv --connect tcp://127.0.0.1:1 --type push|--type push cannot receive here",
        "send --connect tcp://127.0.0.1:1 --type pull x|--type pull cannot send here",
        "pub --connect tcp://127.0.0.1:1 --type push x|--type push cannot publish here",
        "sub --connect tcp://127.0.0.1:1 --type pull|--type pull cannot subscribe here",
        "send --connect tcp://127.0.0.1:1 --hex 6869 zz|FRAME 2 'zz' is not hexadecimal",
        "send --connect tcp://127.0.0.1:1 --hex abc|(odd number of digits)",
        "pub --connect tcp://127.0.0.1:1 --hex --topic xyz 00|--topic 'xyz' is not hexadecimal",
        "sub --connect tcp://127.0.0.1:1 --hex --subscribe q|--subscribe 'q' is not hexadecimal",
        "send --connect tcp://127.0.0.1:1 --count -1 x|--count must be 0 (no end) or more",
        "recv --connect tcp://127.0.0.1:1 --count -2|--count must be 0 (no end) or more",
        "send --connect tcp://127.0.0.1:1 --timeout soon x|'soon' is not a time",
        "recv --connect tcp://127.0.0.1:1 --timeout -5|'-5' is out of range",
        "send --connect tcp://127.0.0.1:1 --interval forever x|--interval must be a time of 0 or more",
        "recv --connect tcp://127.0.0.1:1 --reply ok|--reply needs --type rep",
        "recv --connect tcp://127.0.0.1:1 --separator ''|--separator must not be empty",
        "recv --connect tcp://127.0.0.1:1 --hex --separator ab|is made of hex digits",
        "send --connect tcp://127.0.0.1:1 --curve-server x|--curve-server needs the server's secret key",
        "send --connect tcp://127.0.0.1:1 --curve-serverkey tooshort x|neither a 40-character Z85 key nor a certificate file",
        "send --connect tcp://127.0.0.1:1 --curve-secretkey abc x|CURVE keys need --curve-server (a server) or --curve-serverkey (a client)",
        "send --connect tcp://127.0.0.1:1 --curve-server --curve-secretkey abcde x|--curve-secretkey must be 40 characters of Z85",
        "send --connect tcp://127.0.0.1:1 --curve-serverkey rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7 --curve-clients /tmp x|--curve-clients needs --curve-server",
        "send --connect tcp://127.0.0.1:1 --curve-cert /nonexistent/x.key --curve-server x|--curve-cert /nonexistent/x.key: cannot read it",
        "send --connect tcp://127.0.0.1:1 --plain-username u --curve-server x|CURVE and PLAIN options cannot be combined",
        "send --connect tcp://127.0.0.1:1 --plain-password p x|--plain-password needs --plain-username",
        "send --connect tcp://127.0.0.1:1 --plain-server --plain-username u x|--plain-server is the server side",
        "recv --connect tcp://127.0.0.1:1 --plain-passwords /nonexistent|--plain-passwords needs --plain-server",
        "recv --bind tcp://127.0.0.1:0 --plain-server --plain-passwords /nonexistent|--plain-passwords /nonexistent: no such readable file",
        "monitor --connect tcp://127.0.0.1:1 --events connected,bogus|--events: unknown event 'bogus'",
        "proxy --frontend tcp://127.0.0.1:0|Missing required option: '--backend=EP'",
        "proxy --frontend tcp://127.0.0.1:0 --backend '>'|endpoint '>' is empty after its '>'",
        "proxy --frontend tcp://127.0.0.1:0 --backend tcp://127.0.0.1:0 --frontend-type server|server cannot be its frontend or backend",
        "proxy --frontend tcp://127.0.0.1:0 --backend tcp://127.0.0.1:0 --capture-type pull|--capture-type pull cannot send",
        "perf remote-thr tcp://127.0.0.1:1 10 10 --timeout later|'later' is not a time"})
    void usageErrorsExitWith2AndNameTheProblem(String commandLine, String expected) {
        InProcess run = InProcess.run(split(commandLine));
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::describe);
        assertTrue(run.err().contains(expected), () -> "expected '" + expected + "' in\n" + run.describe());
        assertTrue(run.out().isEmpty(), run::describe);
    }

    /** Splits at spaces; '' is an empty argument and 'x y' one argument without the quotes. */
    private static String[] split(String commandLine) {
        java.util.List<String> args = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([^']*)'|(\\S+)").matcher(commandLine);
        while (m.find()) {
            args.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return args.toArray(new String[0]);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"send", "recv", "pub", "sub", "monitor"})
    void helpListsTheExitCodes(String command) {
        InProcess run = InProcess.run(command, "--help");
        assertEquals(0, run.exitCode(), run::describe);
        String help = run.out();
        assertTrue(help.contains("Exit codes:"), help);
        for (String code : new String[] {"  0   ", "  1   ", "  2   usage error", "  3   timed out"}) {
            assertTrue(help.contains(code), () -> code + " missing in\n" + help);
        }
        for (String option : new String[] {"--bind", "--connect", "--type", "--count", "--timeout", "--linger",
            "--curve-serverkey", "--curve-publickey", "--curve-secretkey", "--curve-server", "--plain-username",
            "--plain-password", "--plain-server"}) {
            assertTrue(help.contains(option), () -> option + " missing in\n" + help);
        }
    }

    @Test
    void proxyAndPerfHelpListTheirExitCodes() {
        InProcess proxy = InProcess.run("proxy", "--help");
        assertTrue(proxy.out().contains("0   stopped by SIGINT/SIGTERM"), proxy::describe);
        for (String perf : new String[] {"local-thr", "remote-thr", "local-lat", "remote-lat"}) {
            InProcess run = InProcess.run("perf", perf, "--help");
            assertTrue(run.out().contains("3   timed out: no peer within --timeout"), run::describe);
            assertTrue(run.out().contains("--timeout"), run::describe);
        }
    }

    @Test
    void mainListsTheOneLiners() {
        InProcess run = InProcess.run("--help");
        for (String command : new String[] {"send", "recv", "pub", "sub", "proxy", "monitor"}) {
            assertTrue(run.out().contains("  " + command + " "), () -> command + " missing in\n" + run.describe());
        }
    }

    @Test
    void timesAreMillisecondsOrCarryAUnit() {
        assertEquals(1500, Millis.parse("1500"));
        assertEquals(250, Millis.parse("250ms"));
        assertEquals(2000, Millis.parse("2s"));
        assertEquals(60_000, Millis.parse("1m"));
        assertEquals(Millis.FOREVER, Millis.parse("-1"));
        assertEquals(Millis.FOREVER, Millis.parse("forever"));
        assertEquals(0, Millis.parse("0"));
        assertThrows(TypeConversionException.class, () -> Millis.parse("-2"));
        assertThrows(TypeConversionException.class, () -> Millis.parse("1y"));
        assertThrows(TypeConversionException.class, () -> Millis.parse("99999999h"));
    }
}
