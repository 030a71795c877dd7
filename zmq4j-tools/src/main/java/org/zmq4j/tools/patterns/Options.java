package org.zmq4j.tools.patterns;

import java.util.function.Supplier;

import org.zmq4j.patterns.mdp.MdpVersion;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What the Majordomo commands share: checking option values into usage errors. */
public final class Options {
    private Options() {
    }

    /** Builds a configuration; an {@link IllegalArgumentException} becomes a usage error (exit code 2). */
    public static <T> T check(CommandSpec spec, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code --protocol mdp01|mdp02}. */
    static final class ProtocolConverter implements ITypeConverter<MdpVersion> {
        @Override
        public MdpVersion convert(String value) {
            return MdpVersion.fromName(value);
        }
    }
}
