package org.zmq4j.durable.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.ZmqException;
import org.zmq4j.durable.journal.FileJournal;
import org.zmq4j.durable.journal.FsyncPolicy;
import org.zmq4j.durable.journal.JournalConfig;

/** The sender's and receiver's protocol cores, driven without sockets, with a fake clock. */
class CoresTest {
    @TempDir
    Path dir;

    /** Records what a core sends. */
    static final class Wire implements SenderCore.Link, ReceiverCore.Link {
        final List<byte[]> commands = new ArrayList<>();
        final List<Long> data = new ArrayList<>();
        final List<String> delivered = new ArrayList<>();
        boolean full;

        @Override
        public void command(byte[] frame) {
            commands.add(frame);
        }

        @Override
        public boolean data(long seq, byte[] payload) {
            if (full) {
                return false;
            }
            data.add(seq);
            return true;
        }

        @Override
        public void send(byte[] route, byte[] command) {
            commands.add(command);
        }

        @Override
        public void deliver(String id, long epoch, long seq, byte[] payload) {
            delivered.add(id + "#" + seq);
        }

        byte[] last() {
            return commands.get(commands.size() - 1);
        }
    }

    private FileJournal journal() throws IOException {
        return FileJournal.open(dir, JournalConfig.builder().policy(FsyncPolicy.os()).build());
    }

    @Test
    void senderSaysHelloTransmitsAfterWelcomeAndGoesBackOnRequest() throws Exception {
        try (FileJournal j = journal()) {
            SendWindow w = new SendWindow(j, 100, "test");
            SenderCore core = new SenderCore("a", j.journalId(), w, 1_000_000_000L);
            Wire wire = new Wire();
            for (int i = 0; i < 5; i++) {
                w.append(("m" + i).getBytes(), -1);
            }
            core.pump(j.durableIndex(), wire);
            assertTrue(wire.data.isEmpty(), "nothing before the connection");
            core.connected(0, wire);
            assertEquals("a", Ddp.parseHello(wire.last()).id());
            core.pump(j.durableIndex(), wire);
            assertTrue(wire.data.isEmpty(), "nothing before WELCOME");
            core.welcome(-1, -1, 10);
            core.pump(j.durableIndex(), wire);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), wire.data);
            core.ack(2, 20);
            assertEquals(2, w.acked());
            // the receiver restarted and holds 3: resend 4 only
            wire.data.clear();
            core.welcome(2, 3, 30);
            core.pump(j.durableIndex(), wire);
            assertEquals(List.of(4L), wire.data);
            // silence with 3..4 unacknowledged: HELLO again after the ack timeout, not before
            int before = wire.commands.size();
            core.tick(30 + 999_999_999L, wire);
            assertEquals(before, wire.commands.size());
            core.tick(30 + 1_000_000_000L, wire);
            assertEquals(before + 1, wire.commands.size());
            assertNotNull(Ddp.parseHello(wire.last()));
            assertEquals(1, core.resyncs());
            // back-pressure: pump stops and resumes where it stopped
            core.welcome(2, 2, 40);
            wire.full = true;
            wire.data.clear();
            assertTrue(!core.pump(j.durableIndex(), wire));
            wire.full = false;
            assertTrue(core.pump(j.durableIndex(), wire));
            assertEquals(List.of(3L, 4L), wire.data);
        }
    }

    @Test
    void aReceiverAheadOfTheJournalFailsTheSenderLoudly() throws Exception {
        try (FileJournal j = journal()) {
            SendWindow w = new SendWindow(j, 100, "test");
            SenderCore core = new SenderCore("a", j.journalId(), w, 1_000_000_000L);
            w.append("m0".getBytes(), -1);
            core.connected(0, new Wire());
            core.welcome(5, 5, 0);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.append("m1".getBytes(), -1));
            assertTrue(e.getMessage().contains("journal lost records"), e.getMessage());
        }
    }

    @Test
    void aFullWindowWaitsThenTimesOutWithEagain() throws Exception {
        try (FileJournal j = journal()) {
            SendWindow w = new SendWindow(j, 3, "durable sender 'a'");
            for (int i = 0; i < 3; i++) {
                w.append(new byte[1], 0);
            }
            ZmqException e = assertThrows(ZmqException.class, () -> w.append(new byte[1], 50_000_000L));
            assertEquals(ZmqException.Errno.EAGAIN, e.errno());
            assertTrue(e.getMessage().contains("window of 3"), e.getMessage());
            w.acknowledge(0);
            assertEquals(3, w.append(new byte[1], 0));
            assertArrayEquals(new byte[1], w.payload(3));
        }
    }

    @Test
    void receiverDeliversInOrderDropsDuplicatesAndAsksForGaps() {
        ReceiverCore core = new ReceiverCore(Map.of("a", new ProgressLog.Position(7, 4)), 2);
        Wire wire = new Wire();
        byte[] route = {1, 2, 3};
        core.data(route, 5, new byte[0], wire);
        assertEquals(Ddp.WHO, wire.last()[0], "DATA before HELLO: WHO");
        core.hello(route, new Ddp.Hello(7, "a"), wire);
        assertArrayEquals(new long[] {4, 4}, Ddp.parseWelcome(wire.last()), "restored position");
        core.data(route, 5, new byte[0], wire);
        core.data(route, 5, new byte[0], wire);
        core.data(route, 7, new byte[0], wire);
        core.data(route, 8, new byte[0], wire);
        assertEquals(List.of("a#5"), wire.delivered);
        assertEquals(1, core.duplicates());
        assertEquals(2, core.gaps());
        assertArrayEquals(new long[] {4, 5}, Ddp.parseWelcome(wire.last()), "one rewind for the gap");
        int sent = wire.commands.size();
        core.data(route, 6, new byte[0], wire);
        assertEquals(List.of("a#5", "a#6"), wire.delivered);
        core.stored("a", 7, 6);
        core.flushAcks(wire);
        assertEquals(sent + 1, wire.commands.size());
        assertEquals(6L, Ddp.number(wire.last(), Ddp.ACK));
        core.data(route, 3, new byte[0], wire);
        core.flushAcks(wire);
        assertEquals(6L, Ddp.number(wire.last(), Ddp.ACK), "an old duplicate is answered with the ACK");
    }

    @Test
    void aNewEpochIsANewStreamAndSendersAreBounded() {
        ReceiverCore core = new ReceiverCore(Map.of("a", new ProgressLog.Position(7, 100)), 2);
        Wire wire = new Wire();
        core.hello(new byte[] {1}, new Ddp.Hello(8, "a"), wire);
        assertArrayEquals(new long[] {-1, -1}, Ddp.parseWelcome(wire.last()));
        core.data(new byte[] {1}, 0, new byte[0], wire);
        assertEquals(List.of("a#0"), wire.delivered);
        core.hello(new byte[] {2}, new Ddp.Hello(1, "b"), wire);
        int sent = wire.commands.size();
        core.hello(new byte[] {3}, new Ddp.Hello(1, "c"), wire);
        assertEquals(sent, wire.commands.size(), "a third sender is refused");
        assertEquals(1, core.refused());
    }

    @Test
    void malformedCommandsDoNotParse() {
        assertNull(Ddp.parseHello(new byte[] {Ddp.HELLO, 1}));
        assertNull(Ddp.parseHello(new byte[] {Ddp.HELLO, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'a'}));
        byte[] h = Ddp.hello(5, "abc");
        assertEquals(new Ddp.Hello(5, "abc"), Ddp.parseHello(h));
        h[10] = 4;
        assertNull(Ddp.parseHello(h), "announced id length must match");
        assertNull(Ddp.number(new byte[] {Ddp.ACK, 0}, Ddp.ACK));
        assertNull(Ddp.parseWelcome(new byte[9]));
        assertThrows(IllegalArgumentException.class, () -> Ddp.checkId(""));
        assertThrows(IllegalArgumentException.class, () -> Ddp.checkId("x".repeat(256)));
    }
}
