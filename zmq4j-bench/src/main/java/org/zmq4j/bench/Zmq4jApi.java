package org.zmq4j.bench;

import org.zmq4j.Context;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/** zmq4j through its public API only; CURVE when {@link BenchCurve} is set. */
final class Zmq4jApi implements Api {
    private final Context ctx = new Context(1);
    private final BenchCurve curve;

    Zmq4jApi(BenchCurve curve) {
        this.curve = curve;
    }

    @Override
    public Sock socket(Kind kind, int hwm, boolean bind, String endpoint) {
        Socket s = ctx.socket(SocketType.valueOf(kind.name()));
        s.setOption(Option.SNDHWM, hwm);
        s.setOption(Option.RCVHWM, hwm);
        if (curve != null && bind) {
            s.setOption(Option.CURVE_SERVER, true);
            s.setOption(Option.CURVE_SECRETKEY, curve.serverSecretKey());
        } else if (curve != null) {
            CurveKeyPair client = CurveKeyPair.generate();
            s.setOption(Option.CURVE_SERVERKEY, curve.serverPublicKey());
            s.setOption(Option.CURVE_PUBLICKEY, client.publicKey());
            s.setOption(Option.CURVE_SECRETKEY, client.secretKey());
        }
        if (bind) {
            s.bind(endpoint);
        } else {
            s.connect(endpoint);
        }
        return new Sock() {
            @Override
            public void send(byte[] frame) {
                if (!s.send(frame)) {
                    throw new IllegalStateException("zmq4j send failed");
                }
            }

            @Override
            public byte[] recv() {
                return s.recv();
            }

            @Override
            public void sendCopy(byte[] buffer, int length) {
                if (!s.send(buffer, 0, length, 0)) {
                    throw new IllegalStateException("zmq4j send failed");
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
