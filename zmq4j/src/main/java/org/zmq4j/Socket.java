package org.zmq4j;

/**
 * A ZeroMQ socket. Create one with {@link Context#socket(SocketType)}.
 * <p>
 * As in libzmq, a socket of the classic types is owned by one thread at a time: use it from one
 * thread, or hand it over with a happens-before edge (e.g. through a concurrent queue). Sockets of
 * the thread-safe types (SERVER, CLIENT, RADIO, DISH, SCATTER, GATHER, PEER, CHANNEL; see
 * {@link SocketType#isThreadSafe()}) may be used by several threads at once; they carry
 * single-frame messages, with routing ids and groups on {@link Message}. Blocking
 * calls park the calling thread; {@link Thread#interrupt()} of a thread blocked in send, recv or
 * {@link Poller#poll(long)} makes that call throw {@code ZmqException(EINTR)} (clearing the
 * interrupt flag) and leaves the socket usable. When the Context is closed, blocked and later
 * calls throw {@code ZmqException(ETERM)}; the socket must then be closed.
 */
public interface Socket extends AutoCloseable {
    /** Flag for {@link #send(byte[], int)} and {@link #recv(int)}: do not block (EAGAIN semantics). */
    int DONTWAIT = 1;
    /** Flag for {@link #send(byte[], int)}: more frames of this message follow. */
    int SNDMORE = 2;

    /**
     * Accepts connections on {@code endpoint}, e.g. {@code tcp://127.0.0.1:*} (a free port),
     * {@code tcp://*:5555} (all interfaces) or {@code tcp://[::1]:5555}.
     *
     * @param endpoint transport://address
     * @throws ZmqException EINVAL for a malformed endpoint, EADDRINUSE when taken,
     *                      EPROTONOSUPPORT for an unknown transport, ETERM after Context close
     */
    void bind(String endpoint);

    /**
     * Connects to {@code endpoint}; the connection is made in the background and remade after it
     * drops (RECONNECT_IVL). Connecting before the peer binds is fine.
     *
     * @param endpoint transport://host:port
     * @throws ZmqException EINVAL for a malformed endpoint, EPROTONOSUPPORT for an unknown transport
     */
    void connect(String endpoint);

    /**
     * Stops accepting on an endpoint given to bind (as given, or as {@link #lastEndpoint()} resolved
     * it) and closes the connections it accepted.
     *
     * @param endpoint the endpoint
     * @throws ZmqException ENOENT when the socket is not bound there
     */
    void unbind(String endpoint);

    /**
     * Closes the connection made by {@link #connect(String)} to {@code endpoint}, dropping its queue.
     *
     * @param endpoint the endpoint as given to connect
     * @throws ZmqException ENOENT when the socket is not connected there
     */
    void disconnect(String endpoint);

    /**
     * The endpoint of the last bind, resolved (e.g. "tcp://127.0.0.1:41235", "tcp://0.0.0.0:5556" for
     * "tcp://*:5556"), or of the last connect, as given; "" if none. libzmq's ZMQ_LAST_ENDPOINT.
     */
    String lastEndpoint();

    /**
     * This socket's counters since it was created: messages and bytes each way, copies dropped at a
     * peer's HWM, unroutable ROUTER messages, sends and receives that would have blocked. Any
     * thread may call it, the socket's own calls going on meanwhile; the socket stays usable.
     */
    SocketMetrics metrics();

    /**
     * Sends {@code frame} as the last (or only) frame of a message.
     *
     * @param frame the bytes; the socket keeps a reference, so do not modify it afterwards
     * @return true when queued; false when SNDTIMEO expired
     * @throws ZmqException EFSM (REQ/REP order), EHOSTUNREACH (ROUTER_MANDATORY), ENOTSUP (type
     *                      cannot send), ETERM, EINTR
     */
    boolean send(byte[] frame);

    /**
     * Sends {@code frame} with more frames of the same message to follow. A multipart message is
     * delivered whole or not at all.
     *
     * @param frame the bytes
     * @return true when queued; false when SNDTIMEO expired
     */
    boolean sendMore(byte[] frame);

    /**
     * Sends a frame with flags {@link #DONTWAIT} and/or {@link #SNDMORE}.
     *
     * @param frame the bytes
     * @param flags DONTWAIT | SNDMORE
     * @return true when queued; false when it would block (DONTWAIT) or SNDTIMEO expired
     */
    boolean send(byte[] frame, int flags);

    /**
     * Receives the next frame, blocking up to RCVTIMEO.
     *
     * @return the frame, or null when RCVTIMEO expired
     * @throws ZmqException EFSM, ENOTSUP (type cannot receive), ETERM, EINTR
     */
    byte[] recv();

    /**
     * Receives the next frame with flags ({@link #DONTWAIT}).
     *
     * @param flags 0 or DONTWAIT
     * @return the frame, or null when none is ready (DONTWAIT) or RCVTIMEO expired
     */
    byte[] recv(int flags);

    /**
     * Sends a {@link Message}. On SERVER and PEER sockets the message goes to the connection named
     * by its routing id; on RADIO sockets to the dishes that joined its group (no group means the
     * group ""); on other types this is {@code send(message.data(), flags)}.
     *
     * @param message the message
     * @param flags   DONTWAIT (and SNDMORE for the classic types only)
     * @return true when queued; false when it would block (DONTWAIT) or SNDTIMEO expired
     * @throws ZmqException EHOSTUNREACH when a SERVER/PEER has no connection with that routing id;
     *                      EINVAL for SNDMORE on a thread-safe type
     */
    boolean send(Message message, int flags);

    /**
     * Sends a {@link Message}, blocking up to SNDTIMEO; see {@link #send(Message, int)}.
     *
     * @param message the message
     * @return true when queued; false when SNDTIMEO expired
     */
    boolean send(Message message);

    /**
     * Receives the next frame as a {@link Message}, with the routing id of the connection it came
     * from (SERVER, PEER) or its group (DISH).
     *
     * @param flags 0 or DONTWAIT
     * @return the message, or null when none is ready (DONTWAIT) or RCVTIMEO expired
     */
    Message recvMessage(int flags);

    /**
     * Receives the next frame as a {@link Message}, blocking up to RCVTIMEO.
     *
     * @return the message, or null when RCVTIMEO expired
     */
    Message recvMessage();

    /**
     * DISH only, like {@code zmq_join}: receive messages sent to {@code group}.
     *
     * @param group 0 to 255 bytes of UTF-8, no NUL character
     * @throws ZmqException ENOTSUP on other types; EINVAL for an invalid group or one already joined
     */
    void join(String group);

    /**
     * DISH only, like {@code zmq_leave}: stop receiving messages sent to {@code group}.
     *
     * @param group a joined group
     * @throws ZmqException ENOTSUP on other types; EINVAL when the group was not joined
     */
    void leave(String group);

    /**
     * PEER only, like {@code zmq_connect_peer}: connects to another PEER socket and returns the
     * routing id under which messages reach it (usable at once; messages queue until the
     * connection exists).
     *
     * @param endpoint transport://address
     * @return the routing id of the new connection
     * @throws ZmqException ENOTSUP on other types; as {@link #connect(String)} otherwise
     */
    int connectPeer(String endpoint);

    /**
     * Sends a copy of {@code length} bytes of {@code buffer}, like {@code zmq_send}: the buffer may
     * be reused as soon as this returns. On PUSH, DEALER, PAIR, CLIENT, SCATTER and CHANNEL
     * sockets the copy is made into an array recycled from earlier sends once the connection has
     * written them, so a steady stream of equal-sized messages allocates nothing.
     *
     * @param buffer the bytes
     * @param offset where the message starts in {@code buffer}
     * @param length its length
     * @param flags  DONTWAIT | SNDMORE
     * @return true when queued; false when it would block (DONTWAIT) or SNDTIMEO expired
     */
    boolean send(byte[] buffer, int offset, int length, int flags);

    /**
     * Receives the next frame into {@code buffer}, like {@code zmq_recv}: copies at most
     * {@code length} bytes (a longer frame is truncated) and returns the frame's full size. The
     * frame's own array goes back to the connection for reuse, so receiving a steady stream of
     * equal-sized messages this way allocates nothing.
     *
     * @param buffer where to copy the frame
     * @param offset where to start in {@code buffer}
     * @param length room in {@code buffer}
     * @param flags  0 or DONTWAIT
     * @return the frame's size (more than {@code length} when truncated), or -1 when none is ready
     *         (DONTWAIT) or RCVTIMEO expired
     */
    int recv(byte[] buffer, int offset, int length, int flags);

    /** Whether the frame just received has more frames of the same message after it. */
    boolean hasMore();

    /**
     * A metadata property of the connection the last received frame came from, like libzmq's
     * {@code zmq_msg_gets}: "Socket-Type", "Identity", "Peer-Address", "User-Id" (set by the ZAP
     * handler), or any property the ZAP handler added. Names are case-insensitive.
     *
     * @param name the property name
     * @return its value as a string, or null when absent (or nothing was received yet)
     */
    String messageProperty(String name);

    /**
     * Sets an option.
     *
     * @param option the option
     * @param value  its value
     * @throws ZmqException EINVAL for a bad value, a read-only option, or an option that does not
     *                      apply to this socket type (as libzmq); ENOTSUP for a feature zmq4j lacks
     */
    <T> void setOption(Option<T> option, T value);

    /**
     * Reads an option.
     *
     * @param option the option
     * @return its current value
     */
    <T> T getOption(Option<T> option);

    /** The socket's type. */
    SocketType type();

    /**
     * Starts a libzmq-style monitor, like {@code zmq_socket_monitor}: a PAIR socket bound at
     * {@code endpoint} (must be inproc://) sends two-frame event messages in libzmq's layout (see
     * {@link SocketEvent}) to whoever connects a PAIR socket to it. A second call replaces the
     * monitor; a null endpoint stops it (after a MONITOR_STOPPED event, if selected).
     *
     * @param endpoint an inproc:// endpoint, or null to stop
     * @param events   a mask of {@link SocketEvent.Type#code()} bits; {@link SocketEvent#ALL} for all
     * @throws ZmqException EPROTONOSUPPORT for a non-inproc endpoint, EADDRINUSE when it is taken
     */
    void monitor(String endpoint, int events);

    /**
     * Adds a typed monitor. The listener runs on zmq4j's I/O threads or the socket's thread and
     * must return quickly.
     *
     * @param listener receives events
     * @param events   a mask of {@link SocketEvent.Type#code()} bits; {@link SocketEvent#ALL} for all
     * @return a handle whose close() removes the listener (after a MONITOR_STOPPED event, if selected)
     */
    MonitorHandle addMonitor(java.util.function.Consumer<SocketEvent> listener, int events);

    /**
     * Closes the socket. Queued outbound messages are delivered for up to LINGER in the
     * background; close itself does not block. Idempotent.
     */
    @Override
    void close();

    // ------------------------------------------------------------------ conveniences
    // Each is a composition of the calls above, with the same blocking, timeouts and errors.

    /** Sends a UTF-8 frame (the last of its message), blocking up to SNDTIMEO; see {@link #send(byte[])}. */
    default boolean send(String frame) {
        return send(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Sends a UTF-8 frame with {@code flags}; see {@link #send(byte[], int)}. */
    default boolean send(String frame, int flags) {
        return send(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8), flags);
    }

    /** Sends a UTF-8 frame with more to follow; see {@link #sendMore(byte[])}. */
    default boolean sendMore(String frame) {
        return sendMore(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Receives a frame as UTF-8 text, blocking up to RCVTIMEO; null when it expired. */
    default String recvString() {
        byte[] f = recv();
        return f == null ? null : new String(f, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Receives a frame as UTF-8 text with {@code flags}; null when nothing came (DONTWAIT) or RCVTIMEO expired. */
    default String recvString(int flags) {
        byte[] f = recv(flags);
        return f == null ? null : new String(f, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Sends a whole message, blocking up to SNDTIMEO for its first frame; the others follow at once.
     * All or nothing: when the first frame cannot be queued, nothing is.
     *
     * @return true when queued; false when SNDTIMEO expired before anything was sent
     * @throws ZmqException EINVAL for an empty message; as {@link #send(byte[], int)} otherwise
     */
    default boolean send(Multipart message) {
        return send(message, 0);
    }

    /**
     * Sends a whole message with {@code flags} ({@link #DONTWAIT}; {@link #SNDMORE} to send more
     * frames after it, as part of the same message). All or nothing: when the first frame cannot be
     * queued, nothing is; once it is, the socket takes the rest (as libzmq does with a message's
     * frames).
     *
     * @return true when queued; false when it would block (DONTWAIT) or SNDTIMEO expired
     */
    default boolean send(Multipart message, int flags) {
        java.util.List<byte[]> f = message.frames();
        if (f.isEmpty()) {
            throw new ZmqException(ZmqException.Errno.EINVAL, "a message has at least one frame; this one is empty");
        }
        int last = f.size() - 1;
        if (!send(f.get(0), last == 0 ? flags : flags | SNDMORE)) {
            return false;
        }
        int more = flags & SNDMORE;
        for (int i = 1; i <= last; i++) {
            send(f.get(i), i < last ? SNDMORE : more);
        }
        return true;
    }

    /** Receives a whole message, blocking up to RCVTIMEO; null when it expired. */
    default Multipart recvMultipart() {
        return recvMultipart(0);
    }

    /**
     * Receives a whole message with {@code flags}; null when nothing came (DONTWAIT) or RCVTIMEO
     * expired. The frames of a message arrive together, so only the first may wait.
     */
    default Multipart recvMultipart(int flags) {
        byte[] first = recv(flags);
        if (first == null) {
            return null;
        }
        Multipart m = new Multipart().add(first);
        while (hasMore()) {
            m.add(recv());
        }
        return m;
    }

    /** SUB, XSUB: subscribes to messages whose first frame starts with {@code prefix} (UTF-8; "" for all). */
    default void subscribe(String prefix) {
        setOption(Option.SUBSCRIBE, prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** SUB, XSUB: subscribes to messages whose first frame starts with {@code prefix}. */
    default void subscribe(byte[] prefix) {
        setOption(Option.SUBSCRIBE, prefix);
    }

    /** SUB, XSUB: cancels one {@link #subscribe(String)} of the same prefix. */
    default void unsubscribe(String prefix) {
        setOption(Option.UNSUBSCRIBE, prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** SUB, XSUB: cancels one {@link #subscribe(byte[])} of the same prefix. */
    default void unsubscribe(byte[] prefix) {
        setOption(Option.UNSUBSCRIBE, prefix);
    }

    /**
     * Sets a {@code long} option from any integer, so {@code setOption(Option.MAXMSGSIZE, 1024)}
     * compiles as it would in C.
     */
    default void setOption(Option<Long> option, long value) {
        setOption(option, Long.valueOf(value));
    }

    /**
     * Sets SNDHWM and RCVHWM to the same value (JeroMQ's {@code setHWM}, libzmq 2's single HWM):
     * messages queued per pipe in each direction before sends block or drop; 0 means no limit.
     * Applies to connections made after the call, as the two options do.
     *
     * @throws ZmqException EINVAL for a negative value
     */
    default void setHwm(int hwm) {
        setOption(Option.SNDHWM, hwm);
        setOption(Option.RCVHWM, hwm);
    }

    /**
     * Waits up to {@code timeoutMillis} until this socket is ready for one of {@code events}
     * ({@link Poller#POLLIN} and/or {@link Poller#POLLOUT}); pyzmq's {@code socket.poll}. For one
     * socket; use a {@link Poller} to wait on several.
     *
     * @param events        POLLIN | POLLOUT
     * @param timeoutMillis 0 to check without waiting, -1 to wait forever
     * @return the events ready (POLLERR when the socket is closed or its context terminated), 0 on timeout
     * @throws ZmqException EINTR when the thread is interrupted, ETERM when the context is closed
     */
    default int poll(int events, long timeoutMillis) {
        try (Poller poller = new Poller()) {
            poller.register(this, events);
            if (poller.poll(timeoutMillis) == 0) {
                return 0;
            }
            return (poller.isReadable(this) ? Poller.POLLIN : 0) | (poller.isWritable(this) ? Poller.POLLOUT : 0)
                    | (poller.isError(this) ? Poller.POLLERR : 0);
        }
    }

    /**
     * Sets LINGER to {@code linger}, then closes: queued outbound messages get that long to leave
     * (pyzmq's {@code socket.close(linger=...)}; not an overload of {@code close()}, so that
     * {@code socket::close} stays an exact method reference).
     *
     * @param linger how long queued messages may wait for delivery; zero drops them
     * @throws ZmqException EINVAL for a negative or too long linger
     */
    default void closeWithLinger(java.time.Duration linger) {
        long ms = linger.toMillis();
        if (linger.isNegative() || ms > Integer.MAX_VALUE) {
            throw new ZmqException(ZmqException.Errno.EINVAL, "linger must be 0 to " + Integer.MAX_VALUE + " ms, got " + linger);
        }
        setOption(Option.LINGER, (int) ms);
        close();
    }
}
