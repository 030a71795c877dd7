#!/usr/bin/env bash
# Self-test for ddp_peer.py (durable delivery protocol test peer, docs/durability.md): two python
# senders of 2000 messages each against the python receiver, with kill -9 of the receiver and of
# the senders mid-stream and restarts with the same arguments; at the end the output file holds
# every message exactly once, in order per sender. Then the protocol details (WHO, duplicates,
# gaps, epochs, go-back-N) and strictness, with fake peers. Every wait is bounded; all started
# processes are killed on exit (trap). Peers get stdin from a fifo held open by this shell
# (fd 9), so closing fd 9 at the end also exercises the "exit on stdin EOF" path.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PEER="$HERE/ddp_peer.py"
COMMON=$(cd "$HERE/../../../../zmq4j-patterns/src/test/python" && pwd)
. "$COMMON/selftest_common.sh"
# kill9 PID : a crash; reaped at once so bash prints no "Killed" notice later; fails if PID was gone
kill9() { kill -KILL "$1" && { { wait "$1"; } 2>/dev/null; true; }; }
# free_port : a TCP port nobody listens on right now
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# wait_lines FILE N SECONDS : until FILE has at least N lines
wait_lines() {
    local i
    for ((i = 0; i < $3 * 50; i++)); do
        [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
        sleep 0.02
    done
    return 1
}
# exact FILE ID N : FILE holds ID-0 .. ID-(N-1), each once, in this order (other ids ignored)
exact() {
    diff <(grep "^$2-" "$1") <(seq 0 $(($3 - 1)) | sed "s/^/$2-/") >"$T/diff.$2" 2>&1
}
# recv NAME : (re)start the receiver on $EP, wait for its READY line
recv() {
    start "$1" recv --bind "$EP" --state "$T/rstate" --out "$OUTF"
    wait_for "$T/$1.out" "^READY $EP\$" 5 || { fail "$1 printed no 'READY $EP'"; exit 1; }
    RECV=$1
}
# sender NAME ID : (re)start sender ID of $N messages
sender() {
    start "$1" send --connect "$EP" --id "$2" --count "$N" --state "$T/s_$2" --interval-ms 2 \
        --timeout-s 120
}
N=2000
EP="tcp://127.0.0.1:$(free_port)"
OUTF="$T/out.txt"

# --------------------------------------------------------------------------
echo "== 2 senders x $N messages, kill -9 of every side mid-stream"
recv r1
sender a1 a
sender b1 b
wait_lines "$OUTF" 500 20 && kill9 "$PID_r1" && recv r2 && pass "kill -9 receiver at $(wc -l <"$OUTF") lines, restarted" \
    || fail "receiver kill 1"
wait_lines "$OUTF" 1200 20 && kill9 "$PID_a1" && sender a2 a && pass "kill -9 sender a at $(wc -l <"$OUTF") lines, restarted" \
    || fail "sender a kill"
wait_lines "$OUTF" 1900 20 && kill9 "$PID_b1" && kill9 "$PID_r2" \
    && pass "kill -9 sender b and the receiver together at $(wc -l <"$OUTF") lines" || fail "double kill"
sleep 0.3
recv r3
sender b2 b
wait_lines "$OUTF" 2500 20 && kill -STOP "$PID_r3" && sleep 1.6 && kill -CONT "$PID_r3" \
    && pass "receiver stopped 1.6 s at $(wc -l <"$OUTF") lines, continued" || fail "SIGSTOP"
wait_lines "$OUTF" 3000 20 && kill9 "$PID_a2" && kill9 "$PID_r3" && recv r4 && sender a3 a \
    && pass "kill -9 sender a and the receiver at $(wc -l <"$OUTF") lines, restarted" || fail "last kill"
for s in a3 b2; do
    pid_var="PID_$s"
    wait_exit "${!pid_var}" 120
    [ "$RC" = 0 ] && [ "$(cat "$T/$s.out")" = "ACKED $N" ] && pass "sender $s: exit 0, ACKED $N" \
        || fail "sender $s: rc=$RC out=$(cat "$T/$s.out")"
done
for id in a b; do
    exact "$OUTF" $id $N && pass "out.txt: $id-0 .. $id-$((N - 1)) exactly once, in order" \
        || { fail "out.txt for $id"; head -20 "$T/diff.$id" | sed 's/^/    | /'; }
done
[ "$(wc -l <"$OUTF")" = $((2 * N)) ] && pass "out.txt: $((2 * N)) lines in all" \
    || fail "out.txt has $(wc -l <"$OUTF") lines"
grep -q '^ACK TIMEOUT' "$T/a2.err" "$T/b2.err" && pass "a silent receiver: ACK TIMEOUT, HELLO again" \
    || fail "no ACK TIMEOUT while the receiver was stopped"
grep -hE '^TRUNCATED' "$T"/r[234].err | sed 's/^/    /'
grep -hE 'WELCOME acked=[0-9]+ delivered=[0-9]+: sending from' "$T"/[ab][123].err | head -4 | sed 's/^/    /'
echo "    hellos/resends: $(grep -h '^DONE' "$T"/a3.err "$T"/b2.err | tr '\n' ' ')"

echo "== a sender run again after it finished"
WAS=$(wc -l <"$OUTF")
start a4 send --connect "$EP" --id a --count "$N" --state "$T/s_a" --timeout-s 20
wait_exit "$PID_a4" 20
[ "$RC" = 0 ] && [ "$(cat "$T/a4.out")" = "ACKED $N" ] && grep -q "^WELCOME acked=$((N - 1)) delivered=$((N - 1))" "$T/a4.err" \
    && [ "$(wc -l <"$OUTF")" = "$WAS" ] && pass "exit 0 at once (WELCOME acked=$((N - 1))), nothing sent again" \
    || fail "finished sender again: rc=$RC"
start a5 send --connect "$EP" --id a --count "$((N + 5))" --state "$T/s_a" --timeout-s 20
wait_exit "$PID_a5" 20
[ "$RC" = 0 ] && exact "$OUTF" a $((N + 5)) && pass "--count $((N + 5)) on the same state: only the 5 new ones" \
    || fail "count+5: rc=$RC"
start dup send --connect "$EP" --id a --count 3 --state "$T/s_a" --timeout-s 5
wait_exit "$PID_dup" 10
[ "$RC" = 3 ] && grep -q "^PROTOCOL ERROR: WELCOME delivered 2004: beyond this sender's last message 2" "$T/dup.err" \
    && pass "--count 3 on that state: WELCOME delivered 2004 is a PROTOCOL ERROR, exit 3" || fail "count 3: rc=$RC"
start c1 send --connect "$EP" --id c --count 10 --state "$T/s_c" --timeout-s 20
wait_exit "$PID_c1" 20
rm -rf "$T/s_c"
start c2 send --connect "$EP" --id c --count 10 --state "$T/s_c" --timeout-s 20
wait_exit "$PID_c2" 20
[ "$RC" = 0 ] && [ "$(grep -c '^c-' "$OUTF")" = 20 ] && grep -q '(new epoch (was ' "$T/$RECV.err" \
    && pass "sender c with a new state (new epoch): a new stream, all 10 again" || fail "new epoch: rc=$RC"
start lock send --connect "$EP" --id a --count $((N + 5)) --state "$T/s_a" --timeout-s 5
start lock2 send --connect "$EP" --id a --count $((N + 5)) --state "$T/s_a" --timeout-s 5
wait_exit "$PID_lock" 10; R1=$RC; wait_exit "$PID_lock2" 10
grep -q 'in use by another process' "$T/lock.err" "$T/lock2.err" || [ "$R1$RC" = 00 ] \
    && pass "two senders on one state directory: refused or both fine" || fail "lock"

# --------------------------------------------------------------------------
cat >"$T/fake.py" <<'EOF'
"""Fake peers. `receiver MODE`: a ROUTER that answers the sender's HELLO as MODE says.
`sender EP`: a DEALER that plays the protocol against a receiver and checks each answer."""
import struct, sys, time, zmq
Q = struct.Struct(">q")
def welcome(a, d): return [b"\x02" + Q.pack(a) + Q.pack(d)]
def ack(n): return [b"\x04" + Q.pack(n)]
def hello(epoch, ident, version=1):
    return [bytes([1, version]) + epoch + bytes([len(ident)]) + ident]
def data(n, p): return [b"\x03" + Q.pack(n), p]
ctx = zmq.Context()
role = sys.argv[1]
if role == "receiver":
    mode = sys.argv[2]
    r = ctx.socket(zmq.ROUTER); r.setsockopt(zmq.LINGER, 500); r.bind("tcp://127.0.0.1:0")
    print(r.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)
    def get(t=5):
        if not r.poll(t * 1000):
            print("NOTHING", flush=True); sys.exit(1)
        m = r.recv_multipart(); return m[0], m[1:]
    who, m = get()
    assert m[0][0] == 1, m
    send = lambda f: r.send_multipart([who] + f)
    if mode == "acked_gt_delivered": send(welcome(5, 3))
    elif mode == "welcome_beyond": send(welcome(-1, 10))
    elif mode == "short_welcome": send([b"\x02" + Q.pack(-1) + Q.pack(-1)[:7]])
    elif mode == "who_extra": send([b"\x05", b"x"])
    elif mode == "hello_to_sender": send(hello(b"e" * 8, b"x"))
    elif mode == "unknown_command": send([b"\x07"])
    elif mode == "ack_first": send(ack(0))
    elif mode in ("ack_unsent", "welcome_regress", "goback", "silence", "who"):
        send(welcome(-1, -1))
        got = [Q.unpack_from(get()[1][0], 1)[0] for _ in range(10)]
        assert got == list(range(10)), got
        if mode == "ack_unsent": send(ack(10))
        elif mode == "welcome_regress": send(ack(5)); send(welcome(2, 2))
        else:
            if mode == "goback":
                send(welcome(3, 3)); expect = 4
            else:
                if mode == "who":
                    send([b"\x05"])
                _, m = get()                            # silence or WHO: HELLO again
                assert m[0][0] == 1, m
                print("HELLO AGAIN", flush=True)
                send(welcome(6, 6)); expect = 7
            _, m = get()
            assert m[0][0] == 3 and Q.unpack_from(m[0], 1)[0] == expect, m
            print("RESENT FROM %d" % expect, flush=True)
            send(ack(expect))
            end = time.monotonic() + 10                 # then acknowledge everything
            while time.monotonic() < end and r.poll(1000):
                _, m = get(); send(ack(Q.unpack_from(m[0], 1)[0]))
    time.sleep(1)
    sys.exit(0)
# role sender: drive a receiver at EP and check each answer
ep = sys.argv[2]
fails = 0
def sock():
    s = ctx.socket(zmq.DEALER); s.setsockopt(zmq.LINGER, 0); s.connect(ep); return s
def check(s, name, frames, want):
    global fails
    s.send_multipart(frames)
    got = s.recv_multipart() if s.poll(2000) else None
    if want == "nothing":
        ok = got is None
    else:
        ok = got == want
    print("%s %s" % ("OK" if ok else "FAIL", name), flush=True)
    if not ok:
        fails += 1; print("   got %r want %r" % (got, want), flush=True)
s = sock()
check(s, "DATA without HELLO -> WHO", data(0, b"x"), [b"\x05"])
check(s, "unknown command -> dropped", [b"\x09"], "nothing")
check(s, "HELLO version 2 -> dropped", hello(b"E" * 8, b"x", 2), "nothing")
check(s, "HELLO id length 0 -> dropped", [b"\x01\x01" + b"E" * 8 + b"\x00"], "nothing")
check(s, "HELLO id length says 3, id is 1 -> dropped", [b"\x01\x01" + b"E" * 8 + b"\x03x"], "nothing")
check(s, "HELLO -> WELCOME -1 -1", hello(b"E" * 8, b"x"), welcome(-1, -1))
check(s, "DATA 0 -> ACK 0", data(0, b"x-0"), ack(0))
check(s, "DATA 0 again (duplicate) -> ACK 0", data(0, b"x-0"), ack(0))
check(s, "DATA 5 (gap) -> WELCOME 0 0", data(5, b"x-5"), welcome(0, 0))
check(s, "DATA 6 (same gap) -> nothing", data(6, b"x-6"), "nothing")
check(s, "DATA 1 -> ACK 1", data(1, b"x-1"), ack(1))
check(s, "HELLO again -> WELCOME 1 1", hello(b"E" * 8, b"x"), welcome(1, 1))
t = sock()
check(t, "HELLO on a second connection -> WELCOME 1 1", hello(b"E" * 8, b"x"), welcome(1, 1))
check(s, "DATA 2 on the first, superseded connection -> WHO", data(2, b"x-2"), [b"\x05"])
check(t, "HELLO with a new epoch -> WELCOME -1 -1", hello(b"F" * 8, b"x"), welcome(-1, -1))
check(t, "DATA 0 of the new epoch -> ACK 0", data(0, b"y-0"), ack(0))
check(t, "DATA with 3 frames from a known sender -> receiver exits", data(1, b"y-1") + [b"z"], "nothing")
sys.exit(1 if fails else 0)
EOF

echo "== receiver: protocol details and strictness (fake sender)"
EP2="tcp://127.0.0.1:$(free_port)"
start strict recv --bind "$EP2" --state "$T/strict" --out "$T/strict.txt"
wait_for "$T/strict.out" "^READY $EP2\$" 5 || fail "strict receiver not READY"
"$PY" "$T/fake.py" sender "$EP2" >"$T/fakesender.out" 2>&1 </dev/null 9>&-
sed 's/^/    /' "$T/fakesender.out"
grep -q FAIL "$T/fakesender.out" && fail "fake sender checks" || pass "fake sender: every answer as specified"
wait_exit "$PID_strict" 5
[ "$RC" = 3 ] && grep -q '^PROTOCOL ERROR: DATA must be 2 frame(s), got 3' "$T/strict.err" \
    && pass "receiver: malformed DATA from a known sender -> PROTOCOL ERROR, exit 3" || fail "strict rc=$RC"
[ "$(grep -c '^PROTOCOL ERROR: from an unknown connection' "$T/strict.err")" = 4 ] \
    && pass "receiver: 4 malformed commands from an unknown connection reported and dropped" \
    || fail "unknown-connection PROTOCOL ERRORs: $(grep -c 'PROTOCOL ERROR' "$T/strict.err")"
[ "$(cat "$T/strict.txt")" = $'x-0\nx-1\ny-0' ] && pass "its FILE: x-0, x-1, y-0" \
    || { fail "strict FILE"; sed 's/^/    | /' "$T/strict.txt"; }

echo "== sender: strictness and go-back-N (fake receiver)"
# fake_recv NAME MODE RC [SENDER ARGS] : the sender against a fake receiver in MODE exits RC
fake_recv() {
    local name=$1 mode=$2 rc=$3; shift 3
    "$PY" "$T/fake.py" receiver "$mode" >"$T/fake_$mode.out" 2>&1 </dev/null 9>&- &
    local fpid=$!; PIDS+=($fpid)
    wait_for "$T/fake_$mode.out" '^tcp://' 5
    start "f_$mode" send --connect "$(head -1 "$T/fake_$mode.out")" --id s --count 20 \
        --state "$T/fs_$mode" --window 10 --ack-timeout-ms 300 --timeout-s 15 "$@"
    local pid_var="PID_f_$mode"
    wait_exit "${!pid_var}" 20
    if [ "$RC" = "$rc" ] && { [ "$rc" != 3 ] || grep -q '^PROTOCOL ERROR: ' "$T/f_$mode.err"; }; then
        pass "$name: exit $rc"
    else
        fail "$name: rc=$RC (want $rc)"; sed 's/^/    stderr| /' "$T/f_$mode.err"
    fi
    [ "$rc" = 3 ] && grep '^PROTOCOL ERROR' "$T/f_$mode.err" | sed 's/^/    /'
    wait_exit "$fpid" 15
}
fake_recv "WELCOME acked 5 > delivered 3" "acked_gt_delivered" 3
fake_recv "WELCOME delivered 10 of --count 5" welcome_beyond 3 --count 5
fake_recv "WELCOME of 16 bytes" short_welcome 3
fake_recv "WHO with an extra frame" who_extra 3
fake_recv "HELLO sent to the sender" hello_to_sender 3
fake_recv "unknown command 0x07" unknown_command 3
fake_recv "ACK 10 when 0..9 were sent" ack_unsent 3
fake_recv "ACK before any WELCOME" ack_first 3
fake_recv "WELCOME acked 2 after ACK 5" welcome_regress 3
fake_recv "WELCOME 3 3 after 0..9 sent: go back to 4" goback 0
grep -q '^RESENT FROM 4' "$T/fake_goback.out" && pass "  the next DATA after it is 4" || fail "  no go-back to 4"
fake_recv "silence 300 ms with 10 outstanding" silence 0
grep -q '^HELLO AGAIN' "$T/fake_silence.out" && grep -q '^ACK TIMEOUT' "$T/f_silence.err" \
    && pass "  ACK TIMEOUT, HELLO again, resent from the WELCOME's position" || fail "  no HELLO after silence"
fake_recv "WHO mid-stream" who 0
grep -q '^HELLO AGAIN' "$T/fake_who.out" && pass "  WHO -> HELLO again" || fail "  no HELLO after WHO"

# --------------------------------------------------------------------------
echo "== logs"
n=$(grep -l 'PROTOCOL ERROR' "$T"/[rab][0-9].err "$T"/a[45].err "$T"/c[12].err 2>/dev/null | wc -l)
[ "$n" = 0 ] && pass "no PROTOCOL ERROR between the python peers" \
    || { fail "PROTOCOL ERROR in $n logs"; grep 'PROTOCOL ERROR' "$T"/[rab][0-9].err | head; }
exec 9>&-
pid_var="PID_$RECV"
wait_exit "${!pid_var}" 5
[ "$RC" = 0 ] && pass "receiver exits 0 on stdin EOF" || fail "receiver on stdin EOF: rc=$RC"

echo
if [ "$FAILS" -eq 0 ]; then echo "ALL PASSED"; else echo "$FAILS FAILED"; fi
[ "$FAILS" -eq 0 ]
