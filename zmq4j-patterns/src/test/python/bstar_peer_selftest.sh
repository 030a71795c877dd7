#!/usr/bin/env bash
# Self-test for bstar_peer.py (Binary Star pair node + client, zguide chapter 4).
# Every wait is bounded; all started processes are killed on exit (trap).
# Peers (clients included) get stdin from a fifo held open by this shell (fd 9),
# so closing fd 9 at the end also exercises the "exit on stdin EOF" path.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PEER="$HERE/bstar_peer.py"
. "$HERE/selftest_common.sh"
# kill9 PID : a crash; reaped at once so bash prints no "Killed" notice later
kill9() { kill -KILL "$1"; { wait "$1"; } 2>/dev/null; }
# expect NAME RC EXPECTED_STDOUT CLIENT_ARGS... : run a client, compare exactly;
# ELAPSED is set to its run time in ms
expect() {
    local name=$1 want_rc=$2 want=$3; shift 3
    local out rc t0
    t0=$(date +%s%N)
    out=$(timeout 30 "$PY" "$PEER" client "$@" <"$T/lifeline" 2>"$T/client.err" 9>&-); rc=$?
    ELAPSED=$((($(date +%s%N) - t0) / 1000000))
    if [ "$rc" = "$want_rc" ] && [ "$out" = "$want" ]; then
        pass "$name (${ELAPSED} ms)"
    else
        fail "$name: rc=$rc (want $want_rc) output:"; printf '%s\n' "$out" | sed 's/^/    | /'
        sed 's/^/    stderr| /' "$T/client.err"
    fi
}
free_ep() {
    echo "tcp://127.0.0.1:$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
}
NL=$'\n'

PF=$(free_ep); BF=$(free_ep); PP=$(free_ep); BP=$(free_ep)

# --------------------------------------------------------------------------
echo "== primary + backup (default heartbeat 1000 ms)"
start P node --primary --frontend "$PF" --statepub "$PP" --statesub "$BP"
start B node --backup --frontend "$BF" --statepub "$BP" --statesub "$PP"
wait_for "$T/P.out" '^READY$' 5 && wait_for "$T/B.out" '^READY$' 5 && pass "both READY" || fail "READY"
wait_for "$T/P.err" '^STATE ACTIVE$' 5 && wait_for "$T/B.err" '^STATE PASSIVE$' 5 \
    && pass "primary ACTIVE, backup PASSIVE" || fail "initial states"

echo "== requests"
expect "primary echoes" 0 "hello${NL}world" --connect "$PF" --connect "$BF" hello world
expect "--requests 3" 0 "r${NL}r${NL}r" --connect "$PF" --connect "$BF" --requests 3 r
expect "passive backup ignores requests (peer alive: no client vote)" 2 "" \
    --connect "$BF" --timeout-ms 500 --retries 1 --settle-ms 0 q
grep -q '^TIMEOUT$' "$T/client.err" && grep -q '^IGNORE request from=.*: PASSIVE, peer alive' "$T/B.err" \
    && pass "  TIMEOUT, backup logged IGNORE" || fail "  TIMEOUT / IGNORE"
grep -q '^STATE ACTIVE' "$T/B.err" && fail "  backup went ACTIVE" || pass "  backup still PASSIVE"

echo "== failover: kill -9 the primary"
kill9 "$PID_P"
expect "client fails over to the backup" 0 "after${NL}kill" --connect "$PF" --connect "$BF" after kill
[ "$ELAPSED" -lt 8000 ] && pass "  within 8 s" || fail "  took $ELAPSED ms"
grep -q '^FAILOVER request 1' "$T/client.err" && pass "  client logged FAILOVER" || fail "  no FAILOVER"
grep -q '^STATE ACTIVE$' "$T/B.err" && grep -q 'client vote' "$T/B.err" \
    && pass "  backup ACTIVE by client vote" || fail "  backup state"
expect "backup keeps serving" 0 "again" --connect "$BF" --connect "$PF" again

echo "== primary restarts while the backup is active: it goes PASSIVE"
start P2 node --primary --frontend "$PF" --statepub "$PP" --statesub "$BP"
wait_for "$T/P2.err" '^STATE PASSIVE$' 5 && pass "restarted primary PASSIVE" || fail "restarted primary"
expect "client (primary first) ends up on the backup" 0 "x" --connect "$PF" --connect "$BF" x
grep -q '^IGNORE request' "$T/P2.err" && pass "  passive primary ignored the request" \
    || fail "  passive primary did not ignore"
kill -TERM "$PID_P2"; wait_exit "$PID_P2" 5
[ "$RC" = 0 ] && pass "SIGTERM: node exits 0" || fail "SIGTERM node rc=$RC"

# --------------------------------------------------------------------------
# A fake peer: a PUB that sends the given state messages (frames split on '+',
# \xNN escapes allowed), one every 100 ms after the subscriber had time to join.
cat >"$T/fakepub.py" <<'EOF'
import sys, time, zmq
ctx = zmq.Context()
pub = ctx.socket(zmq.PUB); pub.setsockopt(zmq.LINGER, 0); pub.bind(sys.argv[1])
time.sleep(0.5)
for spec in sys.argv[2:]:
    frames = [f.encode().decode("unicode_escape").encode("latin-1") for f in spec.split("+")]
    pub.send_multipart(frames)
    time.sleep(0.1)
time.sleep(0.5)
EOF
fake() { timeout 20 "$PY" "$T/fakepub.py" "$@" </dev/null 9>&-; }

echo "== strictness and fatal errors against a fake peer (heartbeat 200 ms)"
F1=$(free_ep)
start N1 node --primary --heartbeat-ms 200 --frontend "$(free_ep)" --statepub "$(free_ep)" --statesub "$F1"
wait_for "$T/N1.out" '^READY$' 5
fake "$F1" 7 03 '1+x' '3\x00' '' 2 2 2 3
wait_exit "$PID_N1" 5
n=$(grep -c 'PROTOCOL ERROR' "$T/N1.err")
[ "$n" = 5 ] && pass "node reported 5 PROTOCOL ERRORs" || fail "PROTOCOL ERROR count $n (want 5)"
grep 'PROTOCOL ERROR' "$T/N1.err" | sed 's/^/    /'
[ "$RC" = 3 ] && grep -q '^STATE ACTIVE$' "$T/N1.err" && grep -q '^FATAL: dual active$' "$T/N1.err" \
    && pass "primary: PEER_BACKUP -> ACTIVE, then PEER_ACTIVE -> FATAL: dual active, exit 3" \
    || fail "dual active: rc=$RC"

F2=$(free_ep)
start N2 node --backup --heartbeat-ms 200 --frontend "$(free_ep)" --statepub "$(free_ep)" --statesub "$F2"
wait_for "$T/N2.out" '^READY$' 5
fake "$F2" 3 3 4
wait_exit "$PID_N2" 5
[ "$RC" = 3 ] && grep -q '^STATE PASSIVE$' "$T/N2.err" && grep -q '^FATAL: dual passive$' "$T/N2.err" \
    && pass "backup: PEER_ACTIVE -> PASSIVE, then PEER_PASSIVE -> FATAL: dual passive, exit 3" \
    || fail "dual passive: rc=$RC"

echo "== a lone backup never becomes active; a lone primary does on a client request"
F3=$(free_ep); N3F=$(free_ep)
start N3 node --backup --heartbeat-ms 200 --frontend "$N3F" --statepub "$(free_ep)" --statesub "$F3"
wait_for "$T/N3.out" '^READY$' 5
expect "lone backup ignores requests" 2 "" --connect "$N3F" --timeout-ms 700 --retries 1 --settle-ms 0 q
grep -q '^STATE ACTIVE' "$T/N3.err" && fail "  lone backup went ACTIVE" || pass "  lone backup stays BACKUP"
F4=$(free_ep); N4F=$(free_ep)
start N4 node --primary --heartbeat-ms 200 --frontend "$N4F" --statepub "$(free_ep)" --statesub "$F4"
wait_for "$T/N4.out" '^READY$' 5
sleep 0.5
expect "lone primary answers after 2 silent heartbeats" 0 "q" --connect "$N4F" --timeout-ms 1000 q
grep -q '^STATE ACTIVE$' "$T/N4.err" && pass "  lone primary ACTIVE" || fail "  lone primary state"

# --------------------------------------------------------------------------
echo "== shutdown"
"$PY" "$PEER" client --connect "$F3" --timeout-ms 60000 q <"$T/lifeline" >/dev/null 2>"$T/cint.err" 9>&- &
CINT=$!; PIDS+=($CINT)
sleep 0.5; kill -INT "$CINT"; wait_exit "$CINT" 5
[ "$RC" = 1 ] && grep -q INTERRUPTED "$T/cint.err" && pass "SIGINT: client exits 1" || fail "SIGINT client rc=$RC"
"$PY" "$PEER" client --connect "$F3" --timeout-ms 60000 q <"$T/lifeline" >/dev/null 2>"$T/ceof.err" 9>&- &
CEOF=$!; PIDS+=($CEOF)
sleep 0.5
exec 9>&-
wait_exit "$CEOF" 5
[ "$RC" = 1 ] && grep -q 'stdin EOF' "$T/ceof.err" && pass "client exits 1 on stdin EOF" \
    || fail "client on stdin EOF: rc=$RC"
for name in B N3 N4; do
    pid_var="PID_$name"
    wait_exit "${!pid_var}" 5
    [ "$RC" = 0 ] || fail "node $name on stdin EOF: rc=$RC"
done
pass "nodes exit 0 on stdin EOF"

echo
if [ "$FAILS" -eq 0 ]; then echo "ALL PASSED"; else echo "$FAILS FAILED"; fi
[ "$FAILS" -eq 0 ]
