package org.zmq4j;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

    private final Object configLock = new Object();
    private volatile AuthPolicy policy = AuthPolicy.EMPTY;
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
        Set<String> add = AuthPolicy.normalized(addresses);
        synchronized (configLock) {
            policy = policy.allowing(add);
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
        Set<String> add = AuthPolicy.normalized(addresses);
        synchronized (configLock) {
            policy = policy.denying(add);
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
        AuthCredentials.PlainUsers users = new AuthCredentials.PasswordTable(Map.copyOf(passwords));
        synchronized (configLock) {
            policy = policy.withPlain(domain, users);
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
        AuthCredentials.PasswordFile users = new AuthCredentials.PasswordFile(passwordFile);
        synchronized (configLock) {
            policy = policy.withPlain(domain, users);
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
        AuthCredentials.CurveClients clients = new AuthCredentials.CertificateDirectory(directory);
        synchronized (configLock) {
            policy = policy.withCurve(domain, clients);
        }
        log("CURVE for domain '%s': certificates in %s", domain, directory);
    }

    /**
     * Sets the CURVE clients of a domain to those in {@code store} (CZMQ's {@code zcertstore}), replacing
     * the domain's previous setting. The store is consulted at each handshake, so certificates added to
     * or removed from it later take effect for the next connections.
     *
     * @param domain a ZAP domain, or {@link #ANY_DOMAIN}
     * @param store  the certificates of the allowed clients
     * @throws NullPointerException when an argument is null
     */
    public void configureCurve(String domain, CertificateStore store) {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(store, "store");
        synchronized (configLock) {
            policy = policy.withCurve(domain, new AuthCredentials.Store(store));
        }
        log("CURVE for domain '%s': a certificate store of %d", domain, store.size());
    }

    /**
     * Lets the application decide each CURVE client of a domain (pyzmq's
     * {@code configure_curve_callback}): {@code check} gets the ZAP domain of the request and the
     * client's 32-byte public key and answers whether the client may in. It runs on the
     * authenticator's thread, one handshake at a time; keep it quick. A check that throws refuses
     * (logged). The User-Id is the key in Z85, as for the other CURVE settings.
     *
     * @param domain a ZAP domain, or {@link #ANY_DOMAIN}
     * @param check  decides per (domain, public key)
     * @throws NullPointerException when an argument is null
     */
    public void configureCurveCallback(String domain, java.util.function.BiPredicate<String, byte[]> check) {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(check, "check");
        synchronized (configLock) {
            policy = policy.withCurve(domain, new AuthCredentials.Callback(check));
        }
        log("CURVE for domain '%s': the application's callback", domain);
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
            policy = policy.withCurve(domain, AuthCredentials.AnyKey.INSTANCE);
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
            return ZapReplyFrames.reply(requestId, "400", "Not enough frames", "", null);
        }
        if (!Arrays.equals(ZapReplyFrames.VERSION, request.get(0))) {
            log("malformed ZAP request: version '%s'", ascii(request.get(0)));
            return ZapReplyFrames.reply(requestId, "400", "Invalid version", "", null);
        }
        try {
            Decision d = decide(utf8(request.get(2)), utf8(request.get(3)), utf8(request.get(5)),
                    request.subList(6, request.size()));
            return ZapReplyFrames.reply(requestId, d.allowed ? "200" : "400", d.reason, d.allowed ? d.userId : "", d.metadata);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "ZAP handler failed on a request; answering 500", e);
            return ZapReplyFrames.reply(requestId, "500", "Internal error", "", null);
        }
    }

    private Decision decide(String domain, String rawAddress, String mechanism, List<byte[]> credentials) {
        AuthPolicy p = policy;
        String address = AuthPolicy.normalize(rawAddress);
        log("ZAP request: mechanism=%s address=%s domain='%s'", mechanism, rawAddress, domain);
        boolean allowed = false;
        if (!p.allowed().isEmpty()) {
            if (!p.allowed().contains(address)) {
                return refuse("address not allowed");
            }
            allowed = true;
        } else if (!p.denied().isEmpty()) {
            if (p.denied().contains(address)) {
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

    private Decision plain(AuthPolicy p, String domain, List<byte[]> credentials) {
        if (credentials.size() != 2) {
            return refuse("invalid PLAIN credentials: " + credentials.size() + " frames");
        }
        AuthCredentials.PlainUsers users = p.plainFor(domain);
        if (users == null) {
            return refuse("no PLAIN users for domain '" + domain + "'");
        }
        String username = utf8(credentials.get(0));
        if (!users.check(username, credentials.get(1))) {
            return refuse("invalid PLAIN username or password (username '" + username + "')");
        }
        return allow("PLAIN username '" + username + "'", username, null);
    }

    private Decision curve(AuthPolicy p, String domain, List<byte[]> credentials) {
        if (credentials.size() != 1 || credentials.get(0).length != CurveKeyPair.KEY_SIZE) {
            return refuse("invalid CURVE credentials");
        }
        String key = Z85.encode(credentials.get(0));
        AuthCredentials.CurveClients clients = p.curveFor(domain);
        if (clients == null) {
            return refuse("no CURVE clients for domain '" + domain + "' (client key " + key + ")");
        }
        if (clients == AuthCredentials.AnyKey.INSTANCE) {
            return allow("CURVE any key (client key " + key + ")", key, null);
        }
        Certificate certificate = clients.find(domain, credentials.get(0), key);
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

    private void log(String format, Object... args) {
        Level level = verbose ? Level.INFO : Level.DEBUG;
        if (LOG.isLoggable(level)) {
            LOG.log(level, "zmq4j authenticator: " + String.format(Locale.ROOT, format, args));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ------------------------------------------------------------------ policy

    /** What the handler answered. */
    private record Decision(boolean allowed, String reason, String userId, Map<String, String> metadata) {
    }


}
