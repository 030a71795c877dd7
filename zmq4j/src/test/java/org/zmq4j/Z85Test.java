package org.zmq4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.support.Python;

class Z85Test {
    private static final HexFormat HEX = HexFormat.of();
    /** rfc-32's test case. */
    private static final byte[] RFC_BYTES = HEX.parseHex("864fd26fb559f75b");
    private static final String RFC_TEXT = "HelloWorld";
    private static final long SEED = 0x5EED_285L;

    @Test
    void encodesTheRfcTestCase() {
        assertEquals(RFC_TEXT, Z85.encode(RFC_BYTES));
    }

    @Test
    void decodesTheRfcTestCase() {
        assertArrayEquals(RFC_BYTES, Z85.decode(RFC_TEXT));
    }

    @Test
    void encodesTheExtremesOfAGroup() {
        assertEquals("00000", Z85.encode(new byte[4]));
        assertEquals("%nSc0", Z85.encode(HEX.parseHex("ffffffff")));
        assertArrayEquals(HEX.parseHex("ffffffff"), Z85.decode("%nSc0"));
    }

    @Test
    void emptyInputGivesEmptyOutput() {
        assertEquals("", Z85.encode(new byte[0]));
        assertArrayEquals(new byte[0], Z85.decode(""));
    }

    @Test
    void everyCharacterOfTheAlphabetDecodesToItsValue() {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
        for (int value = 0; value < 85; value++) {
            byte[] decoded = Z85.decode("0000" + alphabet.charAt(value));
            assertArrayEquals(new byte[] {0, 0, 0, (byte) value}, decoded, "value " + value);
        }
    }

    @Test
    void randomDataRoundTrips() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int length = 0; length <= 1024; length += 4) {
            byte[] data = randomBytes(random, length);
            String text = Z85.encode(data);
            assertEquals(length / 4 * 5, text.length(), "encoded length for " + length + " bytes");
            assertArrayEquals(data, Z85.decode(text), "round trip of " + HEX.formatHex(data));
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 2, 3, 5, 31, 33})
    void encodeRejectsLengthsThatAreNotAMultipleOfFour(int length) {
        ZmqException e = assertThrows(ZmqException.class, () -> Z85.encode(new byte[length]));
        assertEquals(ZmqException.Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains(length + " bytes"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} characters")
    @ValueSource(ints = {1, 2, 3, 4, 6, 39, 41})
    void decodeRejectsLengthsThatAreNotAMultipleOfFive(int length) {
        ZmqException e = assertThrows(ZmqException.class, () -> Z85.decode("0".repeat(length)));
        assertEquals(ZmqException.Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains(length + " characters"), e.getMessage());
    }

    @ParameterizedTest(name = "bad character #{index}")
    @ValueSource(chars = {' ', '"', '\'', ',', ';', '\\', '_', '`', '|', '~', '\0', '\u007f', '\u00e9', '\u20ac'})
    void decodeRejectsCharactersOutsideTheAlphabet(char bad) {
        String text = "Hello" + "Wor" + bad + "d";
        ZmqException e = assertThrows(ZmqException.class, () -> Z85.decode(text));
        assertEquals(ZmqException.Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("offset 8"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"%nSc1", "#####", "00000%nSd0"})
    void decodeRejectsGroupsAboveThirtyTwoBits(String text) {
        ZmqException e = assertThrows(ZmqException.class, () -> Z85.decode(text));
        assertEquals(ZmqException.Errno.EINVAL, e.errno());
    }

    @Test
    void nullIsRejected() {
        assertThrows(NullPointerException.class, () -> Z85.encode(null));
        assertThrows(NullPointerException.class, () -> Z85.decode(null));
    }

    /**
     * The same random data encoded by zmq4j, by pyzmq ({@code zmq.utils.z85}) and by libzmq's
     * {@code zmq_z85_encode} (through ctypes, when libzmq.so.5 loads), and decoded back by both.
     */
    @Test
    void agreesWithPyzmqAndLibzmq() {
        Python.assumePyzmq();
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<byte[]> samples = new ArrayList<>();
        samples.add(RFC_BYTES);
        samples.add(HEX.parseHex("ffffffff00000000"));
        for (int i = 0; i < 64; i++) {
            samples.add(randomBytes(random, 4 * (1 + random.nextInt(32))));
        }
        List<String> args = new ArrayList<>();
        for (byte[] sample : samples) {
            args.add("enc:" + HEX.formatHex(sample));
        }
        for (byte[] sample : samples) {
            args.add("dec:" + Z85.encode(sample));
        }

        List<String> lines = Python.run(CROSS_CHECK_SCRIPT, args);

        assertEquals(2 * samples.size(), lines.size(), "one line per argument: " + lines);
        for (int i = 0; i < samples.size(); i++) {
            String ours = Z85.encode(samples.get(i));
            String[] encoded = lines.get(i).split("\\|", -1);
            assertEquals(ours, encoded[0], "pyzmq z85.encode of " + HEX.formatHex(samples.get(i)));
            assertLibzmqAgrees(ours, encoded[1], "libzmq zmq_z85_encode of " + HEX.formatHex(samples.get(i)));

            String hex = HEX.formatHex(samples.get(i));
            String[] decoded = lines.get(samples.size() + i).split("\\|", -1);
            assertEquals(hex, decoded[0], "pyzmq z85.decode of " + ours);
            assertLibzmqAgrees(hex, decoded[1], "libzmq zmq_z85_decode of " + ours);
        }
    }

    /** libzmq's answer, or "-" when libzmq.so.5 could not be loaded through ctypes. */
    private static void assertLibzmqAgrees(String expected, String libzmq, String what) {
        if (!libzmq.equals("-")) {
            assertEquals(expected, libzmq, what);
        }
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] data = new byte[length];
        random.nextBytes(data);
        return data;
    }

    /**
     * For each argument "enc:HEX" prints "pyzmq|libzmq" encodings; for "dec:TEXT" prints the
     * decoded bytes as "pyzmq|libzmq" hex. "-" stands for libzmq when ctypes cannot load it.
     */
    private static final String CROSS_CHECK_SCRIPT = String.join("\n",
            "import ctypes, sys",
            "from zmq.utils import z85",
            "try:",
            "    lib = ctypes.CDLL('libzmq.so.5')",
            "    lib.zmq_z85_encode.restype = ctypes.c_char_p",
            "    lib.zmq_z85_decode.restype = ctypes.c_void_p",
            "except OSError:",
            "    lib = None",
            "def c_encode(data):",
            "    if lib is None:",
            "        return '-'",
            "    out = ctypes.create_string_buffer(len(data) // 4 * 5 + 1)",
            "    return lib.zmq_z85_encode(out, data, len(data)).decode()",
            "def c_decode(text):",
            "    if lib is None:",
            "        return '-'",
            "    out = ctypes.create_string_buffer(len(text) // 5 * 4)",
            "    return out.raw.hex() if lib.zmq_z85_decode(out, text.encode()) else 'NULL'",
            "for arg in sys.argv[1:]:",
            "    kind, value = arg.split(':', 1)",
            "    if kind == 'enc':",
            "        data = bytes.fromhex(value)",
            "        print(z85.encode(data).decode() + '|' + c_encode(data))",
            "    else:",
            "        print(z85.decode(value.encode()).hex() + '|' + c_decode(value))",
            "");
}
