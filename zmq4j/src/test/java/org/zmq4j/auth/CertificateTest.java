package org.zmq4j.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.Certificate;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Z85;
import org.zmq4j.ZmqException;

/** {@link Certificate}: the ZPL certificate files of CZMQ's zcert and pyzmq's zmq.auth, without Python. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CertificateTest {
    @TempDir
    Path dir;

    @Test
    void savedCertificateReadsBackWithKeysAndMetadata() throws IOException {
        Certificate cert = Certificate.generate().setMetadata("name", "Alice").setMetadata("email", "alice@example.org");
        cert.save(dir.resolve("alice.key"));

        Certificate pub = Certificate.load(dir.resolve("alice.key"));
        assertFalse(pub.hasSecretKey());
        assertArrayEquals(cert.publicKey(), pub.publicKey());
        assertEquals(Map.of("name", "Alice", "email", "alice@example.org"), pub.metadata());
        assertEquals(List.of("name", "email"), List.copyOf(pub.metadata().keySet()), "order kept");
        assertEquals(cert.publicOnly(), pub);
        assertThrows(IllegalStateException.class, pub::keyPair);
        assertThrows(IllegalStateException.class, pub::secretKey);

        Certificate secret = Certificate.load(dir.resolve("alice.key_secret"));
        assertTrue(secret.hasSecretKey());
        assertEquals(cert, secret);
        assertEquals(cert.keyPair(), secret.keyPair());
        assertEquals("Alice", secret.metadata("name"));
        assertNull(secret.metadata("nope"));
    }

    @Test
    void publicFileNeverHoldsTheSecretKey() throws IOException {
        Certificate cert = Certificate.generate();
        cert.save(dir.resolve("c.key"));
        String publicText = Files.readString(dir.resolve("c.key"));
        assertFalse(publicText.contains(cert.secretKeyZ85()));
        assertFalse(publicText.contains("secret-key"));
        assertTrue(publicText.contains("public-key = \"" + cert.publicKeyZ85() + "\""));
        assertTrue(Files.readString(dir.resolve("c.key_secret")).contains("secret-key = \"" + cert.secretKeyZ85() + "\""));
        assertFalse(cert.toString().contains(cert.secretKeyZ85()), "toString hides the secret");
    }

    @Test
    void publicOnlyCertificateSavesOnlyThePublicFile() throws IOException {
        Certificate pub = Certificate.ofPublicKey(CurveKeyPair.generate().publicKeyZ85());
        pub.save(dir.resolve("peer.key"));
        assertTrue(Files.exists(dir.resolve("peer.key")));
        assertFalse(Files.exists(dir.resolve("peer.key_secret")));
        assertThrows(IllegalStateException.class, pub::toSecretText);
        assertThrows(IllegalStateException.class, () -> pub.saveSecret(dir.resolve("x")));
    }

    @Test
    void secretFileIsOwnerOnlyEvenWhenReplacingAReadableFile() throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class), "POSIX permissions");
        Path secret = dir.resolve("s.key_secret");
        Files.writeString(secret, "old");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-rw-rw-"));
        Certificate.generate().save(dir.resolve("s.key"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("s.key", "s.key_secret"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file left behind");
        }
    }

    @Test
    void readsZcertStyleTextWithCommentsBlankLinesAndCrLf() {
        String pub = CurveKeyPair.generate().publicKeyZ85();
        String text = "#   ****  Generated on 2016-01-01 by CZMQ  ****\r\n"
                + "#   ZeroMQ CURVE Public Certificate\r\n"
                + "\r\n"
                + "metadata\r\n"
                + "    name = \"Bob # not a comment\"    # a comment\r\n"
                + "    role = 'admin'\r\n"
                + "    unquoted = plain value   # trailing comment\r\n"
                + "    empty =\r\n"
                + "curve\r\n"
                + "    public-key = \"" + pub + "\"\r\n";
        Certificate c = Certificate.parse(text);
        assertEquals(pub, c.publicKeyZ85());
        assertEquals(Map.of("name", "Bob # not a comment", "role", "admin", "unquoted", "plain value", "empty", ""), c.metadata());
    }

    @Test
    void toleratesTabsAndOtherIndentation() {
        CurveKeyPair keys = CurveKeyPair.generate();
        String text = "metadata\n\tname = x\ncurve\n  public-key = \"" + keys.publicKeyZ85() + "\"\n  secret-key = \""
                + keys.secretKeyZ85() + "\"\n";
        Certificate c = Certificate.parse(text);
        assertEquals(keys, c.keyPair());
        assertEquals("x", c.metadata("name"));
    }

    @Test
    void zeroSecretKeyOfCzmqPublicCertificatesMeansNone() {
        String text = "curve\n    public-key = \"" + CurveKeyPair.generate().publicKeyZ85() + "\"\n    secret-key = \""
                + "0".repeat(40) + "\"\n";
        assertFalse(Certificate.parse(text).hasSecretKey());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "no curve section|metadata\n    name = x\n",
        "no public key|curve\n    secret-key = \"0000000000000000000000000000000000000000\"\n",
        "short key|curve\n    public-key = \"abc\"\n",
        "not Z85|curve\n    public-key = \"~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\"\n",
        "unclosed quote|curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\n",
        "text after quote|curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\" junk\n",
        "bad name|curve\n    public key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n"})
    void malformedCertificatesAreRefusedWithEinval(String testCase) {
        String text = testCase.substring(testCase.indexOf('|') + 1);
        ZmqException e = assertThrows(ZmqException.class, () -> Certificate.parse(text));
        assertEquals(ZmqException.Errno.EINVAL, e.errno());
    }

    @Test
    void secretKeyThatDoesNotBelongToThePublicKeyIsRefused() {
        String text = "curve\n    public-key = \"" + CurveKeyPair.generate().publicKeyZ85() + "\"\n    secret-key = \""
                + CurveKeyPair.generate().secretKeyZ85() + "\"\n";
        ZmqException e = assertThrows(ZmqException.class, () -> Certificate.parse(text));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void loadNamesTheFileAndLineOfASyntaxError() throws IOException {
        Path file = dir.resolve("broken.key");
        Files.writeString(file, "curve\n    = \"x\"\n");
        ZmqException e = assertThrows(ZmqException.class, () -> Certificate.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void metadataThatZplCannotHoldIsRefused() {
        Certificate c = Certificate.generate();
        for (String name : List.of("", "two words", "naïve", "public-key", "secret-key-note")) {
            assertThrows(ZmqException.class, () -> c.setMetadata(name, "v"), name);
        }
        assertThrows(ZmqException.class, () -> c.setMetadata("n", "line\nbreak"));
        assertThrows(ZmqException.class, () -> c.setMetadata("n", "both \" and '"));
    }

    @Test
    void metadataWithQuotesAndNonAsciiRoundTrips() {
        Certificate c = Certificate.generate()
                .setMetadata("quote", "say \"hi\"")
                .setMetadata("apostrophe", "it's")
                .setMetadata("unicode", "Zoë ✓")
                .setMetadata("hash", "#1 # two")
                .setMetadata("spaces", "  padded  ")
                .setMetadata("$odd-_@.&+/name", "ok");
        assertEquals(c.metadata(), Certificate.parse(c.toSecretText()).metadata());
        assertEquals(c.metadata(), Certificate.parse(c.toPublicText()).metadata());
        c.removeMetadata("quote");
        assertNull(c.metadata("quote"));
    }

    @Test
    void keyPairAndFactoriesAgree() {
        CurveKeyPair keys = CurveKeyPair.generate();
        Certificate c = Certificate.of(keys);
        assertEquals(keys, c.keyPair());
        assertEquals(keys.secretKeyZ85(), c.secretKeyZ85());
        assertEquals(Certificate.ofPublicKey(keys.publicKey()), Certificate.ofPublicKey(keys.publicKeyZ85()));
        assertEquals(c.publicOnly(), Certificate.ofPublicKey(keys.publicKey()));
        assertNotEquals(c, c.publicOnly());
        assertEquals(c.hashCode(), c.publicOnly().hashCode());
        assertThrows(ZmqException.class, () -> Certificate.ofPublicKey(new byte[31]));
        assertThrows(ZmqException.class, () -> Certificate.ofPublicKey("tooShort"));
        assertArrayEquals(Z85.decode(c.publicKeyZ85()), c.publicKey());
    }

    @Test
    void oversizedFileIsNotRead() throws IOException {
        Path big = dir.resolve("big.key");
        Files.write(big, new byte[(1 << 20) + 1]);
        assertThrows(IOException.class, () -> Certificate.load(big));
    }

    @Test
    void textIsUtf8() throws IOException {
        Certificate c = Certificate.generate().setMetadata("name", "Zoë");
        c.savePublic(dir.resolve("z.key"));
        assertTrue(new String(Files.readAllBytes(dir.resolve("z.key")), StandardCharsets.UTF_8).contains("Zoë"));
    }
}
