#!/usr/bin/env bash
# Self-test for flp_peer.py (Freelance Protocol rfc 10 test peer).
# Every wait is bounded; all started processes are killed on exit (trap).
# Peers (clients included) get stdin from a fifo held open by this shell (fd 9),
# so closing fd 9 at the end also exercises the "exit on stdin EOF" path.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PEER="$HERE/flp_peer.py"
. "$HERE/selftest_common.sh"
# kill9 PID : a crash; reaped at once so bash prints no "Killed" notice later
kill9() { kill -KILL "$1"; { wait "$1"; } 2>/dev/null; }
# expect NAME RC EXPECTED_STDOUT CLIENT_ARGS... : run a client, compare exactly;
# ELAPSED is set to its run time in ms
expect() {
    local name=$1 want_rc=$2 want=$3; shift 3
    local out rc t0
    t0=$(date +%s%N)
    out=$(timeout 20 "$PY" "$PEER" client "$@" <"$T/lifeline" 2>"$T/client.err" 9>&-); rc=$?
    ELAPSED=$((($(date +%s%N) - t0) / 1000000))
    if [ "$rc" = "$want_rc" ] && [ "$out" = "$want" ]; then
        pass "$name (${ELAPSED} ms)"
    else
        fail "$name: rc=$rc (want $want_rc) output:"; printf '%s\n' "$out" | sed 's/^/    | /'
        sed 's/^/    stderr| /' "$T/client.err"
    fi
}
# free_port : a TCP port nobody listens on right now
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# server NAME ARGS... : start a server on a fresh port, wait for READY; sets EP_NAME
server() {
    local name=$1; shift
    local ep="tcp://127.0.0.1:$(free_port)"
    start "$name" server --bind "$ep" "$@"
    wait_for "$T/$name.out" "^READY $ep\$" 5 || { fail "$name printed no 'READY $ep'"; exit 1; }
    printf -v "EP_$name" %s "$ep"
}
NL=$'\n'

# --------------------------------------------------------------------------
echo "== servers A and B"
server A --tag A
server B --tag B
echo "   A at $EP_A, B at $EP_B"

echo "== requests go to the first live server in --connect order"
expect "A first" 0 "hello${NL}world${NL}A" --connect "$EP_A" --connect "$EP_B" hello world
expect "B first" 0 "hello${NL}B" --connect "$EP_B" --connect "$EP_A" hello
expect "--requests 3" 0 "r${NL}A${NL}r${NL}A${NL}r${NL}A" --connect "$EP_A" --connect "$EP_B" --requests 3 r
grep -q 'REQUEST ccf=3 -> ' "$T/client.err" && pass "CCFs are 1, 2, 3" || fail "CCF numbering"
grep -qE '^RECV PING from=' "$T/A.err" && grep -qE '^RECV REQUEST ccf=3 body=1 from=' "$T/A.err" \
    && pass "server logs PING and REQUEST" || fail "server log"
server T1
expect "default tag is the identity (no --tag)" 0 "x${NL}$EP_T1" --connect "$EP_T1" x

# --------------------------------------------------------------------------
cat >"$T/raw.py" <<'EOF'
import sys, time, zmq
mode, ep = sys.argv[1], sys.argv[2]
ctx = zmq.Context()
if mode == "bad-to-server":            # malformed commands from a DEALER to a server
    s = ctx.socket(zmq.DEALER); s.connect(ep)
    for m in ([b"ping"],                # lower case
              [b"PING "],               # trailing space
              [b"hello"],               # one frame that is no command
              [b""]):                   # empty
        s.send_multipart(m)
    s.send_multipart([b"PING", b"body"])    # legal: a request whose CCF is "PING"
    ok = s.poll(3000) and s.recv_multipart() == [b"PING", b"body", b"A"]
    print("request with CCF PING answered" if ok else "no answer", flush=True)
    s.close(0)
    sys.exit(0)
# fake server at ep with identity ep: answers PING properly or not, and the request badly
r = ctx.socket(zmq.ROUTER); r.setsockopt(zmq.LINGER, 500)
r.setsockopt(zmq.ROUTING_ID, ep.encode()); r.bind(ep)
print("READY", flush=True)
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    if not r.poll(100):
        continue
    frames = r.recv_multipart()
    ident, msg = frames[0], frames[1:]
    if msg == [b"PING"]:
        r.send_multipart([ident, b"PONG!" if mode == "bad-pong" else b"PONG"])
        continue
    bad = {"no-ccf": [b"body only"],
           "wrong-ccf": [b"77", b"x"],
           "pong-plus": [b"PONG", b"x"]}[mode]
    r.send_multipart([ident] + bad)
time.sleep(0.5)
EOF

echo "== server strictness"
out=$(timeout 10 "$PY" "$T/raw.py" bad-to-server "$EP_A" </dev/null 9>&-)
[ "$out" = "request with CCF PING answered" ] && pass "2-frame message starting PING is a request" \
    || fail "request with CCF PING: $out"
n=$(grep -c 'PROTOCOL ERROR' "$T/A.err")
[ "$n" = 4 ] && pass "server reported 4 PROTOCOL ERRORs" || fail "server PROTOCOL ERROR count $n (want 4)"
grep 'PROTOCOL ERROR' "$T/A.err" | sed 's/^/    /'
expect "server still serves after bad input" 0 "ok${NL}A" --connect "$EP_A" ok

echo "== client strictness against fake servers"
for mode in bad-pong no-ccf wrong-ccf pong-plus; do
    ep="tcp://127.0.0.1:$(free_port)"
    "$PY" "$T/raw.py" "$mode" "$ep" </dev/null >"$T/fake_$mode.out" 9>&- & PIDS+=($!); FAKE=$!
    wait_for "$T/fake_$mode.out" '^READY$' 5
    expect "client rejects $mode with exit 3" 3 "" --connect "$ep" --timeout-ms 3000 x
    grep -q 'PROTOCOL ERROR' "$T/client.err" && pass "  PROTOCOL ERROR on stderr" || fail "  no PROTOCOL ERROR"
    kill "$FAKE" 2>/dev/null; wait_exit "$FAKE" 5
done

# --------------------------------------------------------------------------
echo "== failover: kill -9 server A"
kill9 "$PID_A"
expect "A dead -> B answers" 0 "hello${NL}B" --connect "$EP_A" --connect "$EP_B" hello
[ "$ELAPSED" -lt 2000 ] && pass "  within 2 s" || fail "  took $ELAPSED ms"
grep -q "UNREACHABLE $EP_A" "$T/client.err" && ! grep -q "ALIVE $EP_A" "$T/client.err" \
    && pass "  A never alive" || fail "  client log about A"

echo "== failover: server C hangs after 1 request (default ping 2000 ms, timeout 3000 ms)"
server C --tag C --silent-after 1
expect "C answers, hangs, B takes over" 0 "x${NL}C${NL}x${NL}B${NL}x${NL}B" \
    --connect "$EP_C" --connect "$EP_B" --requests 3 x
grep -q "DEAD $EP_C: no reply to request ccf=2" "$T/client.err" && pass "  C declared dead" \
    || fail "  C not declared dead"
grep -q '^SILENT after 1 requests' "$T/C.err" && grep -q '^IGNORE REQUEST' "$T/C.err" \
    && pass "  C logged SILENT and ignored the next request" || fail "  C log"

echo "== slow servers: late reply with an old CCF is discarded"
server D --tag D --delay-ms 600
server E --tag E --delay-ms 400
expect "slow D and E, ping 300 ms" 0 "s${NL}D${NL}s${NL}D" \
    --connect "$EP_D" --connect "$EP_E" --ping-ms 300 --requests 2 s
grep -q "DISCARD reply ccf=1 from $EP_E" "$T/client.err" && pass "  late E reply ccf=1 discarded" \
    || fail "  no DISCARD"

echo "== timeouts"
dead="tcp://127.0.0.1:$(free_port)"
expect "no server -> TIMEOUT exit 2" 2 "" --connect "$dead" --timeout-ms 500 q
grep -q '^TIMEOUT$' "$T/client.err" && [ "$ELAPSED" -lt 2000 ] && pass "  TIMEOUT on stderr, bounded" \
    || fail "  TIMEOUT line / time $ELAPSED ms"
port=$(free_port)
start F server --bind "tcp://127.0.0.1:$port" --identity "tcp://localhost:$port" --tag F
wait_for "$T/F.out" '^READY ' 5
expect "identity differs from the connect endpoint -> TIMEOUT" 2 "" \
    --connect "tcp://127.0.0.1:$port" --timeout-ms 500 q
expect "connect endpoint equal to the identity works" 0 "q${NL}F" --connect "tcp://localhost:$port" q
server S0 --silent-after 0
expect "server silent from start -> TIMEOUT" 2 "" --connect "$EP_S0" --timeout-ms 500 q
"$PY" "$PEER" server --bind tcp://127.0.0.1:0 </dev/null >/dev/null 2>"$T/usage.err"; rc=$?
[ "$rc" = 2 ] && grep -q 'not a concrete endpoint' "$T/usage.err" \
    && pass "port 0 without --identity is a usage error" || fail "usage error rc=$rc"

# --------------------------------------------------------------------------
echo "== shutdown"
"$PY" "$PEER" client --connect "$dead" --timeout-ms 60000 q <"$T/lifeline" >/dev/null 2>"$T/cint.err" 9>&- &
CINT=$!; PIDS+=($CINT)
sleep 0.5; kill -INT "$CINT"; wait_exit "$CINT" 5
[ "$RC" = 1 ] && grep -q INTERRUPTED "$T/cint.err" && pass "SIGINT: client exits 1" || fail "SIGINT client rc=$RC"
kill -TERM "$PID_B"; wait_exit "$PID_B" 5
[ "$RC" = 0 ] && pass "SIGTERM: server exits 0" || fail "SIGTERM server rc=$RC"
"$PY" "$PEER" client --connect "$dead" --timeout-ms 60000 q <"$T/lifeline" >/dev/null 2>"$T/ceof.err" 9>&- &
CEOF=$!; PIDS+=($CEOF)
sleep 0.5
exec 9>&-
wait_exit "$CEOF" 5
[ "$RC" = 1 ] && grep -q 'stdin EOF' "$T/ceof.err" && pass "client exits 1 on stdin EOF" \
    || fail "client on stdin EOF: rc=$RC"
for name in C D E F S0 T1; do
    pid_var="PID_$name"
    wait_exit "${!pid_var}" 5
    [ "$RC" = 0 ] || fail "server $name on stdin EOF: rc=$RC"
done
pass "servers exit 0 on stdin EOF"

echo
if [ "$FAILS" -eq 0 ]; then echo "ALL PASSED"; else echo "$FAILS FAILED"; fi
[ "$FAILS" -eq 0 ]
