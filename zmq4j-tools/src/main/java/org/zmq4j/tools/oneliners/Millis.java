package org.zmq4j.tools.oneliners;

import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a time option ({@code --timeout}, {@code --linger}, {@code --interval}) as milliseconds:
 * a plain number is milliseconds; {@code ms}, {@code s}, {@code m} and {@code h} suffixes are
 * accepted ({@code 500ms}, {@code 2s}, {@code 1m}); {@code -1} or {@code forever} means no limit
 * and converts to {@link #FOREVER}. Stateless and thread-safe.
 */
public final class Millis implements ITypeConverter<Long> {
    /** The value that means "no limit". */
    public static final long FOREVER = -1;

    /** Used by picocli. */
    public Millis() {
    }

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    /**
     * Parses a time value.
     *
     * @param value e.g. {@code 1500}, {@code 1500ms}, {@code 2s}, {@code forever}
     * @return milliseconds, or {@link #FOREVER}
     * @throws TypeConversionException when the value is not a time (picocli names the option)
     */
    public static long parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("forever") || v.equals("-1")) {
            return FOREVER;
        }
        long unit = 1;
        String digits = v;
        if (v.endsWith("ms")) {
            digits = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            unit = 1_000;
            digits = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            unit = 60_000;
            digits = v.substring(0, v.length() - 1);
        } else if (v.endsWith("h")) {
            unit = 3_600_000;
            digits = v.substring(0, v.length() - 1);
        }
        long n;
        try {
            n = Long.parseLong(digits.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a time: give milliseconds (500),"
                    + " a number with a unit (500ms, 2s, 1m) or -1/forever");
        }
        if (n < 0 || n > Integer.MAX_VALUE / unit) {
            throw new TypeConversionException("'" + value + "' is out of range: 0 to " + Integer.MAX_VALUE
                    + " ms, or -1/forever");
        }
        return n * unit;
    }

    /**
     * A time for messages: {@code 2000 ms} or {@code forever}.
     *
     * @param millis milliseconds or {@link #FOREVER}
     * @return the text
     */
    public static String describe(long millis) {
        return millis < 0 ? "forever" : millis + " ms";
    }
}
