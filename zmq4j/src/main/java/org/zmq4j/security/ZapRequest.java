package org.zmq4j.security;

import java.util.List;

/**
 * What a mechanism asks the ZAP handler (rfc-27): the mechanism name and the client's
 * credentials (PLAIN: username, password; CURVE: the client's 32-byte long-term public key;
 * NULL: none). The engine adds version, request id, domain, address and routing id.
 *
 * @param mechanism   "NULL", "PLAIN" or "CURVE"
 * @param credentials the credential frames, in rfc-27 order
 */
public record ZapRequest(String mechanism, List<byte[]> credentials) {
}
