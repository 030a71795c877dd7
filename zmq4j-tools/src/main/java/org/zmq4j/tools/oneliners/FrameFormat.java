package org.zmq4j.tools.oneliners;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.zmq4j.Multipart;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How frames are written on the command line, on standard input and on standard output (a picocli
 * mixin): UTF-8 text by default, hexadecimal with {@code --hex}; a message's frames on one line
 * joined by {@code --separator} (a tab when printing), or one frame per line with
 * {@code --frames}. Thread-safety: filled in by picocli, then read by the command's thread only.
 */
public final class FrameFormat {
    private static final HexFormat HEX = HexFormat.of();

    @Option(names = "--hex", order = 8,
            description = "Frames are hexadecimal: FRAME arguments, standard input lines, --topic, --subscribe,"
                    + " --reply and what is printed (e.g. 68656c6c6f for hello). Default: UTF-8 text.")
    boolean hex;

    @Option(names = "--separator", order = 9, paramLabel = "SEP",
            description = "Between a message's frames on one line: printing joins them with SEP (default: a tab);"
                    + " reading standard input splits each line at SEP (default: no split, one frame per line)."
                    + " \\t, \\n and \\\\ are understood.")
    String separator;

    @Option(names = "--frames", order = 10,
            description = "Print each frame on a line of its own instead of one line per message.")
    boolean framePerLine;

    /** Used by picocli. */
    public FrameFormat() {
    }

    /**
     * Checks the options; a problem is a usage error.
     *
     * @param spec the command, for the usage error
     */
    void check(CommandSpec spec) {
        if (separator != null) {
            String sep = separatorText();
            if (sep.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--separator must not be empty");
            }
            if (hex && sep.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new ParameterException(spec.commandLine(),
                        "--separator '" + separator + "' is made of hex digits, which --hex frames contain");
            }
        }
    }

    /** The separator with its escapes read, or null when none was given. */
    private String separatorText() {
        if (separator == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < separator.length(); i++) {
            char c = separator.charAt(i);
            if (c == '\\' && i + 1 < separator.length()) {
                char n = separator.charAt(++i);
                switch (n) {
                    case 't' -> b.append('\t');
                    case 'n' -> b.append('\n');
                    case '\\' -> b.append('\\');
                    default -> b.append(c).append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A frame given on the command line.
     *
     * @param text what was given
     * @param what which argument or option, for the message (e.g. "FRAME 2", "--topic")
     * @return the frame's bytes
     * @throws IllegalArgumentException when {@code --hex} is on and the text is not hex
     */
    byte[] frame(String text, String what) {
        if (!hex) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return fromHex(text, what);
    }

    private static byte[] fromHex(String text, String what) {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        try {
            return HEX.parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + abbreviate(text) + "' is not hexadecimal"
                    + (digits.length() % 2 != 0 ? " (odd number of digits)" : ""));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /**
     * The frames of one standard input line: the whole line, or its parts between separators.
     *
     * @param line   the line's bytes, without the line end
     * @param number the line number, for messages
     * @return the frames (at least one)
     * @throws IllegalArgumentException when {@code --hex} is on and a part is not hex
     */
    List<byte[]> lineFrames(byte[] line, long number) {
        List<byte[]> parts = new ArrayList<>();
        String sep = separatorText();
        if (sep == null) {
            parts.add(line);
        } else {
            byte[] s = sep.getBytes(StandardCharsets.UTF_8);
            int start = 0;
            for (int i = 0; i + s.length <= line.length; ) {
                if (matches(line, i, s)) {
                    parts.add(slice(line, start, i));
                    i += s.length;
                    start = i;
                } else {
                    i++;
                }
            }
            parts.add(slice(line, start, line.length));
        }
        if (!hex) {
            return parts;
        }
        List<byte[]> frames = new ArrayList<>(parts.size());
        for (byte[] p : parts) {
            frames.add(fromHex(new String(p, StandardCharsets.US_ASCII).trim(), "standard input line " + number));
        }
        return frames;
    }

    private static boolean matches(byte[] line, int at, byte[] sep) {
        for (int j = 0; j < sep.length; j++) {
            if (line[at + j] != sep[j]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] slice(byte[] b, int from, int to) {
        byte[] r = new byte[to - from];
        System.arraycopy(b, from, r, 0, r.length);
        return r;
    }

    /**
     * A frame as printed.
     *
     * @param frame the bytes
     * @return lower-case hex with {@code --hex}, else the bytes read as UTF-8
     */
    String text(byte[] frame) {
        return hex ? HEX.formatHex(frame) : new String(frame, StandardCharsets.UTF_8);
    }

    /**
     * Prints a message: one line with its frames joined by the separator, or with {@code --frames}
     * one line per frame. Flushes, so that a pipe sees each message at once.
     *
     * @param out     where
     * @param message the message
     */
    void print(PrintWriter out, Multipart message) {
        if (framePerLine) {
            for (byte[] f : message) {
                out.println(text(f));
            }
        } else {
            String sep = separator == null ? "\t" : separatorText();
            StringBuilder line = new StringBuilder();
            List<byte[]> frames = message.frames();
            for (int i = 0; i < frames.size(); i++) {
                if (i > 0) {
                    line.append(sep);
                }
                line.append(text(frames.get(i)));
            }
            out.println(line);
        }
        out.flush();
    }

    /**
     * Concatenates byte arrays (a subscription message: 1 then the prefix).
     *
     * @param first the first byte
     * @param rest  the rest
     * @return the bytes
     */
    static byte[] prefixed(int first, byte[] rest) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(rest.length + 1);
        b.write(first);
        b.writeBytes(rest);
        return b.toByteArray();
    }
}
