#!/usr/bin/env bash
# Self-test for mdp_peer.py (Majordomo rfc 7 / rfc 18 / rfc 8 test peer).
# Every wait is bounded; all started processes are killed on exit (trap).
# Background peers get stdin from a fifo held open by this shell (fd 9), so
# closing fd 9 at the end also exercises the "exit on stdin EOF" path.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PEER="$HERE/mdp_peer.py"
. "$HERE/selftest_common.sh"
# wait_count FILE ERE N SECONDS : until at least N lines match
wait_count() {
    local i
    for ((i = 0; i < $4 * 20; i++)); do
        [ "$(grep -cE -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
        sleep 0.05
    done
    return 1
}
# wait_exit PID SECONDS : sets RC to the exit code, returns 1 if still running
wait_exit() {
    local i
    for ((i = 0; i < $2 * 20; i++)); do
        if ! kill -0 "$1" 2>/dev/null; then wait "$1"; RC=$?; return 0; fi
        sleep 0.05
    done
    RC=timeout; return 1
}
# expect NAME RC EXPECTED_STDOUT CLIENT_ARGS... : run a client, compare exactly
expect() {
    local name=$1 want_rc=$2 want=$3; shift 3
    local out rc
    out=$(timeout 20 "$PY" "$PEER" client "$@" </dev/null 2>"$T/client.err" 9>&-); rc=$?
    if [ "$rc" = "$want_rc" ] && [ "$out" = "$want" ]; then
        pass "$name"
    else
        fail "$name: rc=$rc (want $want_rc) output:"; printf '%s\n' "$out" | sed 's/^/    | /'
        sed 's/^/    stderr| /' "$T/client.err"
    fi
}
# broker_endpoint NAME : wait for the "READY <endpoint>" line
broker_endpoint() {
    wait_for "$T/$1.out" '^READY ' 5 || { fail "$1 printed no READY line"; exit 1; }
    sed -n 's/^READY //p' "$T/$1.out" | head -1
}
NL=$'\n'

# --------------------------------------------------------------------------
echo "== broker A (default heartbeat), echo workers mdp01 + mdp02"
start brokerA broker --bind tcp://127.0.0.1:0
EP=$(broker_endpoint brokerA)
echo "   broker A at $EP"
start w01 worker --connect "$EP" --service echo01 --protocol mdp01
start w02 worker --connect "$EP" --service echo02 --protocol mdp02 --partials 2
wait_for "$T/w01.out" '^READY$' 5 && wait_for "$T/w02.out" '^READY$' 5 \
    && wait_for "$T/brokerA.err" '^RECV worker READY echo01 MDPW01' 5 \
    && wait_for "$T/brokerA.err" '^RECV worker READY echo02 MDPW02' 5 \
    && pass "workers registered" || fail "workers registered"

echo "== clients"
expect "mdp01 client -> mdp01 worker" 0 "hello${NL}world" \
    --connect "$EP" --service echo01 --protocol mdp01 hello world
expect "mdp02 client -> mdp02 worker with 2 partials" 0 \
    "PARTIAL partial-1${NL}PARTIAL partial-2${NL}FINAL a${NL}FINAL b" \
    --connect "$EP" --service echo02 --protocol mdp02 a b
expect "mdp01 client -> mdp02 worker (partials dropped)" 0 "x" \
    --connect "$EP" --service echo02 --protocol mdp01 x
expect "mdp02 client -> mdp01 worker (REPLY as FINAL)" 0 "FINAL y" \
    --connect "$EP" --service echo01 --protocol mdp02 y
expect "mdp01 --requests 3" 0 "r${NL}r${NL}r" \
    --connect "$EP" --service echo01 --protocol mdp01 --requests 3 r
expect "mdp02 --requests 2" 0 \
    "PARTIAL partial-1${NL}PARTIAL partial-2${NL}FINAL z${NL}PARTIAL partial-1${NL}PARTIAL partial-2${NL}FINAL z" \
    --connect "$EP" --service echo02 --protocol mdp02 --requests 2 z
expect "mmi.service echo01 (mdp01) = 200" 0 "200" \
    --connect "$EP" --service mmi.service --protocol mdp01 echo01
expect "mmi.service echo02 (mdp02) = 200" 0 "FINAL 200" \
    --connect "$EP" --service mmi.service --protocol mdp02 echo02
expect "mmi.service nosuch = 404" 0 "404" \
    --connect "$EP" --service mmi.service --protocol mdp01 nosuch
expect "mmi.other (mdp02) = 501" 0 "FINAL 501" \
    --connect "$EP" --service mmi.other --protocol mdp02 anything
expect "mmi.other (mdp01) = 501" 0 "501" \
    --connect "$EP" --service mmi.other --protocol mdp01 anything
expect "no worker -> TIMEOUT exit 2" 2 "" \
    --connect "$EP" --service nobody --protocol mdp01 --timeout-ms 300 q
grep -q '^TIMEOUT$' "$T/client.err" && pass "TIMEOUT on stderr" || fail "TIMEOUT on stderr"

# --------------------------------------------------------------------------
# Raw/fake peers for the strictness checks (written here, not part of mdp_peer.py).
cat >"$T/raw.py" <<'EOF'
import sys, time, zmq
mode, ep = sys.argv[1], sys.argv[2]
ctx = zmq.Context()
if mode == "bad-to-broker":            # malformed messages from a DEALER to the broker
    s = ctx.socket(zmq.DEALER); s.connect(ep)
    for m in ([b"MDPW01", b"\x01", b"svc"],               # 0.1 header, no empty frame 0
              [b"", b"MDPC02", b"\x01", b"svc", b"x"],    # empty frame before a 0.2 header
              [b"MDPW02", b"\x07"],                       # unknown command code
              [b"MDPC02", b"\x01", b"echo02"],            # REQUEST without body
              [b"MDPC02", b"\x03", b"echo02", b"x"],      # FINAL sent by a client
              [b"", b"MDPW01", b"\x04", b"extra"],        # HEARTBEAT with extra frame
              [b"MDPW02", b"\x05"]):                      # HEARTBEAT before READY
        s.send_multipart(m)
    time.sleep(0.5); s.close(0)
    sys.exit(0)
# fake broker: answer each request/READY with the next canned bad message, then exit
r = ctx.socket(zmq.ROUTER); r.setsockopt(zmq.LINGER, 500); r.bind("tcp://127.0.0.1:0")
print(r.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)
bad = {"c01-no-empty": [b"MDPC01", b"svc", b"x"],
       "c02-wrong-service": [b"MDPC02", b"\x03", b"other", b"x"],
       "c02-request-code": [b"MDPC02", b"\x01", b"svc", b"x"],
       "w01-no-delimiter": [b"", b"MDPW01", b"\x02", b"CLIENT", b"x"],
       "w02-bad-code": [b"MDPW02", b"\x09"]}[mode]
if r.poll(10000):
    ident = r.recv_multipart()[0]
    r.send_multipart([ident] + bad)
    time.sleep(1)
EOF

echo "== broker strictness"
timeout 10 "$PY" "$T/raw.py" bad-to-broker "$EP" </dev/null 9>&-
wait_for "$T/brokerA.err" 'HEARTBEAT from a worker that never sent READY' 5
n=$(grep -c 'PROTOCOL ERROR' "$T/brokerA.err")
[ "$n" = 7 ] && pass "broker reported 7 PROTOCOL ERRORs" || fail "broker PROTOCOL ERROR count $n (want 7)"
grep 'PROTOCOL ERROR' "$T/brokerA.err" | sed 's/^/    /'
kill -0 "$PID_brokerA" 2>/dev/null && pass "broker still running" || fail "broker died"
expect "broker still serves after bad input" 0 "FINAL ok" \
    --connect "$EP" --service echo01 --protocol mdp02 ok

echo "== client / worker strictness against a fake broker"
for mode in c01-no-empty c02-wrong-service c02-request-code; do
    # one output file per fake: the redirection truncates asynchronously in the child
    "$PY" "$T/raw.py" "$mode" - <&- >"$T/fake_$mode.out" 9>&- & PIDS+=($!); FAKE=$!
    wait_for "$T/fake_$mode.out" '^tcp://.*:[0-9]+$' 5
    proto=mdp02; [ "$mode" = c01-no-empty ] && proto=mdp01
    expect "client rejects $mode with exit 3" 3 "" \
        --connect "$(cat "$T/fake_$mode.out")" --service svc --protocol "$proto" --timeout-ms 3000 x
    grep -q 'PROTOCOL ERROR' "$T/client.err" && pass "  PROTOCOL ERROR on stderr" || fail "  no PROTOCOL ERROR"
    wait_exit "$FAKE" 5
done
for mode in w01-no-delimiter w02-bad-code; do
    # one output file per fake: the redirection truncates asynchronously in the child
    "$PY" "$T/raw.py" "$mode" - <&- >"$T/fake_$mode.out" 9>&- & PIDS+=($!); FAKE=$!
    wait_for "$T/fake_$mode.out" '^tcp://.*:[0-9]+$' 5
    proto=mdp02; [ "$mode" = w01-no-delimiter ] && proto=mdp01
    name=wbad_${mode//-/_}
    start "$name" worker --connect "$(cat "$T/fake_$mode.out")" --service svc --protocol "$proto"
    pid_var="PID_$name"; wait_exit "${!pid_var}" 10
    [ "$RC" = 3 ] && grep -q 'PROTOCOL ERROR' "$T/$name.err" \
        && pass "worker rejects $mode with exit 3" || fail "worker $mode: rc=$RC"
    wait_exit "$FAKE" 5
done

# --------------------------------------------------------------------------
echo "== DISCONNECT, --max-requests, SIGTERM"
start wmmi worker --connect "$EP" --service mmi.bad --protocol mdp01
wait_for "$T/brokerA.err" 'REJECT worker .* mmi.bad' 5 && wait_for "$T/wmmi.err" '^RECV DISCONNECT$' 5 \
    && wait_count "$T/wmmi.out" '^READY$' 2 5 \
    && pass "mmi.* READY -> DISCONNECT, worker re-registers" || fail "mmi.* READY -> DISCONNECT"
kill -TERM "$PID_wmmi"; wait_exit "$PID_wmmi" 5

start wonce worker --connect "$EP" --service once --protocol mdp02 --max-requests 1
wait_for "$T/brokerA.err" 'RECV worker READY once MDPW02' 5
expect "request to --max-requests 1 worker" 0 "FINAL one" \
    --connect "$EP" --service once --protocol mdp02 one
wait_exit "$PID_wonce" 5; [ "$RC" = 0 ] && pass "worker exits 0 after max requests" || fail "max-requests rc=$RC"
wait_for "$T/brokerA.err" 'RECV worker DISCONNECT once MDPW02' 5 \
    && pass "broker saw its DISCONNECT" || fail "no DISCONNECT from max-requests worker"
expect "mmi.service once = 404 after it left" 0 "404" \
    --connect "$EP" --service mmi.service --protocol mdp01 once

kill -TERM "$PID_w02"; wait_exit "$PID_w02" 5
[ "$RC" = 0 ] && wait_for "$T/brokerA.err" 'RECV worker DISCONNECT echo02 MDPW02' 5 \
    && pass "SIGTERM: worker sends DISCONNECT, exits 0" || fail "SIGTERM worker rc=$RC"

# --------------------------------------------------------------------------
echo "== heartbeating (broker B, --heartbeat-ms 200)"
start brokerB broker --bind tcp://127.0.0.1:0 --heartbeat-ms 200
EPB=$(broker_endpoint brokerB)
start whb worker --connect "$EPB" --service hb --protocol mdp01 --heartbeat-ms 200
wait_for "$T/whb.err" '^RECV HEARTBEAT$' 2 && pass "worker got broker HEARTBEAT within 2 s" \
    || fail "no RECV HEARTBEAT within 2 s"
wait_for "$T/brokerB.err" '^RECV worker HEARTBEAT hb MDPW01' 2 && pass "broker got worker HEARTBEAT" \
    || fail "broker got no HEARTBEAT"
sleep 1.2
grep -q EXPIRE "$T/brokerB.err" && fail "worker expired while heartbeating" || pass "no expiry while heartbeating"
expect "request via heartbeating broker" 0 "ping" --connect "$EPB" --service hb --protocol mdp01 ping

kill -STOP "$PID_brokerB"
wait_for "$T/whb.err" '^RECONNECT' 3 && pass "worker reconnects when broker is silent" \
    || fail "worker did not notice silent broker"
kill -CONT "$PID_brokerB"
kill -STOP "$PID_whb"; sleep 1.2; kill -CONT "$PID_whb"
wait_for "$T/brokerB.err" '^EXPIRE worker' 3 && pass "broker expires a silent worker" \
    || fail "broker did not expire silent worker"
expect "request after expiry/re-registration" 0 "again" \
    --connect "$EPB" --service hb --protocol mdp01 --timeout-ms 3000 again

# --------------------------------------------------------------------------
echo "== shutdown by signal"
kill -INT "$PID_whb"; wait_exit "$PID_whb" 5
[ "$RC" = 0 ] && wait_for "$T/brokerB.err" 'RECV worker DISCONNECT hb' 5 \
    && pass "SIGINT: worker sends DISCONNECT, exits 0" || fail "SIGINT worker rc=$RC"
kill -TERM "$PID_brokerB"; wait_exit "$PID_brokerB" 5
[ "$RC" = 0 ] && pass "SIGTERM: broker exits 0" || fail "SIGTERM broker rc=$RC"

echo "== shutdown by stdin EOF"
exec 9>&-
for name in brokerA w01; do
    pid_var="PID_$name"
    wait_exit "${!pid_var}" 5
    [ "$RC" = 0 ] && pass "$name exits 0 on stdin EOF" || fail "$name on stdin EOF: rc=$RC"
done

echo
if [ "$FAILS" -eq 0 ]; then echo "ALL PASSED"; else echo "$FAILS FAILED"; fi
[ "$FAILS" -eq 0 ]
