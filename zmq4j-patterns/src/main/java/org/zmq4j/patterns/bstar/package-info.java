/**
 * Binary Star (the zguide's chapter 4): a primary and a backup server that watch each other's
 * state and fail over on the client-vote rule, never both active.
 * {@link org.zmq4j.patterns.bstar.BinaryStarNode} is the pair's logic and state sockets for any
 * poll loop (the HA Majordomo broker embeds it); {@link org.zmq4j.patterns.bstar.BinaryStarServer}
 * runs a request-reply server as one node of a pair.
 */
package org.zmq4j.patterns.bstar;
