package org.zmq4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CommandAndMetadataTest {

    @Test
    void readyCommandMatchesTheRfcExample() throws Exception {
        // rfc-37 "Worked Example": READY with Socket-Type DEALER and an empty Identity
        byte[] props = new Metadata.Builder().add("Socket-Type", "DEALER").add("Identity", new byte[0]).build();
        byte[] frame = FrameEncoder.command("READY", props);
        assertEquals(0x04, frame[0], "short command frame");
        assertEquals(frame.length - 2, frame[1] & 0xFF);
        assertEquals(5, frame[2]);
        assertEquals("READY", new String(frame, 3, 5, StandardCharsets.US_ASCII));
        assertEquals(11, frame[8]);
        assertEquals("Socket-Type", new String(frame, 9, 11, StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] {0, 0, 0, 6}, java.util.Arrays.copyOfRange(frame, 20, 24));
    }

    @Test
    void commandRoundTrip() throws Exception {
        Command c = Command.parse(Command.body("SUBSCRIBE", "topic".getBytes()));
        assertEquals("SUBSCRIBE", c.name());
        assertArrayEquals("topic".getBytes(), c.data());
    }

    @Test
    void malformedCommandsAreRejected() {
        assertThrows(ProtocolException.class, () -> Command.parse(new byte[0]));
        assertThrows(ProtocolException.class, () -> Command.parse(new byte[] {0}));
        assertThrows(ProtocolException.class, () -> Command.parse(new byte[] {9, 'P', 'I'}));
    }

    @Test
    void metadataNamesAreCaseInsensitive() throws Exception {
        byte[] props = new Metadata.Builder().add("Socket-Type", "ROUTER").add("X-Custom", "v").build();
        Metadata m = Metadata.parse(props, 0);
        assertEquals("ROUTER", m.getString("socket-type"));
        assertEquals("v", m.getString("x-CUSTOM"));
        assertNull(m.get("Identity"));
    }

    @Test
    void malformedMetadataIsRejected() {
        assertThrows(ProtocolException.class, () -> Metadata.parse(new byte[] {0}, 0));
        assertThrows(ProtocolException.class, () -> Metadata.parse(new byte[] {3, 'a', 'b'}, 0));
        byte[] lying = {1, 'a', 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1};
        assertThrows(ProtocolException.class, () -> Metadata.parse(lying, 0));
    }
}
