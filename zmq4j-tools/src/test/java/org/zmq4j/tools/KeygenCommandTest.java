package org.zmq4j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.Certificate;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Z85;

import picocli.CommandLine;

/** {@code zmq4j keygen}: key pairs printed in Z85, and certificate files. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeygenCommandTest {
    private static final int USAGE_ERROR = 2;

    @TempDir
    Path dir;

    @Test
    void printsAMatchingKeyPairInZ85LikeCurveKeygen() {
        Run run = Run.of("keygen");
        assertEquals(0, run.exitCode, run::describe);
        List<String> lines = run.out.lines().toList();
        assertEquals(5, lines.size(), run::describe);
        assertEquals("== CURVE PUBLIC KEY ==", lines.get(0));
        assertEquals("", lines.get(2));
        assertEquals("== CURVE SECRET KEY ==", lines.get(3));
        CurveKeyPair derived = CurveKeyPair.fromSecretKey(Z85.decode(lines.get(4)));
        assertEquals(lines.get(1), derived.publicKeyZ85(), "the public key belongs to the secret key");
        assertNotEquals(lines.get(1), Run.of("keygen").out.lines().toList().get(1), "fresh keys each time");
    }

    @Test
    void writesCertificateFilesWithMetadata() throws IOException {
        Path certs = dir.resolve("certs");
        Run run = Run.of("keygen", "--cert", certs.toString(), "alice", "-m", "name=Alice", "--meta", "email=alice@example.org");
        assertEquals(0, run.exitCode, run::describe);
        Certificate pub = Certificate.load(certs.resolve("alice.key"));
        Certificate secret = Certificate.load(certs.resolve("alice.key_secret"));
        assertFalse(pub.hasSecretKey());
        assertEquals(pub.publicKeyZ85(), secret.publicKeyZ85());
        assertEquals(Map.of("name", "Alice", "email", "alice@example.org"), secret.metadata());
        assertEquals(List.of("public certificate: " + certs.resolve("alice.key"),
                "secret certificate: " + certs.resolve("alice.key_secret"),
                "public key: " + pub.publicKeyZ85()), run.out.lines().toList());
        if (Files.getFileStore(certs).supportsFileAttributeView(PosixFileAttributeView.class)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("alice.key_secret"))));
        }
    }

    @Test
    void refusesToReplaceExistingFilesWithoutForce() throws IOException {
        assertEquals(0, Run.of("keygen", "--cert", dir.toString(), "bob").exitCode);
        String before = Files.readString(dir.resolve("bob.key"));
        Run again = Run.of("keygen", "--cert", dir.toString(), "bob");
        assertEquals(Main.EXIT_FAILURE, again.exitCode, again::describe);
        assertTrue(again.err.contains("--force"), again::describe);
        assertEquals(before, Files.readString(dir.resolve("bob.key")));

        Run forced = Run.of("keygen", "--cert", dir.toString(), "bob", "--force");
        assertEquals(0, forced.exitCode, forced::describe);
        assertNotEquals(before, Files.readString(dir.resolve("bob.key")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "keygen --cert DIR",
        "keygen alice",
        "keygen -m name=x",
        "keygen --cert DIR a/b",
        "keygen --cert DIR alice -m public-key=x",
        "keygen --cert DIR alice -m bad name=x",
        "keygen --cert DIR alice extra"})
    void badArgumentsAreUsageErrors(String commandLine) {
        String[] args = commandLine.replace("DIR", dir.toString()).split(" ");
        Run run = Run.of(args);
        assertEquals(USAGE_ERROR, run.exitCode, run::describe);
        assertTrue(run.out.isEmpty(), run::describe);
    }

    @Test
    void helpListsKeygen() {
        Run run = Run.of("--help");
        assertEquals(0, run.exitCode, run::describe);
        assertTrue(run.out.contains("keygen"), run::describe);
    }

    /** One in-process run of the {@code zmq4j} command line with its output captured. */
    private static final class Run {
        final int exitCode;
        final String out;
        final String err;

        private Run(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        static Run of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            int exitCode = commandLine.execute(args);
            return new Run(exitCode, out.toString(), err.toString());
        }

        String describe() {
            return "exit code " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }
}
