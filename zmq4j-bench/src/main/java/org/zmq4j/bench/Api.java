package org.zmq4j.bench;

/**
 * The little of a ZeroMQ library the end-to-end runs need, so one worker drives zmq4j and JeroMQ
 * the same way. Only one implementation is loaded per JVM, so the calls stay monomorphic and the
 * JIT inlines them: the adapter costs nothing per message.
 */
interface Api extends AutoCloseable {
    /** Socket kinds the runs use. */
    enum Kind { PUSH, PULL, REQ, REP }

    /** One socket: blocking send of a whole single-frame message, blocking receive. */
    interface Sock {
        void send(byte[] frame);

        byte[] recv();

        /** Sends a copy of {@code buffer[0, length)} (the library's zmq_send-style call). */
        void sendCopy(byte[] buffer, int length);

        /** Receives into {@code buffer} (the library's zmq_recv-style call); returns the message size. */
        int recvInto(byte[] buffer);
    }

    /**
     * A socket with SNDHWM = RCVHWM = {@code hwm}, bound or connected to {@code endpoint}.
     *
     * @param kind     the socket type
     * @param hwm      high-water mark for both directions
     * @param bind     bind (true) or connect (false)
     * @param endpoint the endpoint
     * @return the socket, owned by the calling thread
     */
    Sock socket(Kind kind, int hwm, boolean bind, String endpoint);

    @Override
    void close();

    /**
     * The implementation named {@code name}: "zmq4j" or "jeromq". Each context has one I/O thread.
     * Its sockets use CURVE when this process's environment carries a {@link BenchCurve} key pair
     * (the binding side as the server), and no security otherwise.
     *
     * @param name implementation name
     * @return a new context
     */
    static Api open(String name) {
        switch (name) {
            case "zmq4j":
                return new Zmq4jApi(BenchCurve.fromEnvironment());
            case "jeromq":
                return new JeromqApi(BenchCurve.fromEnvironment());
            default:
                throw new IllegalArgumentException("unknown implementation " + name);
        }
    }
}
