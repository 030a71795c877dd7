package org.zmq4j.tools.perf;

/** Checks on the messages a perf test receives. */
final class Messages {
    private Messages() {
    }

    /**
     * Checks that message number {@code index} (from 0) of {@code count} arrived with
     * {@code size} bytes.
     *
     * @param message what recv returned: the message, or null when RCVTIMEO expired
     * @return the message
     * @throws PerfException when the message is missing or has the wrong size
     */
    static byte[] expect(byte[] message, int size, int index, int count) {
        if (message == null) {
            throw new PerfException("no message arrived within the receive timeout; got "
                    + index + " of " + count);
        }
        if (message.length != size) {
            // libzmq's perf tools print "message of incorrect size received" here.
            throw new PerfException("message of incorrect size received: message " + (index + 1) + " of "
                    + count + " has " + message.length + " bytes, expected " + size);
        }
        return message;
    }
}
