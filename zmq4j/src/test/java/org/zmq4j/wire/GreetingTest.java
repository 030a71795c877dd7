package org.zmq4j.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class GreetingTest {

    @Test
    void encodedLayoutFollowsRfc37() {
        byte[] g = Greeting.encode("NULL", false);
        assertEquals(64, g.length);
        assertEquals((byte) 0xFF, g[0]);
        assertEquals(0x7F, g[9]);
        assertEquals(3, g[10]);
        assertEquals(1, g[11]);
        assertEquals('N', g[12]);
        assertEquals('L', g[15]);
        assertEquals(0, g[16]);
        assertEquals(0, g[32]);
        for (int i = 33; i < 64; i++) {
            assertEquals(0, g[i], "filler octet " + i);
        }
        assertEquals(1, Greeting.encode("PLAIN", true)[32]);
    }

    @Test
    void parsesWhenFedOneByteAtATime() throws Exception {
        byte[] g = Greeting.encode("CURVE", true);
        Greeting.Parser p = new Greeting.Parser();
        Greeting result = null;
        for (int i = 0; i < g.length; i++) {
            assertNull(result, "complete too early at " + i);
            result = p.feed(ByteBuffer.wrap(g, i, 1));
        }
        assertNotNull(result);
        assertEquals("CURVE", result.mechanism());
        assertTrue(result.asServer());
        assertEquals(3, result.major());
        assertEquals(1, result.minor());
        assertTrue(result.atLeast31());
    }

    @Test
    void zmtp30PeerIsRecognised() throws Exception {
        byte[] g = Greeting.encode("NULL", false);
        g[11] = 0;
        Greeting result = new Greeting.Parser().feed(ByteBuffer.wrap(g));
        assertFalse(result.atLeast31());
    }

    @Test
    void laterVersionsAreAccepted() throws Exception {
        byte[] g = Greeting.encode("NULL", false);
        g[10] = 4;
        g[11] = 0;
        assertTrue(new Greeting.Parser().feed(ByteBuffer.wrap(g)).atLeast31());
    }

    @Test
    void paddingIsNotSignificant() throws Exception {
        byte[] g = Greeting.encode("NULL", false);
        for (int i = 1; i < 9; i++) {
            g[i] = (byte) 0xAB;
        }
        assertNotNull(new Greeting.Parser().feed(ByteBuffer.wrap(g)));
    }

    @Test
    void oldOrForeignProtocolsAreRejected() {
        assertThrows(ProtocolException.class, () -> new Greeting.Parser().feed(ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes())));
        byte[] zmtp1 = Greeting.encode("NULL", false);
        zmtp1[9] = 0x00;
        assertThrows(ProtocolException.class, () -> new Greeting.Parser().feed(ByteBuffer.wrap(zmtp1)));
        byte[] zmtp2 = Greeting.encode("NULL", false);
        zmtp2[10] = 1;
        assertThrows(ProtocolException.class, () -> new Greeting.Parser().feed(ByteBuffer.wrap(zmtp2)));
    }

    @Test
    void garbageInMechanismPaddingIsRejected() {
        byte[] g = Greeting.encode("NULL", false);
        g[20] = 'x';
        assertThrows(ProtocolException.class, () -> new Greeting.Parser().feed(ByteBuffer.wrap(g)));
    }
}
