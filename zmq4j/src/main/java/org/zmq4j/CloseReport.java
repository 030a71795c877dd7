package org.zmq4j;

/**
 * What {@link Context#closeWithin(java.time.Duration)} did when it had to hurry: whether every lingering
 * connection finished delivering by itself, and if not, how many were cut and how many queued
 * messages were dropped with them. Immutable.
 *
 * @param complete        true when nothing had to be cut: every queued message went out (or LINGER
 *                        dropped it as the socket asked)
 * @param connectionsCut  connections still delivering at the deadline, closed by the context
 * @param messagesDropped messages still queued on those connections (a frame already half written to
 *                        the kernel is not counted)
 */
public record CloseReport(boolean complete, int connectionsCut, long messagesDropped) {
    @Override
    public String toString() {
        return complete ? "closed: every queued message delivered"
                : "closed early: " + connectionsCut + " connection(s) cut, " + messagesDropped + " queued message(s) dropped";
    }
}
