#!/usr/bin/env bash
# Self-test for tsp_peer.py (Titanic rfc 9 test peer), with mdp_peer.py (rfc 7) as the broker
# and the echo workers. Every wait is bounded; all started processes are killed on exit (trap).
# Peers (clients included) get stdin from a fifo held open by this shell (fd 9), so closing
# fd 9 at the end also exercises the "exit on stdin EOF" path.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PEER="$HERE/tsp_peer.py"
COMMON=$(cd "$HERE/../../../../zmq4j-patterns/src/test/python" && pwd)
MDP="$COMMON/mdp_peer.py"
. "$COMMON/selftest_common.sh"
# mdp_start NAME ARGS... : like start, for mdp_peer.py
mdp_start() { local PEER=$MDP; start "$@"; }
# wait_count FILE ERE N SECONDS : until at least N lines match
wait_count() {
    local i
    for ((i = 0; i < $4 * 20; i++)); do
        [ "$(grep -cE -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
        sleep 0.05
    done
    return 1
}
# kill9 PID : a crash; reaped at once so bash prints no "Killed" notice later
kill9() { kill -KILL "$1"; { wait "$1"; } 2>/dev/null; }
# tsp ROLE ARGS... : run a client role of tsp_peer.py; stdout to $OUT, RC set, stderr in $T/cmd.err
tsp() {
    OUT=$(timeout 60 "$PY" "$PEER" "$@" <"$T/lifeline" 2>"$T/cmd.err" 9>&-); RC=$?
}
# expect NAME RC EXPECTED_STDOUT ROLE ARGS... : run a client role, compare exactly
expect() {
    local name=$1 want_rc=$2 want=$3; shift 3
    tsp "$@"
    if [ "$RC" = "$want_rc" ] && [ "$OUT" = "$want" ]; then
        pass "$name"
    else
        fail "$name: rc=$RC (want $want_rc) output:"; printf '%s\n' "$OUT" | sed 's/^/    | /'
        sed 's/^/    stderr| /' "$T/cmd.err"
    fi
}
# expect_err NAME ERE : the last client's stderr matches
expect_err() {
    grep -qE -- "$2" "$T/cmd.err" && pass "  $1" || { fail "  $1"; sed 's/^/    stderr| /' "$T/cmd.err"; }
}
# broker_endpoint NAME : wait for the "READY <endpoint>" line
broker_endpoint() {
    wait_for "$T/$1.out" '^READY ' 5 || { fail "$1 printed no READY line"; exit 1; }
    sed -n 's/^READY //p' "$T/$1.out" | head -1
}
registered() {     # registered BROKER N SECONDS : N READYs of each titanic service seen
    local s
    for s in request reply close; do
        wait_count "$T/$1.err" "^RECV worker READY titanic\\.$s MDPW01" "$2" "$3" || return 1
    done
}
NL=$'\n'
HB=250
UUID_ERE='^[0-9a-f]{32}$'

# --------------------------------------------------------------------------
echo "== broker, echo worker, Titanic server (heartbeat $HB ms everywhere)"
mdp_start broker broker --bind tcp://127.0.0.1:0 --heartbeat-ms $HB
EP=$(broker_endpoint broker)
echo "   broker at $EP"
mdp_start echo worker --connect "$EP" --service echo --protocol mdp01 --heartbeat-ms $HB
start server server --connect "$EP" --store "$T/store" --heartbeat-ms $HB
wait_for "$T/server.out" '^READY$' 5 && registered broker 1 5 \
    && wait_for "$T/broker.err" '^RECV worker READY echo MDPW01' 5 \
    && pass "titanic.request/.reply/.close and echo registered" || fail "registration"

echo "== client flow (ticlient x 20)"
expect "client --count 20" 0 "OK 20" client --connect "$EP" --service echo --count 20
expect_err "all 20 submitted before fetching" '^SUBMITTED 20 request\(s\)$'

echo "== request / reply / close one by one"
tsp request --connect "$EP" --service echo --body hello world
U=$OUT
[ "$RC" = 0 ] && [[ "$U" =~ $UUID_ERE ]] && pass "request prints a 32-hex UUID ($U)" \
    || fail "request: rc=$RC out=$U"
expect "reply --wait 5 prints the echo, a frame a line" 0 "hello${NL}world" \
    reply --connect "$EP" --uuid "$U" --wait 5
expect "reply again: same answer (idempotent)" 0 "hello${NL}world" reply --connect "$EP" --uuid "$U"
expect "reply with the UUID upper-cased (rfc 9 allows either case)" 0 "hello${NL}world" \
    reply --connect "$EP" --uuid "${U^^}"
expect "close" 0 "" close --connect "$EP" --uuid "$U"
expect "close again: 200 (idempotent)" 0 "" close --connect "$EP" --uuid "$U"
expect "reply after close: 400 -> exit 5" 5 "" reply --connect "$EP" --uuid "$U"
expect_err "UNKNOWN on stderr" '^titanic\.reply 400 UNKNOWN$'
expect "reply for a never-issued UUID -> exit 5" 5 "" \
    reply --connect "$EP" --uuid 0123456789abcdef0123456789abcdef
expect "close for a never-issued UUID: 200" 0 "" \
    close --connect "$EP" --uuid 0123456789ABCDEF0123456789ABCDEF

echo "== pending: a service with no worker yet"
tsp request --connect "$EP" --service late --body "for later"
L=$OUT
[ "$RC" = 0 ] && [[ "$L" =~ $UUID_ERE ]] && pass "request to service 'late' stored ($L)" \
    || fail "request late: rc=$RC out=$L"
expect "reply while pending: 300 -> exit 4" 4 "" reply --connect "$EP" --uuid "$L"
expect_err "PENDING on stderr" '^titanic\.reply 300 PENDING$'
expect "reply --wait 0.5 while pending: still exit 4" 4 "" reply --connect "$EP" --uuid "$L" --wait 0.5
start waiter reply --connect "$EP" --uuid "$L" --wait 30
n=$(grep -c "^REPLY $L: 300" "$T/server.err")
wait_count "$T/server.err" "^REPLY $L: 300" $((n + 2)) 5
kill -TERM "$PID_waiter"; wait_exit "$PID_waiter" 2
[ "$RC" = 1 ] && grep -q '^INTERRUPTED$' "$T/waiter.err" && pass "reply --wait 30 ends on SIGTERM: exit 1 INTERRUPTED" \
    || fail "SIGTERM reply --wait: rc=$RC"
wait_for "$T/server.err" '^UNAVAILABLE late \(mmi\.service 404\)' 5 \
    && pass "server: mmi.service says 'late' is not there" || fail "no UNAVAILABLE late"

echo "== heartbeating"
grep -q "^RECV worker HEARTBEAT titanic.request MDPW01" "$T/broker.err" \
    && grep -q "^RECV worker HEARTBEAT titanic.close MDPW01" "$T/broker.err" \
    && pass "broker gets the server's HEARTBEATs" || fail "no HEARTBEAT from the server"
grep -q '^EXPIRE' "$T/broker.err" && fail "a worker expired" || pass "no worker expired"
kill -STOP "$PID_broker"; sleep 1.2; kill -CONT "$PID_broker"
wait_count "$T/server.err" '^RECONNECT titanic\.' 3 3 && pass "server re-registers after a silent broker" \
    || fail "server did not notice the silent broker"
registered broker 2 5 && pass "  broker saw the new READYs" || fail "  no new READYs"
wait_count "$T/broker.err" '^EXPIRE' 4 3 && pass "  broker expired the 4 old worker sockets" \
    || fail "  old worker sockets not expired"
expect "client --count 3 after the broker pause" 0 "OK 3" client --connect "$EP" --service echo --count 3

# --------------------------------------------------------------------------
echo "== crash: kill -9 the server between request and reply, restart on the same store"
tsp request --connect "$EP" --service echo --body "survives" "a crash"
A=$OUT
[ "$RC" = 0 ] && [[ "$A" =~ $UUID_ERE ]] && pass "request $A" || fail "request: rc=$RC out=$A"
wait_for "$T/server.err" "^STORED reply $A" 5 && pass "  its reply is stored" || fail "  reply not stored"
n=$(grep -cE '^EXPIRE worker .* titanic\.' "$T/broker.err")
kill9 "$PID_server"
wait_count "$T/broker.err" '^EXPIRE worker .* titanic\.' $((n + 3)) 5 \
    && pass "broker expires the dead server's three workers" || fail "no EXPIRE for the dead server"
expect "reply while the server is down: TIMEOUT exit 2" 2 "" \
    reply --connect "$EP" --uuid "$A" --timeout 0.3 --retries 2
expect_err "TIMEOUT on stderr" '^TIMEOUT: titanic\.reply: no reply after 2 attempt'
ls "$T/store" >"$T/store.ls"
grep -q "^$A.req$" "$T/store.ls" && grep -q "^$A.rep$" "$T/store.ls" && grep -q "^$L.req$" "$T/store.ls" \
    && ! grep -q "^$L.rep$" "$T/store.ls" && pass "store holds $A (request+reply) and $L (request)" \
    || { fail "store contents"; sed 's/^/    | /' "$T/store.ls"; }
start server2 server --connect "$EP" --store "$T/store" --heartbeat-ms $HB
wait_for "$T/server2.err" '^RECOVERED 1 unanswered request\(s\)' 5 && pass "restart: 1 unanswered request recovered" \
    || { fail "restart: recovery"; sed 's/^/    | /' "$T/server2.err"; }
registered broker 3 5 && pass "  restarted server registered" || fail "  restarted server not registered"
expect "reply stored before the crash arrives after the restart" 0 "survives${NL}a crash" \
    reply --connect "$EP" --uuid "$A" --wait 5
expect "close it" 0 "" close --connect "$EP" --uuid "$A"
expect "recovered request still pending" 4 "" reply --connect "$EP" --uuid "$L"
mdp_start late worker --connect "$EP" --service late --protocol mdp01 --heartbeat-ms $HB
expect "recovered request executed once 'late' has a worker" 0 "for later" \
    reply --connect "$EP" --uuid "$L" --wait 10
wait_for "$T/server2.err" "^DISPATCH $L -> late" 1 && pass "  re-dispatched by the restarted server" \
    || fail "  no DISPATCH of $L"

echo "== crash before the request was executed"
kill -TERM "$PID_late"; wait_exit "$PID_late" 5
wait_for "$T/broker.err" 'RECV worker DISCONNECT late' 5
tsp request --connect "$EP" --service late --body "second"
B=$OUT
[ "$RC" = 0 ] && [[ "$B" =~ $UUID_ERE ]] && pass "request $B to 'late' (no worker)" || fail "request: rc=$RC"
n=$(grep -cE '^EXPIRE worker .* titanic\.' "$T/broker.err")
kill9 "$PID_server2"
wait_count "$T/broker.err" '^EXPIRE worker .* titanic\.' $((n + 3)) 5
start server3 server --connect "$EP" --store "$T/store" --heartbeat-ms $HB
wait_for "$T/server3.err" '^RECOVERED 1 unanswered' 5 && registered broker 4 5 \
    && pass "restarted again: 1 unanswered request recovered" || fail "second restart"
mdp_start late2 worker --connect "$EP" --service late --protocol mdp01 --heartbeat-ms $HB
expect "reply arrives after crash + restart + worker start" 0 "second" \
    reply --connect "$EP" --uuid "$B" --wait 10
expect "client --count 20 on the restarted server" 0 "OK 20" client --connect "$EP" --service echo --count 20

# --------------------------------------------------------------------------
echo "== server strictness: malformed TSP requests (sent with mdp_peer.py client)"
mdp_client() {   # mdp_client SERVICE FRAME... : prints the reply frames
    OUT=$(timeout 20 "$PY" "$MDP" client --connect "$EP" --protocol mdp01 --service "$@" \
          </dev/null 2>"$T/cmd.err" 9>&-); RC=$?
}
mdp_client titanic.reply not-a-uuid
[ "$RC" = 0 ] && [ "$OUT" = 400 ] && pass "titanic.reply [not-a-uuid] -> 400" || fail "bad uuid: rc=$RC $OUT"
mdp_client titanic.close 0123456789abcdef0123456789abcdef extra
[ "$RC" = 0 ] && [ "$OUT" = 400 ] && pass "titanic.close [uuid, extra] -> 400" || fail "close 2 frames: rc=$RC $OUT"
mdp_client titanic.request echo
[ "$RC" = 0 ] && [ "$OUT" = 500 ] && pass "titanic.request [echo] (no body) -> 500" || fail "no body: rc=$RC $OUT"
n=$(grep -c 'PROTOCOL ERROR' "$T/server3.err")
[ "$n" = 3 ] && pass "server reported 3 PROTOCOL ERRORs and kept running" \
    || fail "server PROTOCOL ERROR count $n (want 3)"
grep 'PROTOCOL ERROR' "$T/server3.err" | sed 's/^/    /'
kill -0 "$PID_server3" 2>/dev/null || fail "server died"
for f in server server2; do
    grep -q 'PROTOCOL ERROR' "$T/$f.err" && fail "$f saw a PROTOCOL ERROR" || pass "$f: no PROTOCOL ERROR"
done
grep -q 'PROTOCOL ERROR' "$T/broker.err" && fail "broker saw a PROTOCOL ERROR" || pass "broker: no PROTOCOL ERROR"

# --------------------------------------------------------------------------
# Fake Titanic services and a fake broker for the client-side strictness checks.
cat >"$T/fake.py" <<'EOF'
import sys, time, zmq
mode, ep = sys.argv[1], sys.argv[2]
ctx = zmq.Context()
if mode == "worker":           # MDP/0.1 worker for SERVICE, answers one request with FRAMES
    service, frames = sys.argv[3].encode(), [bytes.fromhex(f[4:]) if f.startswith("hex:") else f.encode()
                                          for f in sys.argv[4].split("|")]
    s = ctx.socket(zmq.DEALER); s.setsockopt(zmq.LINGER, 1000); s.connect(ep)
    s.send_multipart([b"", b"MDPW01", b"\x01", service])
    end = time.monotonic() + 20
    while time.monotonic() < end:
        if s.poll(100):
            m = s.recv_multipart()
            if m[2] == b"\x02":
                s.send_multipart([b"", b"MDPW01", b"\x03", m[3], b""] + frames)
                s.send_multipart([b"", b"MDPW01", b"\x05"])
                break
    s.close(1000); ctx.term()            # DISCONNECT delivered before the next fake starts
    sys.exit(0)
# fake broker: answer the first message with a malformed REQUEST (no empty delimiter)
r = ctx.socket(zmq.ROUTER); r.setsockopt(zmq.LINGER, 500); r.bind("tcp://127.0.0.1:0")
print(r.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)
if r.poll(10000):
    ident = r.recv_multipart()[0]
    r.send_multipart([ident, b"", b"MDPW01", b"\x02", b"CLIENT", b"x"])
    time.sleep(1)
EOF

echo "== client strictness against fake Titanic services (broker 2)"
mdp_start broker2 broker --bind tcp://127.0.0.1:0
EP2=$(broker_endpoint broker2)
GOOD=0123456789ABCDEF0123456789abcdef
# [WANT=STDOUT] fake_case NAME RC SERVICE "F1|F2.." ROLE ARGS... : fake answers SERVICE with
# frames F1, F2.. once (hex:HEX for binary); for RC 0 stdout must be WANT (request: $GOOD)
fake_case() {
    local name=$1 rc=$2 service=$3 frames=$4; shift 4
    "$PY" "$T/fake.py" worker "$EP2" "$service" "$frames" </dev/null >/dev/null 2>"$T/fake.err" 9>&- &
    local fpid=$!; PIDS+=($fpid)
    local gone=$(($(grep -c "^RECV worker DISCONNECT $service " "$T/broker2.err") + 1))
    local want_out=${WANT-}
    [ "$rc" = 0 ] && [ "$1" = request ] && want_out=$GOOD
    expect "$name" "$rc" "$want_out" "$@" --connect "$EP2" --timeout 3 --retries 1
    [ "$rc" = 3 ] && expect_err "PROTOCOL ERROR on stderr" '^PROTOCOL ERROR: '
    wait_exit "$fpid" 5
    wait_count "$T/broker2.err" "^RECV worker DISCONNECT $service " $gone 5   # gone before the next
}
fake_case "request: '200 OK' + upper-case UUID accepted" 0 titanic.request "200 OK|$GOOD" \
    request --service echo --body x
fake_case "request: 200 without UUID -> exit 3" 3 titanic.request "200" request --service echo --body x
fake_case "request: UUID of 31 chars -> exit 3" 3 titanic.request "200|${GOOD:1}" request --service echo --body x
fake_case "request: 200 + UUID + extra frame -> exit 3" 3 titanic.request "200|$GOOD|x" \
    request --service echo --body x
fake_case "request: status 201 -> exit 3" 3 titanic.request "201" request --service echo --body x
fake_case "request: status 'OK' -> exit 3" 3 titanic.request "OK" request --service echo --body x
fake_case "reply: 300 with a content frame -> exit 3" 3 titanic.reply "300|x" reply --uuid $GOOD
fake_case "reply: 200 without body -> exit 3" 3 titanic.reply "200" reply --uuid $GOOD
WANT="ff00fe${NL}text" fake_case "reply: a non-UTF-8 frame is printed as hex" 0 titanic.reply \
    "200|hex:ff00fe|text" reply --uuid $GOOD
fake_case "reply: 500 -> exit 6" 6 titanic.reply "500" reply --uuid $GOOD
fake_case "close: 400 for a well-formed UUID -> exit 3" 3 titanic.close "400" close --uuid $GOOD
fake_case "close: 200 + extra frame -> exit 3" 3 titanic.close "200|x" close --uuid $GOOD
# an echo worker posing as titanic.request: the status frame is the service name
mdp_start fakeecho worker --connect "$EP2" --service titanic.request --protocol mdp01 --max-requests 1
expect "request answered by an echo worker -> exit 3" 3 "" \
    request --connect "$EP2" --service echo --body x --timeout 3 --retries 1
expect_err "PROTOCOL ERROR names the status frame" '^PROTOCOL ERROR: titanic\.request: status frame'
expect "no Titanic at all: TIMEOUT exit 2" 2 "" \
    request --connect "$EP2" --service echo --body x --timeout 0.3 --retries 2
expect_err "retried on a new socket" '^RETRY titanic\.request: attempt 2 of 2'

echo "== server strictness against a fake broker"
"$PY" "$T/fake.py" broker - </dev/null >"$T/fakebroker.out" 9>&- & PIDS+=($!); FAKE=$!
wait_for "$T/fakebroker.out" '^tcp://' 5
start badsrv server --connect "$(cat "$T/fakebroker.out")" --store "$T/store2"
wait_exit "$PID_badsrv" 10
[ "$RC" = 3 ] && grep -q '^PROTOCOL ERROR: from broker: ' "$T/badsrv.err" \
    && pass "server exits 3 on a REQUEST without the empty delimiter" || fail "bad broker: rc=$RC"
wait_exit "$FAKE" 5

# --------------------------------------------------------------------------
echo "== shutdown"
kill -TERM "$PID_server3"; wait_exit "$PID_server3" 5
[ "$RC" = 0 ] && wait_count "$T/broker.err" '^RECV worker DISCONNECT titanic\.' 3 5 \
    && pass "SIGTERM: server sends DISCONNECT x3, exits 0" || fail "SIGTERM server rc=$RC"
start server4 server --connect "$EP" --store "$T/store" --heartbeat-ms $HB
wait_for "$T/server4.out" '^READY$' 5
exec 9>&-
for name in server4 broker echo late2 broker2; do
    pid_var="PID_$name"
    wait_exit "${!pid_var}" 5
    [ "$RC" = 0 ] && pass "$name exits 0 on stdin EOF" || fail "$name on stdin EOF: rc=$RC"
done

echo
if [ "$FAILS" -eq 0 ]; then echo "ALL PASSED"; else echo "$FAILS FAILED"; fi
[ "$FAILS" -eq 0 ]
