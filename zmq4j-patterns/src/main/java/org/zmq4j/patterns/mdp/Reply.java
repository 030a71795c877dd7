package org.zmq4j.patterns.mdp;

import java.util.List;

/**
 * A Majordomo reply: the frames of the final reply and, for MDP/0.2, those of each partial reply
 * that came before it, in order. Immutable; safe to share between threads.
 *
 * @param service  the service that answered
 * @param partials the partial replies' frames, oldest first (always empty for MDP/0.1)
 * @param frames   the final reply's frames
 */
public record Reply(String service, List<List<byte[]>> partials, List<byte[]> frames) {
    /** Copies the lists. */
    public Reply {
        partials = List.copyOf(partials);
        frames = List.copyOf(frames);
    }

    /** The final reply's frames as UTF-8 strings. */
    public List<String> strings() {
        return frames.stream().map(Mdp::text).toList();
    }

}
