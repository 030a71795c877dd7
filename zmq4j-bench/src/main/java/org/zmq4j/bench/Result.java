package org.zmq4j.bench;

/**
 * What one run measured, parsed from a worker's result line. Throughput: messages and elapsed
 * nanoseconds at the receiver. Latency: round-trip statistics in nanoseconds.
 */
final class Result {
    final long messages;
    final long elapsedNs;
    final long samples;
    final long meanNs;
    final long p50Ns;
    final long p99Ns;
    final long p999Ns;
    final long maxNs;
    /** Throughput runs with {@code --cpu}: CPU microseconds per message by "side role", {user, system}; else null. */
    java.util.Map<String, double[]> cpu;

    private Result(long messages, long elapsedNs, long samples, long meanNs, long p50Ns, long p99Ns, long p999Ns, long maxNs) {
        this.messages = messages;
        this.elapsedNs = elapsedNs;
        this.samples = samples;
        this.meanNs = meanNs;
        this.p50Ns = p50Ns;
        this.p99Ns = p99Ns;
        this.p999Ns = p999Ns;
        this.maxNs = maxNs;
    }

    /** Messages per second. */
    double msgPerSec() {
        return messages * 1e9 / elapsedNs;
    }

    /** One-way latency in microseconds: mean round trip / 2 (as libzmq's local_lat reports). */
    double oneWayUs() {
        return meanNs / 2000.0;
    }

    /**
     * Parses "RESULT thr n ns" or "RESULT lat n mean p50 p99 p999 max" from a worker's output.
     *
     * @param output everything the worker printed
     * @return the result, or null when no result line is there
     */
    static Result parse(String output) {
        for (String line : output.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].equals("RESULT") && f[1].equals("thr")) {
                return new Result(Long.parseLong(f[2]), Long.parseLong(f[3]), 0, 0, 0, 0, 0, 0);
            }
            if (f.length >= 8 && f[0].equals("RESULT") && f[1].equals("lat")) {
                return new Result(0, 0, Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
                        Long.parseLong(f[6]), Long.parseLong(f[7]));
            }
        }
        return null;
    }
}
