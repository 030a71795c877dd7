package org.zmq4j.security;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.ProtocolException;

/**
 * Drives a client and a server mechanism against each other the way an engine does: every
 * {@code nextCommand()} goes through {@code Command.parse} into the peer's {@code process}, and the
 * server's ZAP requests are answered by a function (null answer = no ZAP handler). Records every
 * command sent, per direction.
 */
final class Exchange {
    final Mechanism client;
    final Mechanism server;
    final List<byte[]> fromClient = new ArrayList<>();
    final List<byte[]> fromServer = new ArrayList<>();
    final List<ZapRequest> zapRequests = new ArrayList<>();
    private final Function<ZapRequest, ZapReply> zap;

    Exchange(Mechanism client, Mechanism server, Function<ZapRequest, ZapReply> zap) {
        this.client = client;
        this.server = server;
        this.zap = zap;
    }

    /** Runs until neither side has anything to send; returns this. */
    Exchange run() throws ProtocolException {
        boolean progress = true;
        while (progress) {
            progress = false;
            byte[] body;
            while ((body = client.nextCommand()) != null) {
                fromClient.add(body);
                progress = true;
                if (server.status() == Mechanism.Status.HANDSHAKING) {
                    server.process(Command.parse(body));
                    answerZap();
                }
            }
            while ((body = server.nextCommand()) != null) {
                fromServer.add(body);
                progress = true;
                if (client.status() == Mechanism.Status.HANDSHAKING) {
                    client.process(Command.parse(body));
                }
            }
        }
        return this;
    }

    private void answerZap() {
        ZapRequest request = server.takeZapRequest();
        if (request != null) {
            zapRequests.add(request);
            ZapReply reply = zap.apply(request);
            if (reply == null) {
                server.zapUnavailable();
            } else {
                server.zapReply(reply);
            }
        }
    }
}
