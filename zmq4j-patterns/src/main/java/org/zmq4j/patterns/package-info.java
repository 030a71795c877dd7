/**
 * The zguide's reliability patterns on zmq4j's public API, one package per pattern:
 * {@link org.zmq4j.patterns.mdp} (Majordomo), {@link org.zmq4j.patterns.ppp} (Paranoid Pirate),
 * {@link org.zmq4j.patterns.lazypirate} (Lazy Pirate). This package holds what they share.
 */
package org.zmq4j.patterns;
