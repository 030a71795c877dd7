package org.zmq4j.tools.oneliners;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Lines of standard input as bytes, read by a daemon thread so that the command's thread waits for
 * them interruptibly (a read from {@code System.in} cannot be interrupted, and a signal must still
 * stop the command). A line ends at {@code \n}; a {@code \r} before it is dropped; a last line
 * without {@code \n} counts. At most {@value #AHEAD} lines are read ahead.
 * <p>
 * Thread-safety: {@link #next()} is for one consumer thread; the reader thread is internal.
 */
final class StdinLines {
    private static final int AHEAD = 256;

    /** One item from the reader: a line, the end, or a read error. */
    private record Item(byte[] line, IOException error) {
    }

    private static final Item END = new Item(null, null);

    private final BlockingQueue<Item> items = new ArrayBlockingQueue<>(AHEAD);
    private boolean ended;

    private StdinLines() {
    }

    /**
     * Starts reading {@code in} on a daemon thread.
     *
     * @param in the stream, usually {@code System.in}
     * @return the lines
     */
    static StdinLines start(InputStream in) {
        StdinLines lines = new StdinLines();
        Thread reader = new Thread(() -> lines.read(in), "zmq4j-stdin");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private void read(InputStream in) {
        byte[] buffer = new byte[1 << 16];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean pending = false;
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        line.write(buffer, start, i - start);
                        items.put(new Item(stripCr(line.toByteArray()), null));
                        line.reset();
                        pending = false;
                        start = i + 1;
                    }
                }
                if (start < n) {
                    line.write(buffer, start, n - start);
                    pending = true;
                }
            }
            if (pending) {
                items.put(new Item(stripCr(line.toByteArray()), null));
            }
            items.put(END);
        } catch (IOException e) {
            putQuietly(new Item(null, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; end quietly if someone does
        }
    }

    private void putQuietly(Item item) {
        try {
            items.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] stripCr(byte[] line) {
        if (line.length > 0 && line[line.length - 1] == '\r') {
            byte[] shorter = new byte[line.length - 1];
            System.arraycopy(line, 0, shorter, 0, shorter.length);
            return shorter;
        }
        return line;
    }

    /**
     * The next line.
     *
     * @return its bytes without the line end, or null at the end of input
     * @throws InterruptedException when the calling thread is interrupted (a signal)
     * @throws IOException when standard input could not be read
     */
    byte[] next() throws InterruptedException, IOException {
        if (ended) {
            return null;
        }
        Item item = items.take();
        if (item == END) {
            ended = true;
            return null;
        }
        if (item.error() != null) {
            ended = true;
            throw item.error();
        }
        return item.line();
    }
}
