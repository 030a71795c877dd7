package org.zmq4j.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.Multipart;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Java and Python in one conversation: a pyzmq (libzmq) process, started here, is a REP server to
 * our REQ and then a DEALER client of our ROUTER, with a multipart message each way. Nothing on
 * either side knows the other is not its own kind. Needs {@code python3} with pyzmq (Debian:
 * {@code apt-get install python3-zmq}); the interpreter is the first argument, or {@code /usr/bin/python3}.
 */
public final class PyzmqPeer {
    /** The Python side: REP on argv[1] for three requests, then a DEALER to argv[2] sending one message. */
    private static final String PYTHON = String.join("\n",
            "import sys, zmq",
            "ctx = zmq.Context()",
            "rep = ctx.socket(zmq.REP)",
            "rep.bind(sys.argv[1])",
            "print('READY', rep.getsockopt_string(zmq.LAST_ENDPOINT), flush=True)",
            "for _ in range(3):",
            "    parts = rep.recv_multipart()",
            "    rep.send_multipart([b'pyzmq got'] + parts)",
            "dealer = ctx.socket(zmq.DEALER)",
            "dealer.connect(sys.stdin.readline().strip())",
            "dealer.send_multipart([b'from', b'python', zmq.zmq_version().encode()])",
            "print('python heard:', dealer.recv_string(), flush=True)",
            "ctx.destroy(linger=1000)");

    private PyzmqPeer() {
    }

    public static void main(String[] args) throws Exception {
        String python = args.length > 0 ? args[0] : "/usr/bin/python3";
        Process py;
        try {
            py = new ProcessBuilder(python, "-c", PYTHON, "tcp://127.0.0.1:*").redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("no Python at " + python + ": " + e.getMessage());
            return;
        }
        try (Context ctx = new Context();
                var fromPython = new java.io.BufferedReader(new java.io.InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = fromPython.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                System.out.println("the Python side did not start (is pyzmq installed?): " + ready);
                return;
            }
            String pythonEndpoint = ready.substring(6);

            try (Socket req = ctx.socket(SocketType.REQ)) {            // our REQ, their REP
                req.setOption(Option.RCVTIMEO, 5000);
                req.connect(pythonEndpoint);
                for (int i = 1; i <= 3; i++) {
                    req.send(new Multipart().add("hello").add(String.valueOf(i)));
                    System.out.println("java heard: " + req.recvMultipart().strings());
                }
            }

            try (Socket router = ctx.socket(SocketType.ROUTER)) {       // their DEALER, our ROUTER
                router.setOption(Option.RCVTIMEO, 5000);
                router.bind("tcp://127.0.0.1:*");
                py.getOutputStream().write((router.lastEndpoint() + "\n").getBytes(StandardCharsets.UTF_8));
                py.getOutputStream().flush();
                Multipart m = router.recvMultipart();                   // [identity, from, python, version]
                System.out.println("router heard: " + m.strings().subList(1, m.size()));
                router.send(new Multipart().add(m.frame(0)).add("hello back from zmq4j"));
                System.out.println(fromPython.readLine());
            }
        } finally {
            if (!py.waitFor(10, TimeUnit.SECONDS)) {
                py.destroyForcibly();
            }
        }
    }
}
