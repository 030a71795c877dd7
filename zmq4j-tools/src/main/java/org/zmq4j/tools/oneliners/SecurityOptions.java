package org.zmq4j.tools.oneliners;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.function.Consumer;

import org.zmq4j.Authenticator;
import org.zmq4j.Certificate;
import org.zmq4j.Context;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.Z85;
import org.zmq4j.ZmqException;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The CURVE and PLAIN options shared by the socket commands, named after libzmq's socket options
 * (a picocli argument group, shown under its own heading). {@link #resolve} checks them and reads
 * keys and files into a {@link Plan} before any socket exists, so that a mistake is a usage error;
 * {@link Plan#apply} then configures the socket.
 * <p>
 * Thread-safety: filled in by picocli, then used by the command's thread only.
 */
public final class SecurityOptions {
    @picocli.CommandLine.Option(names = "--curve-server",
            description = "Be a CURVE server (CURVE_SERVER), with --curve-secretkey or --curve-cert. Clients need its"
                    + " public key. Any client key is accepted unless --curve-clients is given.")
    boolean curveServer;

    @picocli.CommandLine.Option(names = "--curve-secretkey", paramLabel = "Z85",
            description = "This socket's CURVE secret key (CURVE_SECRETKEY), 40 characters of Z85 as 'zmq4j keygen'"
                    + " prints; the public key is derived from it.")
    String secretKey;

    @picocli.CommandLine.Option(names = "--curve-publickey", paramLabel = "Z85",
            description = "This socket's CURVE public key (CURVE_PUBLICKEY); optional, checked against --curve-secretkey.")
    String publicKey;

    @picocli.CommandLine.Option(names = "--curve-serverkey", paramLabel = "Z85|FILE",
            description = "Be a CURVE client of the server with this public key (CURVE_SERVERKEY): 40 characters of Z85,"
                    + " or the server's certificate file. Without --curve-secretkey/--curve-cert the client uses a new"
                    + " key pair.")
    String serverKey;

    @picocli.CommandLine.Option(names = "--curve-cert", paramLabel = "FILE",
            description = "This socket's CURVE keys from a secret certificate file, as 'zmq4j keygen --cert' writes"
                    + " (NAME.key_secret; NAME.key is taken to mean it).")
    Path certificate;

    @picocli.CommandLine.Option(names = "--curve-clients", paramLabel = "DIR",
            description = "With --curve-server: let in only clients whose public certificates (*.key) are in DIR.")
    Path clientsDirectory;

    @picocli.CommandLine.Option(names = "--plain-server",
            description = "Be a PLAIN server (PLAIN_SERVER). Any username and password is accepted unless"
                    + " --plain-passwords is given.")
    boolean plainServer;

    @picocli.CommandLine.Option(names = "--plain-username", paramLabel = "USER",
            description = "Be a PLAIN client with this username (PLAIN_USERNAME).")
    String username;

    @picocli.CommandLine.Option(names = "--plain-password", paramLabel = "PASSWORD",
            description = "The PLAIN client's password (PLAIN_PASSWORD; default: empty).")
    String password;

    @picocli.CommandLine.Option(names = "--plain-passwords", paramLabel = "FILE",
            description = "With --plain-server: let in only the users of FILE, one 'username=password' per line"
                    + " (zauth's format; # starts a comment).")
    Path passwordFile;

    /** Used by picocli. */
    public SecurityOptions() {
    }

    /**
     * What the options ask for, checked and with keys read: a socket without security when
     * {@code options} is null (no security option given).
     *
     * @param options the group picocli filled in, or null
     * @param spec    the command, for usage errors
     * @return the plan
     * @throws ParameterException for conflicting options, malformed keys, unreadable files
     */
    static Plan resolve(SecurityOptions options, CommandSpec spec) {
        return options == null ? Plan.NONE : options.resolve(spec);
    }

    private Plan resolve(CommandSpec spec) {
        boolean curve = curveServer || secretKey != null || publicKey != null || serverKey != null
                || certificate != null || clientsDirectory != null;
        boolean plain = plainServer || username != null || password != null || passwordFile != null;
        if (curve && plain) {
            throw usage(spec, "CURVE and PLAIN options cannot be combined: a socket uses one security mechanism");
        }
        if (plain) {
            return plain(spec);
        }
        if (curve) {
            return curve(spec);
        }
        return Plan.NONE;
    }

    private Plan plain(CommandSpec spec) {
        if (plainServer) {
            if (username != null || password != null) {
                throw usage(spec, "--plain-server is the server side; --plain-username/--plain-password are for clients");
            }
            if (passwordFile != null && !Files.isReadable(passwordFile)) {
                throw usage(spec, "--plain-passwords " + passwordFile + ": no such readable file");
            }
            return new Plan(Mechanism.PLAIN_SERVER, null, null, null, null, passwordFile, null);
        }
        if (passwordFile != null) {
            throw usage(spec, "--plain-passwords needs --plain-server");
        }
        if (username == null) {
            throw usage(spec, "--plain-password needs --plain-username");
        }
        if (username.isEmpty()) {
            throw usage(spec, "--plain-username must not be empty");
        }
        return new Plan(Mechanism.PLAIN_CLIENT, null, null, username, password == null ? "" : password, null, null);
    }

    private Plan curve(CommandSpec spec) {
        if (curveServer && serverKey != null) {
            throw usage(spec, "--curve-server is the server side; --curve-serverkey is for clients");
        }
        if (!curveServer && serverKey == null) {
            throw usage(spec, "CURVE keys need --curve-server (a server) or --curve-serverkey (a client)");
        }
        if (clientsDirectory != null) {
            if (!curveServer) {
                throw usage(spec, "--curve-clients needs --curve-server");
            }
            if (!Files.isDirectory(clientsDirectory)) {
                throw usage(spec, "--curve-clients " + clientsDirectory + ": no such directory");
            }
        }
        if (certificate != null && (secretKey != null || publicKey != null)) {
            throw usage(spec, "give the keys either with --curve-cert or with --curve-secretkey, not both");
        }
        CurveKeyPair keys = ownKeys(spec);
        if (curveServer) {
            if (keys == null) {
                throw usage(spec, "--curve-server needs the server's secret key: --curve-secretkey Z85 or --curve-cert FILE");
            }
            return new Plan(Mechanism.CURVE_SERVER, keys, null, null, null, null, clientsDirectory);
        }
        byte[] server = serverPublicKey(spec);
        return new Plan(Mechanism.CURVE_CLIENT, keys, server, null, null, null, null);
    }

    /** The socket's own key pair from the options, or null when none was given. */
    private CurveKeyPair ownKeys(CommandSpec spec) {
        if (certificate != null) {
            Certificate cert = loadCertificate(spec, certificate, "--curve-cert");
            if (!cert.hasSecretKey()) {
                Path secretFile = certificate.resolveSibling(certificate.getFileName() + Certificate.SECRET_SUFFIX);
                if (Files.isReadable(secretFile)) {
                    cert = loadCertificate(spec, secretFile, "--curve-cert");
                }
            }
            if (!cert.hasSecretKey()) {
                throw usage(spec, "--curve-cert " + certificate + " holds no secret key: give the secret certificate"
                        + " (NAME.key" + Certificate.SECRET_SUFFIX + ")");
            }
            return cert.keyPair();
        }
        if (secretKey == null) {
            if (publicKey != null) {
                throw usage(spec, "--curve-publickey needs --curve-secretkey");
            }
            return null;
        }
        CurveKeyPair pair = CurveKeyPair.fromSecretKey(key(spec, secretKey, "--curve-secretkey"));
        if (publicKey != null && !MessageDigest.isEqual(pair.publicKey(), key(spec, publicKey, "--curve-publickey"))) {
            throw usage(spec, "--curve-publickey " + publicKey + " does not belong to --curve-secretkey (its public key is "
                    + pair.publicKeyZ85() + ")");
        }
        return pair;
    }

    private byte[] serverPublicKey(CommandSpec spec) {
        if (serverKey.length() == 40 && !Files.exists(Path.of(serverKey))) {
            return key(spec, serverKey, "--curve-serverkey");
        }
        Path file = Path.of(serverKey);
        if (!Files.isRegularFile(file)) {
            throw usage(spec, "--curve-serverkey '" + serverKey + "' is neither a 40-character Z85 key nor a certificate file");
        }
        return loadCertificate(spec, file, "--curve-serverkey").publicKey();
    }

    private static Certificate loadCertificate(CommandSpec spec, Path file, String option) {
        try {
            return Certificate.load(file);
        } catch (IOException e) {
            throw usage(spec, option + " " + file + ": cannot read it: " + e.getMessage());
        } catch (ZmqException e) {
            throw usage(spec, option + " " + file + ": not a certificate: " + e.getMessage());
        }
    }

    private static byte[] key(CommandSpec spec, String z85, String option) {
        if (z85.length() != 40) {
            throw usage(spec, option + " must be 40 characters of Z85, got " + z85.length());
        }
        try {
            return Z85.decode(z85);
        } catch (ZmqException e) {
            throw usage(spec, option + " is not valid Z85: " + e.getMessage());
        }
    }

    private static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The security mechanism and side a socket takes. */
    enum Mechanism {
        /** No security (NULL). */
        NONE,
        /** CURVE_SERVER with its keys. */
        CURVE_SERVER,
        /** CURVE_SERVERKEY and the client's keys. */
        CURVE_CLIENT,
        /** PLAIN_SERVER with a ZAP handler. */
        PLAIN_SERVER,
        /** PLAIN_USERNAME and PLAIN_PASSWORD. */
        PLAIN_CLIENT
    }

    /**
     * A checked security configuration. Immutable; {@link #apply} is called by the socket's owner.
     *
     * @param mechanism     what the socket does
     * @param keys          its CURVE key pair (CURVE; null for a client that generates one)
     * @param serverKey     the server's public key (CURVE client)
     * @param username      PLAIN client username
     * @param password      PLAIN client password
     * @param passwordFile  PLAIN server's password file, or null for anyone
     * @param clientsDirectory CURVE server's client certificates, or null for anyone
     */
    record Plan(Mechanism mechanism, CurveKeyPair keys, byte[] serverKey, String username, String password,
                Path passwordFile, Path clientsDirectory) {
        /** No security option given. */
        static final Plan NONE = new Plan(Mechanism.NONE, null, null, null, null, null, null);

        /**
         * Configures {@code socket} (before its bind or connect) and starts the ZAP handler a server
         * needs.
         *
         * @param context the socket's context
         * @param socket  the socket
         * @param notes   gets lines about what was set up
         * @return the ZAP handler to close when done, or null
         * @throws IOException when the password file or certificate directory cannot be read now
         */
        AutoCloseable apply(Context context, Socket socket, Consumer<String> notes) throws IOException {
            switch (mechanism) {
                case NONE:
                    return null;
                case PLAIN_CLIENT:
                    // as in libzmq, an empty value switches the socket back to NULL: the username goes last
                    socket.setOption(Option.PLAIN_PASSWORD, password);
                    socket.setOption(Option.PLAIN_USERNAME, username);
                    return null;
                case PLAIN_SERVER: {
                    AutoCloseable zap;
                    if (passwordFile == null) {
                        zap = new OpenZapHandler(context, notes);
                    } else {
                        Authenticator auth = new Authenticator(context);
                        zap = auth;
                        try {
                            auth.configurePlain(Authenticator.ANY_DOMAIN, passwordFile);
                        } catch (IOException | RuntimeException e) {
                            auth.close();
                            throw e;
                        }
                    }
                    socket.setOption(Option.PLAIN_SERVER, true);
                    return zap;
                }
                case CURVE_SERVER: {
                    Authenticator auth = null;
                    if (clientsDirectory != null) {
                        auth = new Authenticator(context);
                        try {
                            auth.configureCurve(Authenticator.ANY_DOMAIN, clientsDirectory);
                        } catch (IOException | RuntimeException e) {
                            auth.close();
                            throw e;
                        }
                    }
                    socket.setOption(Option.CURVE_SERVER, true);
                    socket.setOption(Option.CURVE_PUBLICKEY, keys.publicKey());
                    socket.setOption(Option.CURVE_SECRETKEY, keys.secretKey());
                    notes.accept("CURVE server, public key " + keys.publicKeyZ85());
                    return auth;
                }
                case CURVE_CLIENT: {
                    CurveKeyPair own = keys;
                    if (own == null) {
                        own = CurveKeyPair.generate();
                        notes.accept("CURVE client with a new key pair, public key " + own.publicKeyZ85());
                    }
                    socket.setOption(Option.CURVE_PUBLICKEY, own.publicKey());
                    socket.setOption(Option.CURVE_SECRETKEY, own.secretKey());
                    socket.setOption(Option.CURVE_SERVERKEY, serverKey.clone());
                    return null;
                }
                default:
                    throw new IllegalStateException("unknown mechanism " + mechanism);
            }
        }
    }
}
