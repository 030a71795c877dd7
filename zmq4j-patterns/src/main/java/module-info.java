/**
 * The zguide's reliability patterns on zmq4j's public API. {@code org.zmq4j.patterns.mdp}: the
 * Majordomo broker, client and worker (MDP/0.1 and MDP/0.2 on one socket, MMI).
 */
module org.zmq4j.patterns {
    requires org.zmq4j;

    exports org.zmq4j.patterns.mdp;
}
