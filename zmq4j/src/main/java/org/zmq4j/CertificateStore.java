package org.zmq4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A set of public CURVE certificates by public key (CZMQ's {@code zcertstore}): for
 * {@link Authenticator#configureCurve(String, CertificateStore)}, or for an application's own
 * checks. Holds public certificates only ({@link Certificate#publicOnly()} of what is added).
 * {@link #load(Path)} reads a directory once, as pyzmq's {@code load_certificates} does; for a
 * directory re-read when it changes, use {@link Authenticator#configureCurve(String, Path)}.
 *
 * <p>Thread-safety: thread-safe (synchronized); changes are seen by the next lookup.
 */
public final class CertificateStore {
    private final Map<String, Certificate> byKey = new LinkedHashMap<>();

    /** An empty store. */
    public CertificateStore() {
    }

    /**
     * A store of the public certificates in {@code directory}: every regular file whose name neither
     * starts with {@code .} nor ends with {@code _secret} ({@code *.key} files written by pyzmq, CZMQ
     * or {@link Certificate#save(Path)}); files that are not certificates are skipped with a warning.
     *
     * @throws IOException when the directory cannot be read (NotDirectoryException when it is not one)
     */
    public static CertificateStore load(Path directory) throws IOException {
        CertificateStore store = new CertificateStore();
        store.byKey.putAll(AuthCredentials.readPublicCertificates(Objects.requireNonNull(directory, "directory")));
        return store;
    }

    /** Adds (or replaces) the public part of {@code certificate}. */
    public synchronized CertificateStore add(Certificate certificate) {
        Certificate c = certificate.publicOnly();
        byKey.put(c.publicKeyZ85(), c);
        return this;
    }

    /** Removes the certificate of {@code publicKeyZ85}. @return whether it was there */
    public synchronized boolean remove(String publicKeyZ85) {
        return byKey.remove(publicKeyZ85) != null;
    }

    /** The certificate of a public key given as Z85, or null. */
    public synchronized Certificate find(String publicKeyZ85) {
        return byKey.get(publicKeyZ85);
    }

    /** The certificate of a 32-byte public key, or null. */
    public Certificate find(byte[] publicKey) {
        return find(Z85.encode(publicKey));
    }

    /** The certificates, in the order they were added (a copy). */
    public synchronized List<Certificate> certificates() {
        return new ArrayList<>(byKey.values());
    }

    public synchronized int size() {
        return byKey.size();
    }

    @Override
    public synchronized String toString() {
        return "CertificateStore" + byKey.keySet();
    }
}
