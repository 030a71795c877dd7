package org.zmq4j.bench;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zmq4j.CurveKeyPair;

/**
 * JeroMQ through org.zeromq.ZContext / ZMQ.Socket, as its users write it. send(byte[]) hands the
 * array over by reference (no copy on inproc); recv() returns a new array for tcp.
 */
final class JeromqApi implements Api {
    private final ZContext ctx = new ZContext(1);
    private final BenchCurve curve;

    JeromqApi(BenchCurve curve) {
        this.curve = curve;
    }

    @Override
    public Sock socket(Kind kind, int hwm, boolean bind, String endpoint) {
        ZMQ.Socket s = ctx.createSocket(SocketType.valueOf(kind.name()));
        s.setSndHWM(hwm);
        s.setRcvHWM(hwm);
        if (curve != null && bind) {
            s.setCurveServer(true);
            s.setCurveSecretKey(curve.serverSecretKey());
        } else if (curve != null) {
            CurveKeyPair client = CurveKeyPair.generate();
            s.setCurveServerKey(curve.serverPublicKey());
            s.setCurvePublicKey(client.publicKey());
            s.setCurveSecretKey(client.secretKey());
        }
        if (bind) {
            s.bind(endpoint);
        } else {
            s.connect(endpoint);
        }
        return new Sock() {
            @Override
            public void send(byte[] frame) {
                if (!s.send(frame, 0)) {
                    throw new IllegalStateException("JeroMQ send failed: errno " + s.errno());
                }
            }

            @Override
            public byte[] recv() {
                return s.recv(0);
            }

            @Override
            public void sendCopy(byte[] buffer, int length) {
                if (!s.send(buffer, 0, length, 0)) {
                    throw new IllegalStateException("JeroMQ send failed: errno " + s.errno());
                }
            }

            @Override
            public int recvInto(byte[] buffer) {
                return s.recv(buffer, 0, buffer.length, 0);
            }
        };
    }

    @Override
    public void close() {
        ctx.close();
    }
}
