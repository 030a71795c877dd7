package org.zmq4j.pgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.pgm.EpgmLibzmqTest.describe;
import static org.zmq4j.pgm.EpgmLibzmqTest.group;
import static org.zmq4j.pgm.EpgmLibzmqTest.line;
import static org.zmq4j.pgm.EpgmLibzmqTest.message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.support.ContextPerTest;
import org.zmq4j.support.LibzmqScript;
import org.zmq4j.support.Python;
import org.zmq4j.support.VethPair;

/**
 * Loss repaired by NAKs, against libzmq with OpenPGM, both ways: zmq4j here and libzmq (pyzmq) in
 * a network namespace the test makes, joined by a veth pair whose ends both drop 10% of what they
 * send (an nftables rule: this kernel has no netem), so data, NAKs, NCFs and SPMs are all lost at times. Every message
 * must still arrive, in order and intact. (On one host's loopback NAK repair cannot work, see
 * docs/pgm-notes.md §7; two namespaces give each side its own port and address.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EpgmLossTest extends ContextPerTest {
    private static final int COUNT = 300;
    private static final int RATE = 10_000;
    private static final int LOSS_PERCENT = 10;

    private static LibzmqScript inNamespace(VethPair pair, String script, String... args) {
        Python.assumePyzmq();
        List<String> command = new ArrayList<>(List.of(Python.interpreter(), "-u", "-c", script));
        command.addAll(List.of(args));
        return LibzmqScript.start(pair.inside(command));
    }

    @Test
    void aLibzmqSubscriberGetsEveryMessageOfAZmq4jPublisherThroughLoss() {
        try (VethPair pair = VethPair.create()) {
            pair.loss(true, LOSS_PERCENT);
            pair.loss(false, LOSS_PERCENT);
            String g = group();
            int port = 20_000 + new java.util.Random().nextInt(20_000);
            try (LibzmqScript py = inNamespace(pair, EpgmLibzmqTest.LIBZMQ_SUB, "epgm://" + pair.thereAddress() + ";" + g + ":" + port,
                    String.valueOf(RATE), String.valueOf(COUNT))) {
                assertEquals("ready", line(py, 30_000));
                Socket pub = ctx.socket(SocketType.PUB);
                pub.setOption(Option.RATE, RATE);
                pub.setOption(Option.SNDHWM, 100_000);
                pub.setOption(Option.LINGER, 0);
                pub.connect("epgm://" + pair.hereInterface() + ";" + g + ":" + port);
                for (int i = 0; i < COUNT; i++) {
                    EpgmLibzmqTest.send(pub, i);
                }
                for (int i = 0; i < COUNT; i++) {
                    assertEquals("T" + i + " " + describe(message(i)), line(py, 70_000), "message " + i + " at libzmq's SUB");
                }
                assertTrue(pair.dropped() > 10, "the link dropped packets: " + pair.dropped());
                py.writeLine("done");
                pub.close(); // only now: a closed source repairs nothing
            }
        }
    }

    @Test
    void aZmq4jSubscriberGetsEveryMessageOfALibzmqPublisherThroughLoss() {
        try (VethPair pair = VethPair.create()) {
            pair.loss(true, LOSS_PERCENT);
            pair.loss(false, LOSS_PERCENT);
            String g = group();
            int port = 20_000 + new java.util.Random().nextInt(20_000);
            Socket sub = ctx.socket(SocketType.SUB);
            sub.setOption(Option.RATE, RATE);
            sub.setOption(Option.RCVHWM, 100_000);
            sub.setOption(Option.RCVTIMEO, 60_000);
            sub.setOption(Option.SUBSCRIBE, new byte[0]);
            sub.connect("epgm://" + pair.hereAddress() + ";" + g + ":" + port);
            try (LibzmqScript py = inNamespace(pair, EpgmLibzmqTest.LIBZMQ_PUB, "epgm://" + pair.thereAddress() + ";" + g + ":" + port,
                    String.valueOf(RATE), String.valueOf(COUNT))) {
                assertEquals("ready", line(py, 30_000));
                py.writeLine("go");
                for (int i = 0; i < COUNT; i++) {
                    EpgmLibzmqTest.expect(sub, i);
                }
                assertEquals("sent", line(py, 30_000));
                assertTrue(pair.dropped() > 10, "the link dropped packets: " + pair.dropped());
                py.writeLine("done");
            }
        }
    }
}
