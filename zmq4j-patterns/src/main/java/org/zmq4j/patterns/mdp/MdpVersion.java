package org.zmq4j.patterns.mdp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The two versions of the Majordomo Protocol: MDP/0.1 (rfc 7: one REPLY per request, frames
 * after an empty delimiter) and MDP/0.2 (rfc 18: any number of PARTIAL replies then a FINAL one, no
 * delimiter). A broker speaks both on one socket, telling them apart by the protocol header.
 */
public enum MdpVersion {
    /** MDP/0.1, rfc 7: headers "MDPC01" and "MDPW01". */
    MDP01("MDPC01", "MDPW01"),
    /** MDP/0.2, rfc 18: headers "MDPC02" and "MDPW02". */
    MDP02("MDPC02", "MDPW02");

    private final byte[] clientHeader;
    private final byte[] workerHeader;

    MdpVersion(String client, String worker) {
        this.clientHeader = client.getBytes(StandardCharsets.US_ASCII);
        this.workerHeader = worker.getBytes(StandardCharsets.US_ASCII);
    }

    /** The client protocol header ("MDPC01" or "MDPC02"). */
    public byte[] clientHeader() {
        return clientHeader.clone();
    }

    /** The worker protocol header ("MDPW01" or "MDPW02"). */
    public byte[] workerHeader() {
        return workerHeader.clone();
    }

    byte[] client() {
        return clientHeader;
    }

    byte[] worker() {
        return workerHeader;
    }

    /**
     * The version a command-line name gives: {@code mdp01} or {@code mdp02} (any case).
     *
     * @param name the name
     * @return the version
     * @throws IllegalArgumentException for another name
     */
    public static MdpVersion fromName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "mdp01":
                return MDP01;
            case "mdp02":
                return MDP02;
            default:
                throw new IllegalArgumentException("unknown Majordomo protocol '" + name + "': expected mdp01 or mdp02");
        }
    }
}
