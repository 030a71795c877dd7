package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * libsodium, reached through Python's ctypes (the libsodium that libzmq links), as an oracle for
 * {@link CryptoBox}. Tests that use it are skipped when python3 or libsodium is missing.
 */
final class Libsodium {
    private static final String PYTHON = System.getProperty("zmq4j.python", "/usr/bin/python3");
    private static final HexFormat HEX = HexFormat.of();
    private static final String SCRIPT = """
            import sys, ctypes, ctypes.util
            def load():
                for name in ('libsodium.so.23', ctypes.util.find_library('sodium')):
                    if name:
                        try:
                            return ctypes.CDLL(name)
                        except OSError:
                            pass
                return None
            s = load()
            if s is None or s.sodium_init() < 0:
                print('NOSODIUM')
                sys.exit(0)
            B = ctypes.create_string_buffer
            L = ctypes.c_ulonglong
            for req in sys.stdin.read().split():
                op, *a = req.split(':')
                a = [bytes.fromhex(x) for x in a]
                if op == 'pub':
                    o = B(32); s.crypto_scalarmult_base(o, a[0]); print(o.raw.hex())
                elif op == 'scalarmult':
                    o = B(32); rc = s.crypto_scalarmult(o, a[0], a[1]); print('ERR' if rc else o.raw.hex())
                elif op == 'hsalsa20':
                    o = B(32); s.crypto_core_hsalsa20(o, a[1], a[0], None); print(o.raw.hex())
                elif op == 'beforenm':
                    o = B(32); rc = s.crypto_box_beforenm(o, a[0], a[1]); print('ERR' if rc else o.raw.hex())
                elif op == 'afternm':
                    k, n, m = a; o = B(len(m) + 16); s.crypto_box_easy_afternm(o, m, L(len(m)), n, k); print(o.raw.hex())
                elif op == 'secretbox':
                    k, n, m = a; o = B(len(m) + 16); s.crypto_secretbox_easy(o, m, L(len(m)), n, k); print(o.raw.hex())
                elif op == 'box':
                    pk, sk, n, m = a; o = B(len(m) + 16); rc = s.crypto_box_easy(o, m, L(len(m)), n, pk, sk)
                    print('ERR' if rc else o.raw.hex())
                elif op == 'openafternm':
                    k, n, c = a; o = B(max(len(c) - 16, 1))
                    rc = s.crypto_box_open_easy_afternm(o, c, L(len(c)), n, k)
                    print('FAIL' if rc else (o.raw[:len(c) - 16].hex() or '-'))
                else:
                    print('BADOP')
            """;

    private final List<String> requests = new ArrayList<>();

    /** Queues a request: an operation name and its byte arguments. Returns its index in the answers. */
    int ask(String op, byte[]... args) {
        StringBuilder b = new StringBuilder(op);
        for (byte[] a : args) {
            b.append(':').append(HEX.formatHex(a));
        }
        requests.add(b.toString());
        return requests.size() - 1;
    }

    /**
     * Runs every queued request in one python process. Skips the test (assumption) when python or
     * libsodium is not there.
     *
     * @return one answer per request: hex bytes, "ERR", "FAIL" or "-" (empty plaintext)
     */
    List<String> run() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(PYTHON, "-c", SCRIPT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            Assumptions.abort(PYTHON + " is not available: " + e.getMessage());
            throw e;
        }
        try (var in = p.getOutputStream()) {
            in.write(String.join("\n", requests).getBytes(StandardCharsets.US_ASCII));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), "python failed");
        List<String> lines = out.lines().toList();
        Assumptions.assumeFalse(lines.size() == 1 && lines.get(0).equals("NOSODIUM"), "libsodium is not available");
        assertEquals(requests.size(), lines.size(), "one answer per request");
        return lines;
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }
}
