package org.zmq4j.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.zmq4j.Certificate;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.ZmqException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zmq4j keygen}: makes a CURVE key pair. Without options it prints the pair in Z85, as
 * libzmq's {@code curve_keygen} does; with {@code --cert DIR NAME} it writes the certificate files
 * {@code DIR/NAME.key} (public) and {@code DIR/NAME.key_secret} (secret, owner-only) in the format
 * of CZMQ's zcert and pyzmq's zmq.auth, and prints their paths and the public key.
 */
@Command(name = "keygen",
        mixinStandardHelpOptions = true,
        header = "Generates a CURVE key pair, printed in Z85 or written as certificate files.",
        description = {
            "Without options, prints a new key pair in Z85 (like libzmq's curve_keygen): give the public key"
                    + " to peers (CURVE_SERVERKEY for a server's) and keep the secret key private.",
            "With --cert DIR NAME, writes DIR/NAME.key (public certificate) and DIR/NAME.key_secret (secret"
                    + " certificate, readable by its owner only), readable by zmq4j's Certificate, CZMQ's zcert"
                    + " and pyzmq's zmq.auth.load_certificate; an Authenticator accepts the clients whose .key"
                    + " files are in its CURVE directory."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:keys made", "1:the files could not be written (or exist; see --force)", "2:usage error"})
public final class KeygenCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--cert", paramLabel = "DIR",
            description = "Write certificate files into DIR (created if missing) instead of printing the keys.")
    private Path certDirectory;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "Base name of the certificate files (with --cert): NAME.key and NAME.key_secret.")
    private String name;

    @Option(names = {"-m", "--meta"}, paramLabel = "KEY=VALUE",
            description = "Metadata for the certificate (with --cert), e.g. -m name=Alice -m email=alice@example.org.")
    private Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = {"-f", "--force"}, description = "Replace existing certificate files (with --cert).")
    private boolean force;

    /** Used by picocli. */
    public KeygenCommand() {
    }

    /**
     * Generates the key pair and prints it or writes the certificate files.
     *
     * @return 0 on success, {@link Main#EXIT_FAILURE} when the files cannot be written
     */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (certDirectory == null) {
            if (name != null || !metadata.isEmpty() || force) {
                throw new ParameterException(spec.commandLine(), "NAME, --meta and --force need --cert DIR");
            }
            CurveKeyPair keys = CurveKeyPair.generate();
            out.println("== CURVE PUBLIC KEY ==");
            out.println(keys.publicKeyZ85());
            out.println();
            out.println("== CURVE SECRET KEY ==");
            out.println(keys.secretKeyZ85());
            out.flush();
            return 0;
        }
        if (name == null) {
            throw new ParameterException(spec.commandLine(), "--cert DIR needs a NAME for the certificate files");
        }
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new ParameterException(spec.commandLine(), "NAME must be a plain file name, got '" + name + "'");
        }
        Certificate certificate = Certificate.generate();
        try {
            metadata.forEach(certificate::setMetadata);
        } catch (ZmqException e) {
            throw new ParameterException(spec.commandLine(), "invalid --meta: " + e.getMessage());
        }
        Path publicFile = certDirectory.resolve(name + ".key");
        Path secretFile = certDirectory.resolve(name + ".key" + Certificate.SECRET_SUFFIX);
        PrintWriter err = spec.commandLine().getErr();
        try {
            Files.createDirectories(certDirectory);
            if (!force && (Files.exists(publicFile) || Files.exists(secretFile))) {
                err.println("keygen: " + (Files.exists(publicFile) ? publicFile : secretFile)
                        + " exists; use --force to replace it");
                err.flush();
                return Main.EXIT_FAILURE;
            }
            certificate.save(publicFile);
        } catch (IOException e) {
            err.println("keygen: cannot write the certificate files: " + e);
            err.flush();
            return Main.EXIT_FAILURE;
        }
        out.println("public certificate: " + publicFile);
        out.println("secret certificate: " + secretFile);
        out.println("public key: " + certificate.publicKeyZ85());
        out.flush();
        return 0;
    }
}
