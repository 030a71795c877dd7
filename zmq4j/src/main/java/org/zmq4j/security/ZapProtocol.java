package org.zmq4j.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.zmq4j.SocketType;
import org.zmq4j.common.SocketOptions;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * The ZAP wire format (rfc-27), sans-IO: the frames of a request as a REQ client sends them, and
 * the parsing of the handler's reply. The I/O side ({@code io.ZapClient}) only carries the frames.
 */
public final class ZapProtocol {
    /** Where ZAP handlers bind (rfc-27). */
    public static final String ENDPOINT = "inproc://zeromq.zap.01";
    private static final byte[] EMPTY = new byte[0];

    private ZapProtocol() {
    }

    /** Options for the client end of a ZAP exchange: a REQ, with no HWM (one request at a time). */
    public static SocketOptions clientOptions() {
        SocketOptions options = new SocketOptions(SocketType.REQ);
        options.sndHwm = 0;
        options.rcvHwm = 0;
        return options;
    }

    /**
     * A request's frames, REQ's empty delimiter first.
     *
     * @param request   the mechanism and credentials
     * @param domain    the ZAP_DOMAIN (may be null)
     * @param address   the peer's IP address ("" for ipc)
     * @param routingId our ROUTING_ID (may be null)
     * @return the frames in order
     */
    public static List<byte[]> requestFrames(ZapRequest request, String domain, String address, byte[] routingId) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(EMPTY);
        frames.add(ascii("1.0"));
        frames.add(ascii("1"));
        frames.add(ascii(domain == null ? "" : domain));
        frames.add(ascii(address));
        frames.add(routingId == null ? EMPTY : routingId);
        frames.add(ascii(request.mechanism()));
        frames.addAll(request.credentials());
        return frames;
    }

    /**
     * Parses [delimiter, version, request id, status code, status text, user id, metadata].
     *
     * @param frames the reply's frames
     * @return the reply
     * @throws ProtocolException ZAP_MALFORMED_REPLY when it is not a valid reply to request "1"
     */
    public static ZapReply parseReply(List<byte[]> frames) throws ProtocolException {
        if (frames.size() != 7 || frames.get(0).length != 0) {
            throw new ProtocolException(ProtocolError.ZAP_MALFORMED_REPLY,
                    "malformed ZAP reply: expected 7 frames after REP's envelope, got " + frames.size());
        }
        String version = new String(frames.get(1), StandardCharsets.UTF_8);
        if (!version.equals("1.0")) {
            throw new ProtocolException(ProtocolError.ZAP_MALFORMED_REPLY, "ZAP reply has version '" + version + "', expected 1.0");
        }
        if (!new String(frames.get(2), StandardCharsets.UTF_8).equals("1")) {
            throw new ProtocolException(ProtocolError.ZAP_MALFORMED_REPLY, "ZAP reply carries the wrong request id");
        }
        String status = new String(frames.get(3), StandardCharsets.UTF_8);
        if (!status.equals("200") && !status.equals("300") && !status.equals("400") && !status.equals("500")) {
            throw new ProtocolException(ProtocolError.ZAP_MALFORMED_REPLY, "ZAP reply has invalid status code '" + status + "'");
        }
        Metadata metadata = Metadata.parse(frames.get(6), 0);
        return new ZapReply(status, new String(frames.get(4), StandardCharsets.UTF_8),
                new String(frames.get(5), StandardCharsets.UTF_8), metadata);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
