# Shared by the *_peer_selftest.sh scripts, sourced after they set HERE and PEER: a temporary
# directory, the lifeline fifo on fd 9 (peers exit on its EOF), cleanup of every started peer on
# exit, pass/fail counting, start and bounded wait_for. Every wait is bounded.
PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$PEER" .py)_selftest.XXXXXX")
PIDS=()
FAILS=0

cleanup() {
    exec 9>&- 2>/dev/null
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    sleep 0.3
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
    [ "$FAILS" -eq 0 ] && rm -rf "$T" || echo "logs kept in $T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkfifo "$T/lifeline"
exec 9<>"$T/lifeline"

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; FAILS=$((FAILS + 1)); }

# start NAME ARGS... : run a peer in the background; logs in $T/NAME.{out,err}
start() {
    local name=$1; shift
    "$PY" "$PEER" "$@" <"$T/lifeline" >"$T/$name.out" 2>"$T/$name.err" 9>&- &
    PIDS+=($!)
    printf -v "PID_$name" %s $!
}
# wait_for FILE ERE SECONDS
wait_for() {
    local i
    for ((i = 0; i < $3 * 20; i++)); do
        grep -qE -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}
# wait_exit PID SECONDS : sets RC to the exit code, returns 1 if still running
wait_exit() {
    local i
    for ((i = 0; i < $2 * 20; i++)); do
        if ! kill -0 "$1" 2>/dev/null; then { wait "$1"; RC=$?; } 2>/dev/null; return 0; fi
        sleep 0.05
    done
    RC=timeout; return 1
}
