package org.zmq4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Authenticator;
import org.zmq4j.Certificate;
import org.zmq4j.Context;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.MonitorHandle;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;

/**
 * Encryption and authentication with CURVE (rfc-26): the server has a key pair and every client
 * knows its public key; each client has a key pair of its own, and an {@link Authenticator} lets in
 * only the clients whose public keys the server trusts.
 * <p>
 * With {@link Option#CURVE_SERVER} and its keys, a server accepts only CURVE clients; everything
 * on the wire is encrypted. Which clients get in is the ZAP handler's decision (rfc-27): the
 * Authenticator, created before the server socket, reads the trusted public keys from a directory
 * of certificates. The server learns who sent a message from its "User-Id" property, the client's
 * public key in Z85. A client with any other key is refused during the handshake; its monitor
 * reports HANDSHAKE_FAILED_AUTH with the ZAP status code 400.
 */
public final class SecureCurve {
    private static final int TIMEOUT_MS = 5_000;

    private SecureCurve() {
    }

    public static void main(String[] args) throws Exception {
        CurveKeyPair serverKeys = CurveKeyPair.generate();
        CurveKeyPair clientKeys = CurveKeyPair.generate();
        CurveKeyPair intruderKeys = CurveKeyPair.generate();
        System.out.println("Server public key: " + serverKeys.publicKeyZ85());
        System.out.println("Client public key: " + clientKeys.publicKeyZ85());

        // The trusted clients: a directory of public certificates, as pyzmq and CZMQ write them.
        Path trusted = Files.createTempDirectory("zmq4j-trusted-keys");
        Path clientCertificate = trusted.resolve("client.key");
        Certificate.of(clientKeys).savePublic(clientCertificate);
        try (Context context = new Context();
             Authenticator authenticator = new Authenticator(context);
             Socket server = context.socket(SocketType.REP);
             Socket client = context.socket(SocketType.REQ);
             Socket intruder = context.socket(SocketType.REQ)) {
            authenticator.configureCurve(Authenticator.ANY_DOMAIN, trusted);

            server.setOption(Option.CURVE_SERVER, true);
            server.setOption(Option.CURVE_SECRETKEY, serverKeys.secretKey());
            server.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            server.bind("tcp://127.0.0.1:*");

            client.setOption(Option.CURVE_SERVERKEY, serverKeys.publicKey());
            client.setOption(Option.CURVE_PUBLICKEY, clientKeys.publicKey());
            client.setOption(Option.CURVE_SECRETKEY, clientKeys.secretKey());
            client.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            client.connect(server.lastEndpoint());

            client.send("top secret");
            String request = server.recvString();
            if (request == null) {
                throw new IllegalStateException("the trusted client got nothing through within " + TIMEOUT_MS + " ms");
            }
            System.out.println("Server received '" + request
                    + "' from User-Id " + server.messageProperty("User-Id"));
            server.send("understood");
            String reply = client.recvString();
            if (reply == null) {
                throw new IllegalStateException("no reply within " + TIMEOUT_MS + " ms");
            }
            System.out.println("Trusted client received '" + reply + "'");

            // A client whose key is not in the directory: the handshake is refused.
            CompletableFuture<SocketEvent> refusal = new CompletableFuture<>();
            try (MonitorHandle monitor = intruder.addMonitor(refusal::complete, SocketEvent.Type.HANDSHAKE_FAILED_AUTH.code())) {
                intruder.setOption(Option.CURVE_SERVERKEY, serverKeys.publicKey());
                intruder.setOption(Option.CURVE_PUBLICKEY, intruderKeys.publicKey());
                intruder.setOption(Option.CURVE_SECRETKEY, intruderKeys.secretKey());
                intruder.connect(server.lastEndpoint());
                SocketEvent event = refusal.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                System.out.println("Untrusted client refused: " + event.type() + " " + event.value());
            }
        } finally {
            Files.deleteIfExists(clientCertificate);
            Files.deleteIfExists(trusted);
        }
    }
}
