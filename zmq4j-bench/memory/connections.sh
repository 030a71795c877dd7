#!/usr/bin/env bash
# What idle connections cost a server process: N libzmq DEALERs (pyzmq) connect to one ROUTER and
# stay idle; the ROUTER is zmq4j (org.zmq4j.fault.IdleServer, in a JVM of its own, default flags)
# or libzmq (libzmq_router.py). Prints the server's live heap after GC (zmq4j) and RSS, before and
# after the N handshakes.
#
#   zmq4j-bench/memory/connections.sh zmq4j [N] [JVM flags...]    # default N = 5000
#   zmq4j-bench/memory/connections.sh libzmq [N]
#
# Needs: mvn -o -q -DskipTests test-compile -pl zmq4j (IdleServer is a test class), /usr/bin/python3
# with python3-zmq.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
which=$1; shift
n=${1:-5000}; shift || true
bc=$(find ~/.m2/repository/org/bouncycastle/bcprov-jdk18on -name 'bcprov-jdk18on-*.jar' | sort | tail -1)
cp="$root/zmq4j/target/classes:$root/zmq4j/target/test-classes:$bc"
if [[ $which == zmq4j ]]; then
  coproc SRV { java "$@" -cp "$cp" org.zmq4j.fault.IdleServer ROUTER; }
else
  coproc SRV { /usr/bin/python3 "$here/libzmq_router.py"; }
fi
read -r _ ep <&"${SRV[0]}"
echo measure >&"${SRV[1]}"; read -r base <&"${SRV[0]}"; echo "before: $base"
coproc CL { /usr/bin/python3 "$here/dealers.py" "$ep" "$n"; }
read -r c <&"${CL[0]}"; echo "clients: $c"
m=""
for _ in $(seq 1 120); do # bounded: 120 measurements, about a minute
  echo measure >&"${SRV[1]}"; read -r m <&"${SRV[0]}"
  [[ $(echo "$m" | awk '{print $6}') -ge $n ]] && break
  sleep 0.5
done
echo "after:  $m"
echo quit >&"${SRV[1]}"
kill "${CL_PID}" 2>/dev/null || true
wait 2>/dev/null || true
