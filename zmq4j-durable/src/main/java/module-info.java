/**
 * Persistence for zmq4j: {@code org.zmq4j.durable.journal}, a crash-safe segmented journal;
 * {@code org.zmq4j.durable.delivery}, durable delivery (a sender that journals before sending and
 * resends after reconnects and restarts, a receiver that delivers each message once, in order per
 * sender); {@code org.zmq4j.durable.titanic}, Titanic (rfc 9) on the Majordomo broker;
 * {@code org.zmq4j.durable.retention}, a journal as a sequenced publisher's retention.
 */
module org.zmq4j.durable {
    requires transitive org.zmq4j;
    requires transitive org.zmq4j.patterns;

    exports org.zmq4j.durable.journal;
    exports org.zmq4j.durable.delivery;
    exports org.zmq4j.durable.titanic;
    exports org.zmq4j.durable.retention;
}
