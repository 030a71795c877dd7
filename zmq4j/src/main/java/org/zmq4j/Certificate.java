package org.zmq4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A CURVE certificate: a long-term public key, optionally its secret key, and free-form metadata
 * (name, email, organisation...), stored as text in the ZPL format (rfc-4) that CZMQ's
 * {@code zcert} and pyzmq's {@code zmq.auth} read and write:
 * <pre>
 * #   comments start with '#'
 * metadata
 *     name = "alice"
 * curve
 *     public-key = "rq:rM&gt;}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
 *     secret-key = "JTKVSB%%)wK0E.X)V&gt;+}o?pNmC{O&amp;4W4b!Ni{Lh6"
 * </pre>
 * By convention a certificate named {@code alice} lives in two files: {@code alice.key}, the public
 * certificate (no secret key), which may be handed to peers, and {@code alice.key_secret}, the
 * secret certificate (both keys), which must stay with its owner. {@link #save(Path)} writes both;
 * {@link #load(Path)} reads either.
 * <p>
 * The keys never change; the metadata can be changed. Instances are thread-safe.
 * {@link #toString()} never shows the secret key.
 */
public final class Certificate {
    /** What {@link #save(Path)} appends to the public certificate's file name for the secret one. */
    public static final String SECRET_SUFFIX = "_secret";

    /** Certificates are a few hundred bytes; refuse to read anything absurdly large. */
    private static final long MAX_FILE_SIZE = 1 << 20;
    private static final String CURVE = "curve";
    private static final String METADATA = "metadata";
    private static final String PUBLIC_KEY = "public-key";
    private static final String SECRET_KEY = "secret-key";
    /** Z85 of 32 zero bytes: what CZMQ writes as the secret key of a public-only certificate. */
    private static final String NO_SECRET_KEY_Z85 = "0".repeat(40);

    private final byte[] publicKey;
    private final byte[] secretKey; // null when the certificate holds only the public key
    private final Map<String, String> metadata = new LinkedHashMap<>(); // guarded by this

    private Certificate(byte[] publicKey, byte[] secretKey, Map<String, String> metadata) {
        this.publicKey = publicKey;
        this.secretKey = secretKey;
        this.metadata.putAll(metadata); // as read or copied: any value a parse produced can be written back
    }

    // ------------------------------------------------------------------ making certificates

    /**
     * A certificate with a freshly generated key pair ({@link CurveKeyPair#generate()}) and no
     * metadata.
     *
     * @return a new certificate holding both keys
     */
    public static Certificate generate() {
        return of(CurveKeyPair.generate());
    }

    /**
     * A certificate for an existing key pair, with no metadata.
     *
     * @param keys the key pair (not checked to belong together; see {@link CurveKeyPair#fromSecretKey})
     * @return a certificate holding both keys
     * @throws NullPointerException when {@code keys} is null
     */
    public static Certificate of(CurveKeyPair keys) {
        Objects.requireNonNull(keys, "keys");
        return new Certificate(keys.publicKey(), keys.secretKey(), Map.of());
    }

    /**
     * A public certificate (no secret key) for a peer's public key, with no metadata.
     *
     * @param publicKey the 32-byte public key
     * @return a certificate holding only the public key
     * @throws ZmqException EINVAL when the key is not 32 bytes long
     * @throws NullPointerException when {@code publicKey} is null
     */
    public static Certificate ofPublicKey(byte[] publicKey) {
        return new Certificate(checkedKey(publicKey, "public"), null, Map.of());
    }

    /**
     * A public certificate (no secret key) for a peer's public key given as Z85 text.
     *
     * @param publicKeyZ85 the public key as 40 characters of Z85
     * @return a certificate holding only the public key
     * @throws ZmqException EINVAL when the text is not the Z85 form of a 32-byte key
     * @throws NullPointerException when {@code publicKeyZ85} is null
     */
    public static Certificate ofPublicKey(String publicKeyZ85) {
        return ofPublicKey(decodeKey(publicKeyZ85, "public"));
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads a public or secret certificate file, such as {@code alice.key} or
     * {@code alice.key_secret} written by zmq4j, CZMQ's {@code zcert_save} or pyzmq's
     * {@code zmq.auth.create_certificates}. Only the named file is read: to get the secret key,
     * name the secret file.
     *
     * @param file the certificate file
     * @return the certificate, with its secret key if the file holds one
     * @throws IOException when the file cannot be read (or is larger than 1 MiB)
     * @throws ZmqException EINVAL when the file is not a valid certificate (the message names the
     *                      file and line)
     * @throws NullPointerException when {@code file} is null
     */
    public static Certificate load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        long size = Files.size(file);
        if (size > MAX_FILE_SIZE) {
            throw new IOException(file + " is " + size + " bytes; a certificate file is at most " + MAX_FILE_SIZE);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return parse(text);
        } catch (ZmqException e) {
            throw new ZmqException(ZmqException.Errno.EINVAL, file + ": " + stripErrno(e), e);
        }
    }

    /**
     * Parses the text of a public or secret certificate. Accepts the ZPL that CZMQ and pyzmq write:
     * {@code #} comments (whole lines or after a value), blank lines, children indented by four
     * spaces (other indentation and tabs are tolerated), values quoted with {@code "} or {@code '}
     * or unquoted, and any line ending.
     *
     * @param text the certificate text
     * @return the certificate
     * @throws ZmqException EINVAL when the text is not valid ZPL, has no {@code curve/public-key},
     *                      holds a key that is not 40 characters of Z85, or holds a secret key that
     *                      does not belong to the public key
     * @throws NullPointerException when {@code text} is null
     */
    public static Certificate parse(String text) {
        Zpl root = Zpl.parse(Objects.requireNonNull(text, "text"));
        Zpl curve = root.child(CURVE);
        Zpl publicNode = curve == null ? null : curve.child(PUBLIC_KEY);
        if (publicNode == null || publicNode.value.isEmpty()) {
            throw new ZmqException(ZmqException.Errno.EINVAL, "no curve/public-key in the certificate");
        }
        byte[] publicKey = decodeKey(publicNode.value, "public");
        Zpl secretNode = curve.child(SECRET_KEY);
        byte[] secretKey = null;
        if (secretNode != null && !secretNode.value.isEmpty() && !secretNode.value.equals(NO_SECRET_KEY_Z85)) {
            secretKey = decodeKey(secretNode.value, "secret");
            byte[] derived = CurveKeyPair.fromSecretKey(secretKey).publicKey();
            if (!MessageDigest.isEqual(derived, publicKey)) {
                throw new ZmqException(ZmqException.Errno.EINVAL,
                        "the certificate's secret-key does not belong to its public-key " + publicNode.value);
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Zpl meta = root.child(METADATA);
        if (meta != null) {
            for (Zpl property : meta.children) {
                metadata.put(property.name, property.value);
            }
        }
        return new Certificate(publicKey, secretKey, metadata);
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes the public certificate to {@code publicFile} and, when this certificate holds a secret
     * key, the secret certificate to {@code publicFile + "_secret"}, as CZMQ's {@code zcert_save}
     * does: {@code save(dir.resolve("alice.key"))} writes {@code alice.key} and
     * {@code alice.key_secret}. Existing files are replaced.
     *
     * @param publicFile where the public certificate goes
     * @throws IOException when a file cannot be written
     * @throws NullPointerException when {@code publicFile} is null
     * @see #savePublic(Path)
     * @see #saveSecret(Path)
     */
    public void save(Path publicFile) throws IOException {
        Objects.requireNonNull(publicFile, "publicFile");
        if (secretKey != null) {
            saveSecret(publicFile.resolveSibling(publicFile.getFileName() + SECRET_SUFFIX));
        }
        savePublic(publicFile);
    }

    /**
     * Writes the public certificate (metadata and public key, never the secret key). Replaces an
     * existing file.
     *
     * @param file where it goes
     * @throws IOException when the file cannot be written
     * @throws NullPointerException when {@code file} is null
     */
    public void savePublic(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Files.writeString(file, toPublicText(), StandardCharsets.UTF_8);
    }

    /**
     * Writes the secret certificate (metadata, public and secret key). The file is made readable
     * and writable by its owner only (POSIX mode 0600, or an owner-only ACL) before the secret is
     * written into it, where the file system supports either; it replaces an existing file
     * atomically where the file system allows.
     *
     * @param file where it goes
     * @throws IOException when the file cannot be written
     * @throws IllegalStateException when this certificate has no secret key
     * @throws NullPointerException when {@code file} is null
     */
    public void saveSecret(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String text = toSecretText();
        OwnerOnlyFile.write(file.toAbsolutePath(), text);
    }

    /**
     * The public certificate as text, as {@link #savePublic(Path)} writes it.
     *
     * @return ZPL text with the metadata and the public key
     */
    public String toPublicText() {
        return text(false);
    }

    /**
     * The secret certificate as text, as {@link #saveSecret(Path)} writes it. Keep it private.
     *
     * @return ZPL text with the metadata, the public key and the secret key
     * @throws IllegalStateException when this certificate has no secret key
     */
    public String toSecretText() {
        requireSecret();
        return text(true);
    }

    // ------------------------------------------------------------------ keys

    /**
     * The public key.
     *
     * @return a copy of the 32-byte public key
     */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * The public key as Z85 text, the form CURVE_SERVERKEY and the certificate file use.
     *
     * @return 40 characters of Z85
     */
    public String publicKeyZ85() {
        return Z85.encode(publicKey);
    }

    /**
     * Whether this certificate holds a secret key (it was generated, made from a key pair, or read
     * from a secret certificate).
     *
     * @return true when {@link #secretKey()} and {@link #keyPair()} can be called
     */
    public boolean hasSecretKey() {
        return secretKey != null;
    }

    /**
     * The secret key. Keep it out of logs and source code.
     *
     * @return a copy of the 32-byte secret key
     * @throws IllegalStateException when this certificate has no secret key
     */
    public byte[] secretKey() {
        requireSecret();
        return secretKey.clone();
    }

    /**
     * The secret key as Z85 text. Keep it out of logs and source code.
     *
     * @return 40 characters of Z85
     * @throws IllegalStateException when this certificate has no secret key
     */
    public String secretKeyZ85() {
        requireSecret();
        return Z85.encode(secretKey);
    }

    /**
     * Both keys as a key pair, e.g. to set CURVE_PUBLICKEY and CURVE_SECRETKEY.
     *
     * @return the key pair
     * @throws IllegalStateException when this certificate has no secret key
     */
    public CurveKeyPair keyPair() {
        requireSecret();
        return new CurveKeyPair(publicKey, secretKey);
    }

    /**
     * A copy of this certificate without the secret key: what may be given to peers.
     *
     * @return a public certificate with the same public key and metadata
     */
    public Certificate publicOnly() {
        return new Certificate(publicKey, null, metadata());
    }

    /**
     * Gives a socket this certificate's keys (CURVE_PUBLICKEY and CURVE_SECRETKEY), like CZMQ's
     * {@code zcert_apply}. A server then also needs CURVE_SERVER; a client needs CURVE_SERVERKEY.
     *
     * @param socket the socket
     * @throws IllegalStateException when this certificate has no secret key
     * @throws NullPointerException when {@code socket} is null
     */
    public void apply(Socket socket) {
        Objects.requireNonNull(socket, "socket");
        requireSecret();
        socket.setOption(Option.CURVE_PUBLICKEY, publicKey.clone());
        socket.setOption(Option.CURVE_SECRETKEY, secretKey.clone());
    }

    // ------------------------------------------------------------------ metadata

    /**
     * One metadata property.
     *
     * @param name the property name (case-sensitive, as in the file)
     * @return its value, or null when absent
     */
    public synchronized String metadata(String name) {
        return metadata.get(name);
    }

    /**
     * All metadata properties, in the order they were set or read.
     *
     * @return an unmodifiable copy
     */
    public synchronized Map<String, String> metadata() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Sets (or replaces) a metadata property.
     *
     * @param name  a ZPL name: 1 or more letters, digits and {@code $-_@.&+/}; not starting with
     *              "public-key" or "secret-key" (pyzmq's reader would mistake it for a key)
     * @param value any text without line breaks that can be quoted, i.e. that does not contain
     *              both {@code "} and {@code '}
     * @return this certificate
     * @throws ZmqException EINVAL when the name or value cannot be written as ZPL
     * @throws NullPointerException when {@code name} or {@code value} is null
     */
    public Certificate setMetadata(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!Zpl.isName(name)) {
            throw new ZmqException(ZmqException.Errno.EINVAL,
                    "metadata name '" + name + "' is not a ZPL name (letters, digits and $-_@.&+/)");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith(PUBLIC_KEY) || lower.startsWith(SECRET_KEY)) {
            throw new ZmqException(ZmqException.Errno.EINVAL,
                    "metadata name '" + name + "' would be read as a key by pyzmq's zmq.auth.load_certificate");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new ZmqException(ZmqException.Errno.EINVAL, "metadata value of '" + name + "' holds a line break");
        }
        if (value.indexOf('"') >= 0 && value.indexOf('\'') >= 0) {
            throw new ZmqException(ZmqException.Errno.EINVAL,
                    "metadata value of '" + name + "' holds both quote characters, which ZPL cannot quote");
        }
        synchronized (this) {
            metadata.put(name, value);
        }
        return this;
    }

    /**
     * Removes a metadata property.
     *
     * @param name the property name
     * @return this certificate
     */
    public synchronized Certificate removeMetadata(String name) {
        metadata.remove(name);
        return this;
    }

    // ------------------------------------------------------------------ Object

    /**
     * Two certificates are equal when they hold the same public key and the same secret key (or
     * both none), as CZMQ's {@code zcert_eq}; metadata is not compared.
     *
     * @param other another object
     * @return whether {@code other} is a certificate with the same keys
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Certificate)) {
            return false;
        }
        Certificate that = (Certificate) other;
        return Arrays.equals(publicKey, that.publicKey)
                && (secretKey == null ? that.secretKey == null
                        : that.secretKey != null && MessageDigest.isEqual(secretKey, that.secretKey));
    }

    /**
     * A hash of the public key only.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    /**
     * Describes the certificate by its public key and metadata; the secret key is never shown.
     *
     * @return e.g. {@code Certificate[publicKey=..., secretKey=(hidden), metadata={name=alice}]}
     */
    @Override
    public String toString() {
        return "Certificate[publicKey=" + publicKeyZ85() + ", secretKey=" + (secretKey == null ? "(none)" : "(hidden)")
                + ", metadata=" + metadata() + "]";
    }

    // ------------------------------------------------------------------ internals

    private void requireSecret() {
        if (secretKey == null) {
            throw new IllegalStateException("certificate " + publicKeyZ85() + " holds no secret key (a public certificate)");
        }
    }

    private String text(boolean withSecret) {
        return Zpl.certificateText(metadata(), publicKeyZ85(), withSecret ? Z85.encode(secretKey) : null);
    }

    private static byte[] checkedKey(byte[] key, String which) {
        Objects.requireNonNull(key, which + "Key");
        if (key.length != CurveKeyPair.KEY_SIZE) {
            throw new ZmqException(ZmqException.Errno.EINVAL,
                    "a CURVE " + which + " key is " + CurveKeyPair.KEY_SIZE + " bytes, got " + key.length);
        }
        return key.clone();
    }

    private static byte[] decodeKey(String z85, String which) {
        Objects.requireNonNull(z85, which + "Key");
        if (z85.length() != 40) {
            throw new ZmqException(ZmqException.Errno.EINVAL,
                    "a CURVE " + which + " key in Z85 is 40 characters, got " + z85.length());
        }
        try {
            return Z85.decode(z85);
        } catch (ZmqException e) {
            throw new ZmqException(ZmqException.Errno.EINVAL, "the " + which + " key is not valid Z85: " + stripErrno(e), e);
        }
    }

    private static String stripErrno(ZmqException e) {
        String m = e.getMessage();
        String prefix = e.errno().name() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
