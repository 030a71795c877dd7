/**
 * The zguide's reliability patterns on zmq4j's public API: {@code org.zmq4j.patterns.mdp}, the
 * Majordomo broker, clients and worker (MDP/0.1 and MDP/0.2 on one socket, MMI);
 * {@code org.zmq4j.patterns.ppp}, the Paranoid Pirate queue and worker (rfc 6);
 * {@code org.zmq4j.patterns.lazypirate}, the Lazy Pirate client; {@code org.zmq4j.patterns.freelance},
 * the Freelance client and server (rfc 10). {@code org.zmq4j.patterns.internal} is not exported.
 */
module org.zmq4j.patterns {
    requires org.zmq4j;

    exports org.zmq4j.patterns;
    exports org.zmq4j.patterns.mdp;
    exports org.zmq4j.patterns.ppp;
    exports org.zmq4j.patterns.lazypirate;
    exports org.zmq4j.patterns.freelance;
    exports org.zmq4j.patterns.bstar;
    exports org.zmq4j.patterns.clone;
    exports org.zmq4j.patterns.sequenced;
    // the shared loop helpers, for the durable module only (not API)
    exports org.zmq4j.patterns.internal to org.zmq4j.durable;
}
