package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.wire.Metadata;

/** ZAP (rfc-27) with the NULL mechanism: asked only when ZAP_DOMAIN is set. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZapNullTest {

    /** A ZAP handler on its own thread: answers {@code status}, records each request's frames. */
    private static Thread handler(Context ctx, String status, List<List<String>> requests, Socket[] holder) {
        Socket rep = ctx.socket(SocketType.REP);
        rep.bind("inproc://zeromq.zap.01");
        holder[0] = rep;
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    List<String> frames = new ArrayList<>();
                    do {
                        frames.add(new String(rep.recv(), StandardCharsets.UTF_8));
                    } while (rep.hasMore());
                    synchronized (requests) {
                        requests.add(frames);
                    }
                    rep.sendMore("1.0".getBytes());
                    rep.sendMore(frames.get(1).getBytes());
                    rep.sendMore(status.getBytes());
                    rep.sendMore("text".getBytes());
                    rep.sendMore("alice".getBytes());
                    rep.send(new Metadata.Builder().add("X-Role", "admin").build());
                }
            } catch (ZmqException e) {
                // ETERM: context closing
            }
        }, "zap-handler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void acceptedPeerCarriesUserIdAndHandlerMetadata() throws Exception {
        List<List<String>> requests = new ArrayList<>();
        Socket[] rep = new Socket[1];
        try (Context ctx = new Context()) {
            Thread t = handler(ctx, "200", requests, rep);
            Socket pull = ctx.socket(SocketType.PULL);
            pull.setOption(Option.ZAP_DOMAIN, "global");
            pull.setOption(Option.RCVTIMEO, 5000);
            pull.setOption(Option.LINGER, 0);
            pull.bind("tcp://127.0.0.1:*");
            Socket push = ctx.socket(SocketType.PUSH);
            push.setOption(Option.LINGER, 0);
            push.connect(pull.lastEndpoint());
            push.send("hello".getBytes());
            assertArrayEquals("hello".getBytes(), pull.recv());
            assertEquals("alice", pull.messageProperty("User-Id"));
            assertEquals("admin", pull.messageProperty("X-Role"));
            assertEquals("PUSH", pull.messageProperty("Socket-Type"));
            assertEquals("127.0.0.1", pull.messageProperty("Peer-Address"));
            synchronized (requests) {
                List<String> r = requests.get(0);
                assertEquals(List.of("1.0", "1", "global", "127.0.0.1", "", "NULL"), r);
            }
            push.close();
            pull.close();
            rep[0].close();
            ctx.close();
            t.join(5000);
        }
    }

    @Test
    void refusedPeerDeliversNothingAndIsReportedAsAuthFailure() throws Exception {
        List<List<String>> requests = new ArrayList<>();
        Socket[] rep = new Socket[1];
        try (Context ctx = new Context()) {
            handler(ctx, "400", requests, rep);
            Socket pull = ctx.socket(SocketType.PULL);
            pull.setOption(Option.ZAP_DOMAIN, "global");
            pull.setOption(Option.LINGER, 0);
            LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
            pull.addMonitor(events::add, SocketEvent.Type.HANDSHAKE_FAILED_AUTH.code());
            pull.bind("tcp://127.0.0.1:*");
            Socket push = ctx.socket(SocketType.PUSH);
            push.setOption(Option.LINGER, 0);
            LinkedBlockingQueue<SocketEvent> clientEvents = new LinkedBlockingQueue<>();
            push.addMonitor(clientEvents::add, SocketEvent.ALL);
            push.connect(pull.lastEndpoint());
            push.send("must not arrive".getBytes());
            SocketEvent e = events.poll(10, TimeUnit.SECONDS);
            assertEquals(SocketEvent.Type.HANDSHAKE_FAILED_AUTH, e.type());
            assertEquals(400, e.value());
            pull.setOption(Option.RCVTIMEO, 200);
            assertNull(pull.recv());
            push.close();
            pull.close();
            rep[0].close();
        }
    }

    @Test
    void withoutZapDomainTheHandlerIsNotAsked() throws Exception {
        List<List<String>> requests = new ArrayList<>();
        Socket[] rep = new Socket[1];
        try (Context ctx = new Context()) {
            handler(ctx, "400", requests, rep);
            Socket pull = ctx.socket(SocketType.PULL);
            pull.setOption(Option.RCVTIMEO, 5000);
            pull.setOption(Option.LINGER, 0);
            pull.bind("tcp://127.0.0.1:*");
            Socket push = ctx.socket(SocketType.PUSH);
            push.setOption(Option.LINGER, 0);
            push.connect(pull.lastEndpoint());
            push.send("hello".getBytes());
            assertArrayEquals("hello".getBytes(), pull.recv());
            synchronized (requests) {
                assertEquals(0, requests.size());
            }
            push.close();
            pull.close();
            rep[0].close();
        }
    }
}
