/**
 * Freelance (rfc 10 FLP): brokerless reliable request-reply across several equivalent servers.
 * {@link org.zmq4j.patterns.freelance.FreelanceClient} pings every server, sends each request to
 * the first live one and moves on to the next when it stays silent;
 * {@link org.zmq4j.patterns.freelance.FreelanceServer} answers pings and requests under its public
 * endpoint as its identity.
 */
package org.zmq4j.patterns.freelance;
