package org.zmq4j.bench;

/**
 * One cell row of the comparison: throughput (PUSH→PULL) of a message size over a transport, or
 * latency (REQ/REP round trips) over a transport, unpinned or with both processes on CPU 0.
 */
record Scenario(Kind kind, String transport, int size, boolean pinned) {
    enum Kind { THR, LAT }

    String key() {
        return kind == Kind.THR ? "thr/" + transport + "/" + size : "lat/" + transport + "/" + size + (pinned ? "/pinned" : "");
    }

    String label() {
        return kind == Kind.THR
                ? "throughput " + transport + " " + Compare.sizeLabel(size)
                : "latency " + transport + " " + Compare.sizeLabel(size) + (pinned ? " pinned" : "");
    }
}
