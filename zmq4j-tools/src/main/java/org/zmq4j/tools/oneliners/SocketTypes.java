package org.zmq4j.tools.oneliners;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.zmq4j.SocketType;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --type} and the proxy's {@code --frontend-type}/{@code --backend-type}: libzmq's
 * socket type names in any case ({@code push}, {@code PULL}, {@code zmq_dealer}). Stateless and
 * thread-safe.
 */
public final class SocketTypes implements ITypeConverter<SocketType> {
    /** Used by picocli. */
    public SocketTypes() {
    }

    @Override
    public SocketType convert(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT);
        if (name.startsWith("ZMQ_")) {
            name = name.substring(4);
        }
        try {
            return SocketType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("unknown socket type '" + value + "'; libzmq's names: "
                    + names(Set.of(SocketType.values())));
        }
    }

    /**
     * The types as a sorted, comma-separated list of lower-case names, for messages.
     *
     * @param types the types
     * @return e.g. "dealer, pair, push"
     */
    static String names(Set<SocketType> types) {
        return types.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(", "));
    }

    /**
     * The lower-case name of a type, as the help and messages show it.
     *
     * @param type a type
     * @return e.g. "push"
     */
    static String name(SocketType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
