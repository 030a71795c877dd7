package org.zmq4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A ready-made ZAP handler (rfc-27), like pyzmq's {@code ThreadAuthenticator} and CZMQ's
 * {@code zauth}: it binds a REP socket at {@value #ENDPOINT} in a {@link Context} and answers, on
 * its own thread, the authentication requests of every server socket in that context that uses
 * PLAIN, CURVE, or NULL with a {@link Option#ZAP_DOMAIN}.
 * <pre>{@code
 * try (Authenticator auth = new Authenticator(context)) {
 *     auth.allow("127.0.0.1");
 *     auth.configureCurve(Authenticator.ANY_DOMAIN, Path.of("public_keys"));
 *     Socket server = context.socket(SocketType.REP);
 *     server.setOption(Option.CURVE_SERVER, true);
 *     serverCertificate.apply(server);
 *     server.bind("tcp://*:5555");
 *     ...
 * }
 * }</pre>
 * <h2>Policy</h2>
 * <ul>
 * <li><b>Addresses</b> (all mechanisms), as zauth: when any address was {@link #allow allowed},
 * only clients from allowed addresses get further; otherwise clients from {@link #deny denied}
 * addresses are refused. Addresses are IP addresses as text, compared after normalisation
 * ({@code ::ffff:127.0.0.1} is {@code 127.0.0.1}); ipc:// clients have the empty address.</li>
 * <li><b>NULL</b>: let in unless refused by address.</li>
 * <li><b>PLAIN</b>: the username and password must be in the domain's password table
 * ({@link #configurePlain(String, Map)} or {@link #configurePlain(String, Path)}), even for an
 * allowed address. User-Id: the username.</li>
 * <li><b>CURVE</b>: the client's public key must be in the domain's certificate directory
 * ({@link #configureCurve(String, Path)}), or the domain allows any key
 * ({@link #configureCurveAllowAny(String)}), even for an allowed address. User-Id: the client's
 * public key in Z85 (as pyzmq). When the key comes from a certificate, the certificate's metadata
 * is handed to the server as ZAP metadata, readable with {@link Socket#messageProperty(String)}.</li>
 * <li>Any other mechanism is refused.</li>
 * </ul>
 * Domains are the servers' ZAP_DOMAIN; a setting for {@link #ANY_DOMAIN} applies to every domain
 * without a setting of its own (servers without ZAP_DOMAIN ask for the empty domain). A refusal is
 * status 400 with a reason in the status text (the client only learns the code); a malformed
 * request gets 400, a failure of the authenticator itself 500.
 * <h2>Threads and lifetime</h2>
 * All methods are thread-safe; a configuration change applies to the requests that arrive after it
 * returns. {@link #close()} stops the handler thread and unbinds the endpoint; closing the Context
 * stops it too. As rfc-27 requires, create the authenticator before the server sockets it guards:
 * PLAIN servers refuse everyone while no handler is bound, and CURVE and NULL servers let everyone in.
 * <h2>Logging</h2>
 * Decisions are logged through {@link System.Logger} {@code org.zmq4j.Authenticator}: at DEBUG, or at
 * INFO after {@link #setVerbose(boolean) setVerbose(true)}. Passwords are never logged.
 */
public final class Authenticator implements AutoCloseable {
    /** Where a ZAP handler binds (rfc-27). */
    public static final String ENDPOINT = "inproc://zeromq.zap.01";
    /** The domain whose settings apply to every domain without settings of its own: {@value}. */
    public static final String ANY_DOMAIN = "*";

    private static final System.Logger LOG = System.getLogger(Authenticator.class.getName());
    private static final byte[] VERSION = "1.0".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern METADATA_NAME = Pattern.compile("[A-Za-z0-9\\-_.+]{1,255}");
    /** Properties the ZMTP engine sets itself; certificate metadata must not pose as them. */
    private static final Set<String> RESERVED_PROPERTIES =
            Set.of("socket-type", "identity", "routing-id", "resource", "user-id", "peer-address");

    private final Object configLock = new Object();
    private volatile Policy policy = Policy.EMPTY;
    private volatile boolean verbose;
    private volatile boolean closing;
    private final Socket handler;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * Binds the handler at {@value #ENDPOINT} in {@code context} and starts its thread. Until
     * configured it lets NULL clients in and refuses PLAIN and CURVE clients.
     *
     * @param context the context whose server sockets it will authenticate
     * @throws ZmqException EADDRINUSE when another handler is bound in that context; ETERM when the
     *                      context is closed
     * @throws NullPointerException when {@code context} is null
     */
    public Authenticator(Context context) {
        Objects.requireNonNull(context, "context");
        Socket rep = context.socket(SocketType.REP);
        try {
            rep.setOption(Option.LINGER, 0);
            rep.bind(ENDPOINT);
        } catch (RuntimeException e) {
            rep.close();
            throw e;
        }
        handler = rep;
        // the socket is handed to the thread here; Thread.start() orders the writes above before its use
        thread = new Thread(this::serve, "zmq4j-authenticator");
        thread.setDaemon(true);
        thread.start();
    }

    // ------------------------------------------------------------------ configuration

    /**
     * Allows addresses: from now on only clients from allowed addresses are let in (NULL) or may
     * go on to authenticate (PLAIN, CURVE). An allow list overrides any deny list, as in zauth.
     *
     * @param addresses IP addresses, e.g. "127.0.0.1" or "::1"
     * @throws NullPointerException when an address is null
     */
    public void allow(String... addresses) {
        Set<String> add = normalized(addresses);
        synchronized (configLock) {
            policy = policy.withAllowed(union(policy.allowed, add));
        }
        log("allowing %s", add);
    }

    /**
     * Denies addresses: clients from them are refused, unless some address was {@link #allow allowed}
     * (then only the allow list counts).
     *
     * @param addresses IP addresses, e.g. "192.168.1.66"
     * @throws NullPointerException when an address is null
     */
    public void deny(String... addresses) {
        Set<String> add = normalized(addresses);
        synchronized (configLock) {
            policy = policy.withDenied(union(policy.denied, add));
        }
        log("denying %s", add);
    }

    /**
     * Sets the PLAIN users of a domain, replacing its previous table or password file.
     *
     * @param domain    a ZAP domain, or {@link #ANY_DOMAIN}
     * @param passwords username to password; empty refuses everyone in the domain
     * @throws NullPointerException when an argument, a username or a password is null
     */
    public void configurePlain(String domain, Map<String, String> passwords) {
        Objects.requireNonNull(domain, "domain");
        PlainUsers users = new PasswordTable(Map.copyOf(passwords));
        synchronized (configLock) {
            policy = policy.withPlain(with(policy.plain, domain, users));
        }
        log("PLAIN for domain '%s': %d users", domain, passwords.size());
    }

    /**
     * Sets the PLAIN users of a domain from a password file in zauth's format, replacing its previous
     * table or file. Each line {@code username=password} adds a user: the username is everything before
     * the first {@code =}, the password everything after it (blanks included); lines starting with
     * {@code #} and lines without {@code =} are skipped. The file is read again when it changes (its
     * modification time or size); while it cannot be read, the domain refuses everyone.
     *
     * @param domain       a ZAP domain, or {@link #ANY_DOMAIN}
     * @param passwordFile the file (UTF-8)
     * @throws IOException when the file cannot be read now
     * @throws NullPointerException when an argument is null
     */
    public void configurePlain(String domain, Path passwordFile) throws IOException {
        Objects.requireNonNull(domain, "domain");
        PasswordFile users = new PasswordFile(passwordFile);
        synchronized (configLock) {
            policy = policy.withPlain(with(policy.plain, domain, users));
        }
        log("PLAIN for domain '%s': password file %s", domain, passwordFile);
    }

    /**
     * Sets the CURVE clients of a domain to those whose public certificates are in a directory,
     * replacing the domain's previous setting. Every regular file in it whose name neither starts
     * with {@code .} nor ends with {@code _secret} is read as a certificate ({@code *.key} files from
     * pyzmq's {@code create_certificates} or CZMQ's {@code zcert_save}); files that are not
     * certificates are skipped with a warning. The directory is read again when its modification
     * time changes, i.e. when files are added, removed or renamed; after editing a file in place,
     * call this method again.
     *
     * @param domain    a ZAP domain, or {@link #ANY_DOMAIN}
     * @param directory the directory of public certificates
     * @throws IOException when the directory cannot be read now (NotDirectoryException when it is
     *                     not a directory)
     * @throws NullPointerException when an argument is null
     */
    public void configureCurve(String domain, Path directory) throws IOException {
        Objects.requireNonNull(domain, "domain");
        CurveClients clients = new CertificateDirectory(directory);
        synchronized (configLock) {
            policy = policy.withCurve(with(policy.curve, domain, clients));
        }
        log("CURVE for domain '%s': certificates in %s", domain, directory);
    }

    /**
     * Lets every CURVE client of a domain in, whatever its key (pyzmq's and zauth's CURVE_ALLOW_ANY):
     * the connection is still encrypted, but any client that knows the server's public key may
     * connect. Replaces the domain's previous setting.
     *
     * @param domain a ZAP domain, or {@link #ANY_DOMAIN}
     * @throws NullPointerException when {@code domain} is null
     */
    public void configureCurveAllowAny(String domain) {
        Objects.requireNonNull(domain, "domain");
        synchronized (configLock) {
            policy = policy.withCurve(with(policy.curve, domain, AnyKey.INSTANCE));
        }
        log("CURVE for domain '%s': any client key", domain);
    }

    /**
     * Logs every request and decision at INFO instead of DEBUG, like zauth's VERBOSE.
     *
     * @param verbose whether to log at INFO
     */
    public void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    // ------------------------------------------------------------------ lifetime

    /**
     * Whether the handler thread is still answering requests.
     *
     * @return false after {@link #close()}, or once the Context was closed
     */
    public boolean isRunning() {
        return stopped.getCount() > 0;
    }

    /**
     * Waits for the handler thread to stop, e.g. after the Context was closed.
     *
     * @param timeout how long to wait at most
     * @return true when it has stopped, false when the timeout passed first
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops the handler thread and unbinds {@value #ENDPOINT}; returns once both are done (at once if
     * the Context was closed already). Handshakes still waiting for an answer fail. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        if (Thread.currentThread() == thread) {
            return; // cannot happen through the public API; never wait for ourselves
        }
        thread.interrupt();
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ the handler thread

    private void serve() {
        try {
            while (!closing) {
                List<byte[]> request = new ArrayList<>(8);
                try {
                    do {
                        request.add(handler.recv());
                    } while (handler.hasMore());
                } catch (ZmqException e) {
                    if (e.errno() == ZmqException.Errno.EINTR && !closing && request.isEmpty()) {
                        continue; // a stray interrupt: keep serving
                    }
                    throw e;
                }
                List<byte[]> reply = answer(request);
                for (int i = 0; i < reply.size() - 1; i++) {
                    handler.sendMore(reply.get(i));
                }
                handler.send(reply.get(reply.size() - 1));
            }
        } catch (ZmqException e) {
            if (e.errno() == ZmqException.Errno.ETERM) {
                LOG.log(Level.DEBUG, "ZAP handler stopping: the context was closed");
            } else if (!closing) {
                LOG.log(Level.ERROR, "ZAP handler stopped by an unexpected error; servers in this context now fail their handshakes", e);
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "ZAP handler stopped by an unexpected error; servers in this context now fail their handshakes", e);
            throw e;
        } finally {
            try {
                handler.close();
            } finally {
                Thread.interrupted(); // an interrupt from close() has done its job
                stopped.countDown();
            }
        }
    }

    /** Decides one request; always returns a reply, so that the REP socket stays in step. */
    private List<byte[]> answer(List<byte[]> request) {
        byte[] requestId = request.size() > 1 ? request.get(1) : new byte[0];
        if (request.size() < 6) {
            log("malformed ZAP request: %d frames", request.size());
            return reply(requestId, "400", "Not enough frames", "", null);
        }
        if (!Arrays.equals(VERSION, request.get(0))) {
            log("malformed ZAP request: version '%s'", ascii(request.get(0)));
            return reply(requestId, "400", "Invalid version", "", null);
        }
        try {
            Decision d = decide(utf8(request.get(2)), utf8(request.get(3)), utf8(request.get(5)),
                    request.subList(6, request.size()));
            return reply(requestId, d.allowed ? "200" : "400", d.reason, d.allowed ? d.userId : "", d.metadata);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "ZAP handler failed on a request; answering 500", e);
            return reply(requestId, "500", "Internal error", "", null);
        }
    }

    private Decision decide(String domain, String rawAddress, String mechanism, List<byte[]> credentials) {
        Policy p = policy;
        String address = normalize(rawAddress);
        log("ZAP request: mechanism=%s address=%s domain='%s'", mechanism, rawAddress, domain);
        boolean allowed = false;
        if (!p.allowed.isEmpty()) {
            if (!p.allowed.contains(address)) {
                return refuse("address not allowed");
            }
            allowed = true;
        } else if (!p.denied.isEmpty()) {
            if (p.denied.contains(address)) {
                return refuse("address denied");
            }
            allowed = true;
        }
        switch (mechanism) {
            case "NULL":
                return allow(allowed ? "address allowed" : "NULL", "", null);
            case "PLAIN":
                return plain(p, domain, credentials);
            case "CURVE":
                return curve(p, domain, credentials);
            default:
                return refuse("unsupported mechanism " + mechanism);
        }
    }

    private Decision plain(Policy p, String domain, List<byte[]> credentials) {
        if (credentials.size() != 2) {
            return refuse("invalid PLAIN credentials: " + credentials.size() + " frames");
        }
        PlainUsers users = forDomain(p.plain, domain);
        if (users == null) {
            return refuse("no PLAIN users for domain '" + domain + "'");
        }
        String username = utf8(credentials.get(0));
        if (!users.check(username, credentials.get(1))) {
            return refuse("invalid PLAIN username or password (username '" + username + "')");
        }
        return allow("PLAIN username '" + username + "'", username, null);
    }

    private Decision curve(Policy p, String domain, List<byte[]> credentials) {
        if (credentials.size() != 1 || credentials.get(0).length != CurveKeyPair.KEY_SIZE) {
            return refuse("invalid CURVE credentials");
        }
        String key = Z85.encode(credentials.get(0));
        CurveClients clients = forDomain(p.curve, domain);
        if (clients == null) {
            return refuse("no CURVE clients for domain '" + domain + "' (client key " + key + ")");
        }
        if (clients == AnyKey.INSTANCE) {
            return allow("CURVE any key (client key " + key + ")", key, null);
        }
        Certificate certificate = clients.find(key);
        if (certificate == null) {
            return refuse("unknown CURVE client key " + key);
        }
        return allow("CURVE client key " + key, key, certificate.metadata());
    }

    private Decision allow(String why, String userId, Map<String, String> metadata) {
        log("allowed (%s)", why);
        return new Decision(true, "OK", userId, metadata);
    }

    private Decision refuse(String why) {
        log("denied (%s)", why);
        return new Decision(false, capitalize(why), "", null);
    }

    private static <T> T forDomain(Map<String, T> settings, String domain) {
        T own = settings.get(domain);
        return own != null ? own : settings.get(ANY_DOMAIN);
    }

    private static List<byte[]> reply(byte[] requestId, String status, String text, String userId,
                                      Map<String, String> metadata) {
        return List.of(VERSION, requestId, ascii(status), truncatedAscii(text), userId.getBytes(StandardCharsets.UTF_8),
                encodeMetadata(metadata));
    }

    /** ZMTP metadata (rfc-27): name length (1 octet), name, value length (4 octets, big-endian), value. */
    private static byte[] encodeMetadata(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metadata.forEach((name, value) -> {
            if (!METADATA_NAME.matcher(name).matches() || RESERVED_PROPERTIES.contains(name.toLowerCase(Locale.ROOT))) {
                return; // not a valid ZMTP property name, or one the engine owns
            }
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            out.write(n.length);
            out.writeBytes(n);
            out.write(v.length >>> 24);
            out.write(v.length >>> 16);
            out.write(v.length >>> 8);
            out.write(v.length);
            out.writeBytes(v);
        });
        return out.toByteArray();
    }

    private void log(String format, Object... args) {
        Level level = verbose ? Level.INFO : Level.DEBUG;
        if (LOG.isLoggable(level)) {
            LOG.log(level, "zmq4j authenticator: " + String.format(Locale.ROOT, format, args));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Set<String> normalized(String... addresses) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : addresses) {
            out.add(normalize(Objects.requireNonNull(a, "address")));
        }
        return out;
    }

    /** An IP literal in one canonical form (IPv4-mapped IPv6 as IPv4, no zone id); anything else as given. */
    private static String normalize(String address) {
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone > 0 && a.indexOf(':') >= 0) {
            a = a.substring(0, zone);
        }
        if (IPV4.matcher(a).matches() || a.indexOf(':') >= 0) {
            try {
                // only literals get here, which getByName parses without any name lookup
                return InetAddress.getByName(a).getHostAddress();
            } catch (UnknownHostException | SecurityException e) {
                return a;
            }
        }
        return a;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return Collections.unmodifiableSet(u);
    }

    private static <T> Map<String, T> with(Map<String, T> map, String key, T value) {
        Map<String, T> copy = new HashMap<>(map);
        copy.put(key, value);
        return Collections.unmodifiableMap(copy);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** rfc-27: string fields are ASCII and at most 255 characters. */
    private static byte[] truncatedAscii(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 255));
        for (int i = 0; i < s.length() && b.length() < 255; i++) {
            char c = s.charAt(i);
            b.append(c >= 32 && c < 127 ? c : '?');
        }
        return ascii(b.toString());
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ------------------------------------------------------------------ policy

    /** What the handler answered. */
    private record Decision(boolean allowed, String reason, String userId, Map<String, String> metadata) {
    }

    /** An immutable snapshot of the configuration; changes replace it whole. */
    private record Policy(Set<String> allowed, Set<String> denied, Map<String, PlainUsers> plain,
                          Map<String, CurveClients> curve) {
        static final Policy EMPTY = new Policy(Set.of(), Set.of(), Map.of(), Map.of());

        Policy withAllowed(Set<String> a) {
            return new Policy(a, denied, plain, curve);
        }

        Policy withDenied(Set<String> d) {
            return new Policy(allowed, d, plain, curve);
        }

        Policy withPlain(Map<String, PlainUsers> p) {
            return new Policy(allowed, denied, p, curve);
        }

        Policy withCurve(Map<String, CurveClients> c) {
            return new Policy(allowed, denied, plain, c);
        }
    }

    /** Logs a failed re-read, unless it failed because {@link #close()} interrupted the handler thread. */
    private static void warnUnlessStopping(IOException e, String what) {
        if (!(e instanceof java.nio.channels.ClosedByInterruptException)) {
            LOG.log(Level.WARNING, what + ": " + e);
        }
    }

    /** The PLAIN users of a domain. */
    private interface PlainUsers {
        /** Whether {@code username} exists and {@code password} (raw bytes as sent) is theirs. */
        boolean check(String username, byte[] password);
    }

    /** Compares passwords in time independent of where they differ. */
    private static boolean samePassword(String expected, byte[] given) {
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given);
    }

    private record PasswordTable(Map<String, String> passwords) implements PlainUsers {
        @Override
        public boolean check(String username, byte[] password) {
            return samePassword(passwords.get(username), password);
        }
    }

    /** A zauth password file, read again when its modification time or size changes. */
    private static final class PasswordFile implements PlainUsers {
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
    private interface CurveClients {
        /** The certificate of an allowed client key (Z85), or null when the key is not allowed. */
        Certificate find(String publicKeyZ85);
    }

    /** CURVE_ALLOW_ANY. */
    private enum AnyKey implements CurveClients {
        INSTANCE;

        @Override
        public Certificate find(String publicKeyZ85) {
            return Certificate.ofPublicKey(publicKeyZ85);
        }
    }

    /** A directory of public certificates, read again when its modification time changes. */
    private static final class CertificateDirectory implements CurveClients {
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
            byKey = Map.copyOf(certificates);
            modified = stamp;
        }
    }
}
