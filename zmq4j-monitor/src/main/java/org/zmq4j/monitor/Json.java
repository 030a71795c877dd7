package org.zmq4j.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON this module needs: a writer for its API's answers, and a reader for
 * {@code zmq4j top} and tests. Objects read as {@link LinkedHashMap}s, arrays as lists, numbers as
 * doubles. Not a general-purpose library: no streaming, documents of a few megabytes at most.
 *
 * <p>Thread-safety: a {@code Json} writer belongs to one thread; {@link #parse} is thread-safe.
 */
public final class Json {
    private final StringBuilder out = new StringBuilder(4096);
    /** Per open object/array: whether it has an element yet. */
    private final boolean[] started = new boolean[64];
    private int depth;
    private boolean afterName;

    /** A writer with nothing written. */
    public Json() {
    }

    private void comma() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (started[depth]) {
                out.append(',');
            }
            started[depth] = true;
        }
    }

    /** Opens an object (as a value). */
    public Json beginObject() {
        comma();
        out.append('{');
        started[++depth] = false;
        return this;
    }

    /** Closes the innermost object. */
    public Json endObject() {
        depth--;
        out.append('}');
        return this;
    }

    /** Opens an array (as a value). */
    public Json beginArray() {
        comma();
        out.append('[');
        started[++depth] = false;
        return this;
    }

    /** Closes the innermost array. */
    public Json endArray() {
        depth--;
        out.append(']');
        return this;
    }

    /** Writes a member's name; its value follows. */
    public Json name(String name) {
        comma();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    /** Writes a string value (null writes null). */
    public Json value(String value) {
        comma();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    /** Writes a whole number. */
    public Json value(long value) {
        comma();
        out.append(value);
        return this;
    }

    /** Writes a number; NaN and infinities, which JSON lacks, as null. */
    public Json value(double value) {
        comma();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            out.append("null");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        return this;
    }

    /** Writes a boolean. */
    public Json value(boolean value) {
        comma();
        out.append(value);
        return this;
    }

    /** Shorthand: a member with a string value. */
    public Json field(String name, String value) {
        return name(name).value(value);
    }

    /** Shorthand: a member with a whole number. */
    public Json field(String name, long value) {
        return name(name).value(value);
    }

    /** Shorthand: a member with a number. */
    public Json field(String name, double value) {
        return name(name).value(value);
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || c == '<') {
                        out.append(String.format("\\u%04x", (int) c)); // '<': never "</script>" in a page
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }

    // ------------------------------------------------------------------ reading

    /**
     * Parses a JSON document.
     *
     * @param text the document
     * @return a Map, List, String, Double, Boolean or null
     * @throws IllegalArgumentException when it is not JSON, with the offset
     */
    public static Object parse(String text) {
        Reader r = new Reader(text);
        r.space();
        Object v = r.value(0);
        r.space();
        if (r.pos != text.length()) {
            throw r.error("text after the document");
        }
        return v;
    }

    private static final class Reader {
        private static final int MAX_DEPTH = 256;
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad JSON at offset " + pos + ": " + what);
        }

        void space() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested too deep");
            }
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, pos)) {
                throw error("expected " + word);
            }
            pos += word.length();
            return v;
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            space();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return m;
            }
            while (true) {
                space();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("expected a member name");
                }
                String name = string();
                space();
                expect(':');
                space();
                m.put(name, value(depth + 1));
                space();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return m;
            }
        }

        private List<Object> array(int depth) {
            List<Object> a = new ArrayList<>();
            pos++;
            space();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return a;
            }
            while (true) {
                space();
                a.add(value(depth + 1));
                space();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return a;
            }
        }

        private void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private String string() {
            pos++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> b.append(e);
                }
            }
        }

        private Double number() {
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            if (start == pos) {
                throw error("unexpected character '" + s.charAt(pos) + "'");
            }
            try {
                return Double.valueOf(s.substring(start, pos));
            } catch (NumberFormatException x) {
                throw error("bad number");
            }
        }
    }
}
