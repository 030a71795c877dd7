package org.zmq4j.tools.patterns;

import java.nio.charset.StandardCharsets;
import java.util.List;

import picocli.CommandLine.Option;

/** What a command-line worker answers: {@code --echo} (the request's frames) or {@code --reply TEXT}. */
final class Answer {
    @Option(names = "--echo", required = true, description = "Reply with the request's frames.")
    boolean echo;

    @Option(names = "--reply", required = true, paramLabel = "TEXT", description = "Reply with TEXT (one frame).")
    String text;

    /** The reply to a request. */
    List<byte[]> to(List<byte[]> request) {
        return echo ? request : List.of(text.getBytes(StandardCharsets.UTF_8));
    }
}
