package org.zmq4j.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.Certificate;
import org.zmq4j.CurveKeyPair;

/** {@link Certificate} files cross-read with pyzmq's zmq.auth (create_certificates, load_certificate(s)). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CertificatePyzmqTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needPyzmq() {
        Pyzmq.assumeAvailable();
    }

    @Test
    void zmq4jReadsCertificatesWrittenByPyzmq() throws IOException {
        List<String> out = Pyzmq.run(String.join("\n",
                "import sys, zmq.auth",
                "pub, sec = zmq.auth.create_certificates(sys.argv[1], 'pyuser', metadata={'name': 'Py User', 'team': 'ops'})",
                "p, s = zmq.auth.load_certificate(sec)",
                "print(p.decode()); print(s.decode())"), dir.toString());
        String publicZ85 = out.get(0);
        String secretZ85 = out.get(1);

        Certificate pub = Certificate.load(dir.resolve("pyuser.key"));
        assertEquals(publicZ85, pub.publicKeyZ85());
        assertFalse(pub.hasSecretKey());

        Certificate secret = Certificate.load(dir.resolve("pyuser.key_secret"));
        assertEquals(publicZ85, secret.publicKeyZ85());
        assertEquals(secretZ85, secret.secretKeyZ85());
        assertEquals(CurveKeyPair.fromSecretKey(secret.secretKey()), secret.keyPair(), "pyzmq's keys belong together");
        // pyzmq writes the metadata into the secret file only, unquoted
        assertEquals(Map.of("name", "Py User", "team", "ops"), secret.metadata());
    }

    @Test
    void pyzmqReadsCertificatesWrittenByZmq4j() throws IOException {
        Certificate cert = Certificate.generate().setMetadata("name", "Java \"J\" User").setMetadata("email", "j@example.org");
        cert.save(dir.resolve("javauser.key"));
        Certificate other = Certificate.generate();
        other.save(dir.resolve("other.key"));

        List<String> out = Pyzmq.run(String.join("\n",
                "import sys, zmq.auth",
                "d = sys.argv[1]",
                "p, s = zmq.auth.load_certificate(d + '/javauser.key')",
                "print(p.decode()); print(s)",
                "p, s = zmq.auth.load_certificate(d + '/javauser.key_secret')",
                "print(p.decode()); print(s.decode())",
                "print(' '.join(sorted(k.decode() for k in zmq.auth.load_certificates(d))))"), dir.toString());

        assertEquals(cert.publicKeyZ85(), out.get(0));
        assertEquals("None", out.get(1), "the public file holds no secret key");
        assertEquals(cert.publicKeyZ85(), out.get(2));
        assertEquals(cert.secretKeyZ85(), out.get(3));
        String both = List.of(cert.publicKeyZ85(), other.publicKeyZ85()).stream().sorted().reduce((a, b) -> a + " " + b).get();
        assertEquals(both, out.get(4), "load_certificates finds both *.key files");
    }

    @Test
    void keysRoundTripThroughBothLibraries() throws IOException {
        // zmq4j writes, pyzmq reads and rewrites with create-style files, zmq4j reads again
        Certificate cert = Certificate.generate();
        cert.save(dir.resolve("a.key"));
        Pyzmq.run(String.join("\n",
                "import sys, zmq.auth",
                "from zmq.auth.certs import _write_key_file",
                "d = sys.argv[1]",
                "p, s = zmq.auth.load_certificate(d + '/a.key_secret')",
                "_write_key_file(d + '/b.key_secret', '# by pyzmq\\n', p, s, {'from': 'pyzmq'})"), dir.toString());
        Certificate back = Certificate.load(dir.resolve("b.key_secret"));
        assertEquals(cert, back);
        assertTrue(back.hasSecretKey());
        assertEquals("pyzmq", back.metadata("from"));
    }
}
