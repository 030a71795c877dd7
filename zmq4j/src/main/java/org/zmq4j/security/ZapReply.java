package org.zmq4j.security;

import org.zmq4j.wire.Metadata;

/**
 * The ZAP handler's answer (rfc-27).
 *
 * @param statusCode "200" lets the peer in; "300", "400", "500" refuse it
 * @param statusText human-readable reason
 * @param userId     the user id the handler assigned (may be empty)
 * @param metadata   extra properties the handler attached (may be empty)
 */
public record ZapReply(String statusCode, String statusText, String userId, Metadata metadata) {
    /** Whether the handler let the peer in. */
    public boolean accepted() {
        return "200".equals(statusCode);
    }
}
