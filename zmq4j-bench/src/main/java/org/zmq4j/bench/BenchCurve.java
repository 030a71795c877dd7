package org.zmq4j.bench;

import java.util.Map;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Z85;

/**
 * The CURVE server key pair of a {@code --curve} comparison, as {@link Compare} hands it to every
 * process it starts: in the environment, {@value #PUBLIC} and {@value #SECRET}, Z85-encoded (the C
 * programs read the same two variables in {@code zmq_common.h}). The binding side of a run is the
 * CURVE server; the connecting side is a client with a key pair of its own, made when it connects.
 * <p>
 * Immutable and thread-safe.
 *
 * @param serverPublic the server's public key, 40 Z85 characters
 * @param serverSecret the server's secret key, 40 Z85 characters
 */
record BenchCurve(String serverPublic, String serverSecret) {
    /** The server's public key, Z85. */
    static final String PUBLIC = "ZMQ4J_BENCH_CURVE_SERVER_PUBLIC";
    /** The server's secret key, Z85. */
    static final String SECRET = "ZMQ4J_BENCH_CURVE_SERVER_SECRET";

    BenchCurve {
        if (serverPublic.length() != 40 || serverSecret.length() != 40) {
            throw new IllegalArgumentException(PUBLIC + " and " + SECRET + " must be 40-character Z85 keys");
        }
    }

    /** A new server key pair for one comparison. */
    static BenchCurve generate() {
        CurveKeyPair server = CurveKeyPair.generate();
        return new BenchCurve(server.publicKeyZ85(), server.secretKeyZ85());
    }

    /**
     * The key pair in {@code env}, or null when the run is not CURVE (neither variable set).
     *
     * @throws IllegalArgumentException when only one is set, or a key is not 40 characters
     */
    static BenchCurve from(Map<String, String> env) {
        String pub = env.get(PUBLIC);
        String sec = env.get(SECRET);
        if (pub == null && sec == null) {
            return null;
        }
        if (pub == null || sec == null) {
            throw new IllegalArgumentException(PUBLIC + " and " + SECRET + " go together; only one is set");
        }
        return new BenchCurve(pub, sec);
    }

    /** This process's key pair, from its environment, or null (see {@link #from}). */
    static BenchCurve fromEnvironment() {
        return from(System.getenv());
    }

    /** Puts the two variables into a child process's environment. */
    void export(Map<String, String> env) {
        env.put(PUBLIC, serverPublic);
        env.put(SECRET, serverSecret);
    }

    /** The server's public key, 32 bytes. */
    byte[] serverPublicKey() {
        return Z85.decode(serverPublic);
    }

    /** The server's secret key, 32 bytes. */
    byte[] serverSecretKey() {
        return Z85.decode(serverSecret);
    }
}
