package org.zmq4j.tools.durable;

import org.zmq4j.durable.journal.FsyncPolicy;

import picocli.CommandLine.ITypeConverter;

/** {@code --fsync always|group|group:MS|os} for picocli. Stateless; thread-safe. */
final class FsyncPolicyConverter implements ITypeConverter<FsyncPolicy> {
    @Override
    public FsyncPolicy convert(String value) {
        return FsyncPolicy.parse(value);
    }
}
