#!/usr/bin/env bash
# Builds what the comparison needs and runs it: zmq4j vs JeroMQ vs libzmq vs a raw socket.
#
#   zmq4j-bench/run.sh --quick          under 2 minutes, 1 repetition (noisy, for a smoke test)
#   zmq4j-bench/run.sh                  full run: 5 repetitions, medians (about 8 minutes on 2 cores)
#   zmq4j-bench/run.sh --reps 3 --transports tcp --no-pinned    any option of org.zmq4j.bench.Compare
#   zmq4j-bench/run.sh --curve --sizes 64,1024 --cpu            every socket CURVE (zmq4j, JeroMQ, libzmq over tcp and
#                                    ipc); writes docs/curve/performance-results.md and its plots
#   zmq4j-bench/run.sh jmh -prof gc FrameCodec                  the JMH microbenchmarks instead
#   zmq4j-bench/run.sh majordomo --zguide DIR --majortomo DIR   the Majordomo benchmark (MajordomoBench)
#   zmq4j-bench/run.sh failover [--reps N]                       Binary Star failover times (FailoverBench)
#   zmq4j-bench/run.sh metrics [--reps N] [--count N]            throughput with the metrics unread, snapshotted and
#                                    scraped by a MonitorServer (MetricsBench); writes docs/metrics-bench-results.md
#   zmq4j-bench/run.sh sequenced [--reps N] [--count N]           sequenced PUB/SUB against plain PUB/SUB, and replay
#                                    speed (SequencedBench); writes docs/sequenced-bench-results.md
#   zmq4j-bench/run.sh durable [--dir DIR] [--reps N] ...        the durability benchmark (DurableBench): zmq4j's durable
#                                    delivery per fsync policy, the disk's write + fdatasync limit and NATS JetStream
#                                    (apt's nats-server); writes docs/durable-bench-results.md
#
# Writes docs/performance-results.md, docs/performance-results.csv and docs/perf-*.svg at the
# repository root. Set ZMQ4J_BENCH_SKIP_BUILD=1 to reuse the jar and C programs already built.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/zmq4j-bench.jar"
cbin="$here/target/c"
csrc="$here/src/main/c"

if [[ "${ZMQ4J_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    echo "run.sh: building zmq4j and zmq4j-bench (mvn -q -o -DskipTests package)" >&2
    (cd "$root" && mvn -q -o -DskipTests package -pl zmq4j-bench -am) || {
        echo "run.sh: the offline build failed; if JeroMQ or JMH are not in ~/.m2 yet, run once without -o:" >&2
        echo "        (cd $root && mvn -q -DskipTests package -pl zmq4j-bench -am)" >&2
        exit 1
    }

    # libzmq's headers: Debian's libzmq3-dev. Installed here when we are root and it is missing.
    if [[ ! -f /usr/include/zmq.h ]] && command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
        echo "run.sh: installing libzmq3-dev (apt-get)" >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libzmq3-dev) >&2 || true
    fi

    mkdir -p "$cbin"
    if command -v gcc >/dev/null; then
        echo "run.sh: compiling the C programs into $cbin (gcc -O2)" >&2
        gcc -O2 -Wall -o "$cbin/raw" "$csrc/raw.c" -lpthread
        if [[ -f /usr/include/zmq.h ]]; then
            for p in zmq_thr_send zmq_thr_recv zmq_lat_client zmq_lat_server zmq_inproc zmq_curve_thr zmq_fanout zmq_router_dealer; do
                gcc -O2 -Wall -o "$cbin/$p" "$csrc/$p.c" -lzmq -lpthread
            done
        else
            echo "run.sh: no /usr/include/zmq.h (apt-get install libzmq3-dev): libzmq will be skipped" >&2
        fi
    else
        echo "run.sh: no gcc: libzmq and the raw-socket reference will be skipped" >&2
    fi
fi

if [[ "${1:-}" == jmh ]]; then
    shift
    exec java -jar "$jar" jmh "$@"
fi

if [[ "${1:-}" == failover ]]; then
    shift
    exec java -cp "$jar" org.zmq4j.bench.FailoverBench "$@"
fi

if [[ "${1:-}" == metrics ]]; then
    shift
    cd "$root"
    {
        echo "# Metrics benchmark results"
        echo
        echo "\`zmq4j-bench/run.sh metrics${*:+ $*}\` on $(date -u +%Y-%m-%d), $(nproc) CPUs. See docs/performance.md (Session 10)."
        echo
        java -cp "$jar" org.zmq4j.bench.metrics.MetricsBench "$@" 2>/dev/null
    } | tee "$root/docs/metrics-bench-results.md.tmp"
    mv "$root/docs/metrics-bench-results.md.tmp" "$root/docs/metrics-bench-results.md"
    exit 0
fi

if [[ "${1:-}" == sequenced ]]; then
    shift
    cd "$root"
    {
        echo "# Sequenced publish-subscribe benchmark results"
        echo
        echo "\`zmq4j-bench/run.sh sequenced${*:+ $*}\` on $(date -u +%Y-%m-%d), $(nproc) CPUs. See docs/sequenced-bench.md."
        echo
        java -cp "$jar" org.zmq4j.bench.sequenced.SequencedBench "$@" 2>/dev/null
    } | tee "$root/docs/sequenced-bench-results.md.tmp"
    mv "$root/docs/sequenced-bench-results.md.tmp" "$root/docs/sequenced-bench-results.md"
    exit 0
fi

if [[ "${1:-}" == durable ]]; then
    shift
    cd "$root"
    {
        echo "# Durability benchmark results"
        echo
        echo "\`zmq4j-bench/run.sh durable${*:+ $*}\` on $(date -u +%Y-%m-%d), $(nproc) CPUs. See docs/durability-bench.md."
        echo
        java -cp "$jar" org.zmq4j.bench.durable.DurableBench "$@"
    } | tee "$root/docs/durable-bench-results.md.tmp"
    mv "$root/docs/durable-bench-results.md.tmp" "$root/docs/durable-bench-results.md"
    exit 0
fi

if [[ "${1:-}" == majordomo ]]; then
    # The Majordomo benchmark: it compiles its own C programs (the zguide's, from --zguide DIR).
    shift
    cd "$root"
    exec java -cp "$jar" org.zmq4j.bench.MajordomoBench --out "$root/docs" --command "zmq4j-bench/run.sh majordomo${*:+ $*}" "$@"
fi

cd "$root"
exec java -jar "$jar" --out "$root/docs" --cbin "$cbin" --command "zmq4j-bench/run.sh${*:+ $*}" "$@"
