package org.zmq4j;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where an {@link Authenticator} finds who may connect: PLAIN users (a table, or a zauth password
 * file read again when it changes) and CURVE clients (any key, or a directory of public
 * certificates read again when it changes). The file-backed stores are thread-safe (their own
 * monitor); the others are immutable.
 */
final class AuthCredentials {
    private static final System.Logger LOG = System.getLogger(Authenticator.class.getName());

    private AuthCredentials() {
    }

    /** Logs a failed re-read, unless it failed because {@link Authenticator#close()} interrupted the handler thread. */
    private static void warnUnlessStopping(IOException e, String what) {
        if (!(e instanceof java.nio.channels.ClosedByInterruptException)) {
            LOG.log(Level.WARNING, what + ": " + e);
        }
    }

    /** The PLAIN users of a domain. */
    interface PlainUsers {
        /** Whether {@code username} exists and {@code password} (raw bytes as sent) is theirs. */
        boolean check(String username, byte[] password);
    }

    /** Compares passwords in time independent of where they differ. */
    private static boolean samePassword(String expected, byte[] given) {
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given);
    }

    record PasswordTable(Map<String, String> passwords) implements PlainUsers {
        @Override
        public boolean check(String username, byte[] password) {
            return samePassword(passwords.get(username), password);
        }
    }

    /** A zauth password file, read again when its modification time or size changes. */
    static final class PasswordFile implements PlainUsers {
        private final Path file;
        private FileTime modified; // guarded by this
        private long size; // guarded by this
        private Map<String, String> passwords; // guarded by this

        PasswordFile(Path file) throws IOException {
            this.file = Objects.requireNonNull(file, "passwordFile");
            load();
        }

        @Override
        public synchronized boolean check(String username, byte[] password) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (!attributes.lastModifiedTime().equals(modified) || attributes.size() != size) {
                    load();
                }
            } catch (IOException e) {
                warnUnlessStopping(e, "cannot read the PLAIN password file " + file + "; refusing its users");
                passwords = Map.of();
                modified = null;
            }
            return samePassword(passwords.get(username), password);
        }

        private synchronized void load() throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Map<String, String> table = new HashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                if (line.startsWith("#") || equals <= 0) {
                    continue;
                }
                table.put(line.substring(0, equals), line.substring(equals + 1));
            }
            passwords = Map.copyOf(table);
            modified = attributes.lastModifiedTime();
            size = attributes.size();
        }
    }

    /** The CURVE clients of a domain. */
    interface CurveClients {
        /** The certificate of an allowed client key (Z85), or null when the key is not allowed. */
        Certificate find(String publicKeyZ85);

        /**
         * The same, asked with the ZAP request's domain and the raw key as well (what a callback
         * decides on); the stores ignore both.
         */
        default Certificate find(String zapDomain, byte[] publicKey, String publicKeyZ85) {
            return find(publicKeyZ85);
        }
    }

    /** CURVE_ALLOW_ANY. */
    enum AnyKey implements CurveClients {
        INSTANCE;

        @Override
        public Certificate find(String publicKeyZ85) {
            return Certificate.ofPublicKey(publicKeyZ85);
        }
    }

    /** A directory of public certificates, read again when its modification time changes. */
    static final class CertificateDirectory implements CurveClients {
        private final Path directory;
        private FileTime modified; // guarded by this
        private Map<String, Certificate> byKey; // guarded by this

        CertificateDirectory(Path directory) throws IOException {
            this.directory = Objects.requireNonNull(directory, "directory");
            if (!Files.isDirectory(directory)) {
                throw new NotDirectoryException(directory.toString());
            }
            load();
        }

        @Override
        public synchronized Certificate find(String publicKeyZ85) {
            try {
                if (!Files.getLastModifiedTime(directory).equals(modified)) {
                    load();
                }
            } catch (IOException e) {
                warnUnlessStopping(e, "cannot read the CURVE certificate directory " + directory + "; refusing all keys");
                byKey = Map.of();
                modified = null;
            }
            return byKey.get(publicKeyZ85);
        }

        private synchronized void load() throws IOException {
            FileTime stamp = Files.getLastModifiedTime(directory);
            byKey = Map.copyOf(readPublicCertificates(directory));
            modified = stamp;
        }
    }

    /**
     * The public certificates in a directory by Z85 public key: every regular file whose name neither
     * starts with {@code .} nor ends with {@code _secret}; unreadable ones are skipped with a warning.
     */
    static Map<String, Certificate> readPublicCertificates(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NotDirectoryException(directory.toString());
        }
        Map<String, Certificate> certificates = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") || name.endsWith(Certificate.SECRET_SUFFIX) || !Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    Certificate c = Certificate.load(file);
                    certificates.put(c.publicKeyZ85(), c.publicOnly());
                } catch (ZmqException | IOException e) {
                    LOG.log(Level.WARNING, "skipping " + file + ", not a readable certificate: " + e.getMessage());
                }
            }
        }
        return certificates;
    }

    /** A {@link CertificateStore} the application keeps. */
    record Store(CertificateStore store) implements CurveClients {
        @Override
        public Certificate find(String publicKeyZ85) {
            return store.find(publicKeyZ85);
        }
    }

    /** An application callback deciding per ZAP domain and client key; one that throws refuses. */
    record Callback(java.util.function.BiPredicate<String, byte[]> check) implements CurveClients {
        @Override
        public Certificate find(String publicKeyZ85) {
            return find("", Z85.decode(publicKeyZ85), publicKeyZ85);
        }

        @Override
        public Certificate find(String zapDomain, byte[] publicKey, String publicKeyZ85) {
            try {
                return check.test(zapDomain, publicKey.clone()) ? Certificate.ofPublicKey(publicKeyZ85) : null;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the CURVE callback failed for client key " + publicKeyZ85 + "; refusing", e);
                return null;
            }
        }
    }
}
