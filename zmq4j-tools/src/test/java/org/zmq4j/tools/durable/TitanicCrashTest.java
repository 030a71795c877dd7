package org.zmq4j.tools.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.Context;
import org.zmq4j.durable.titanic.TitanicClient;
import org.zmq4j.patterns.NoReplyException;
import org.zmq4j.patterns.mdp.BrokerConfig;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoBroker;
import org.zmq4j.patterns.mdp.MajordomoWorker;
import org.zmq4j.patterns.mdp.MdpVersion;
import org.zmq4j.tools.patterns.CliProcess;

/**
 * {@code zmq4j titanic} killed with -9 while clients submit requests and while it dispatches them,
 * restarted with the same store each time: every request it answered a UUID for gets its reply.
 */
class TitanicCrashTest {
    private static final Duration BEAT = Duration.ofMillis(200);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyAcknowledgedRequestGetsItsReplyThroughKills() throws Exception {
        try (Context ctx = new Context();
                MajordomoBroker broker = new MajordomoBroker(ctx, BrokerConfig.defaults().withHeartbeat(BEAT))) {
            String ep = broker.bind("tcp://127.0.0.1:0");
            broker.start();
            MajordomoWorker echo = new MajordomoWorker(ctx, ep, "slow-echo", MdpVersion.MDP01, BEAT, 3);
            Thread w = new Thread(() -> echo.serve(body -> {
                try {
                    Thread.sleep(2); // a service that takes a moment, so kills land during dispatch too
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                List<byte[]> r = new ArrayList<>(body);
                r.add(0, "echo".getBytes(StandardCharsets.UTF_8));
                return r;
            }), "slow-echo");
            w.setDaemon(true);
            w.start();
            String[] args = {"titanic", "--connect", ep, "--store", dir.resolve("store").toString(), "--heartbeat-ms", "200",
                "--dispatch-timeout-ms", "1000"};
            CliProcess titanic = CliProcess.start(dir, args);
            titanic.awaitErr("titanic: serving", 30);
            List<String> uuids = new ArrayList<>();
            int kills = 0;
            try (TitanicClient client = new TitanicClient(ctx, ClientConfig.of(ep).withTimeout(Duration.ofMillis(700))
                    .withRetries(0))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                for (int i = 0; i < 300 && System.nanoTime() < deadline; i++) {
                    if (i % 60 == 59) {
                        titanic.kill(); // while clients submit and the dispatcher works
                        kills++;
                        titanic = CliProcess.start(dir, args);
                    }
                    while (System.nanoTime() < deadline) {
                        try {
                            uuids.add(client.submit("slow-echo", List.of(("m" + i).getBytes(StandardCharsets.UTF_8))));
                            break;
                        } catch (NoReplyException e) {
                            // Titanic is down or restarting: not acknowledged, ask again
                        }
                    }
                }
                assertEquals(300, uuids.size());
                titanic.kill();
                kills++;
                titanic = CliProcess.start(dir, args);
                titanic.awaitErr("titanic: serving", 30);
                for (int i = 0; i < uuids.size(); i++) {
                    List<String> reply = null;
                    while (reply == null && System.nanoTime() < deadline) {
                        try {
                            Optional<List<byte[]>> r = client.reply(uuids.get(i));
                            if (r.isPresent()) {
                                reply = r.get().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
                            } else {
                                Thread.sleep(20); // pending: Titanic dispatches it soon
                            }
                        } catch (NoReplyException e) {
                            // Titanic's worker is reconnecting
                        }
                    }
                    assertEquals(List.of("echo", "m" + i), reply, "reply of request " + i + " (" + uuids.get(i) + ")");
                }
                assertTrue(kills >= 5);
                assertEquals(0, titanic.terminate(), titanic.describe());
            } finally {
                titanic.close();
                echo.close();
                w.join(5000);
            }
        }
    }
}
