#!/usr/bin/python3
"""Binary Star reference peer for zmq4j interop tests.

There is no RFC for Binary Star. Written from the zguide's chapter 4 prose
"High-Availability Pair (Binary Star Pattern)" (requirements, the finite state
machine figure, the client-vote rule) and, for wire facts only, the zguide's
examples bstarsrv.c / bstar.c / bstarcli.c and bstarsrv.py (no code taken):

  * states PRIMARY=1 BACKUP=2 ACTIVE=3 PASSIVE=4; events PEER_PRIMARY=1
    PEER_BACKUP=2 PEER_ACTIVE=3 PEER_PASSIVE=4 CLIENT_REQUEST=5 (a peer's state
    number is the event it causes);
  * every heartbeat (1000 ms) a node publishes its state on a PUB socket as ONE
    frame holding the state number as an ASCII decimal string, no terminator
    (C: sprintf "%d" + zstr_send; Python: send("%d" % state)), i.e. b"1".."4";
  * each node BINDS its frontend (ROUTER) and its state PUB, and CONNECTS its SUB
    (subscribed to everything) to the peer's state PUB;
  * the peer is "dead" when no state came from it for 2 heartbeats;
  * a request is answered (echoed, all frames unchanged) only when the state
    machine accepts the CLIENT_REQUEST event, otherwise it is dropped.

Roles (see --help of each):
  node   --primary|--backup --frontend EP --statepub EP --statesub EP
  client --connect EP1 --connect EP2 FRAME...   (bstarcli: REQ, Lazy Pirate failover)

The node is STRICT about the state messages: anything but one frame b"1".."4" is
reported on stderr as "PROTOCOL ERROR: <what>; frames=[hex,...]" and ignored.
Exit codes: 0 ok (a node also on SIGTERM/SIGINT/stdin EOF), 1 client interrupted
(signal or stdin EOF before it finished), 2 client TIMEOUT (or a usage error, argparse's
code, with "usage:" on stderr), 3 node fatal error ("FATAL: dual active" /
"FATAL: dual passive" on stderr).
Every role ends on SIGTERM/SIGINT and on EOF of its standard input.
Only the Python standard library and pyzmq are used.
"""
import argparse
import sys
import time

import zmq

from peer_common import hexframes, Lifeline, log, non_negative, poll_ms, positive

PRIMARY, BACKUP, ACTIVE, PASSIVE = 1, 2, 3, 4
PEER_PRIMARY, PEER_BACKUP, PEER_ACTIVE, PEER_PASSIVE, CLIENT_REQUEST = 1, 2, 3, 4, 5
NAMES = {PRIMARY: "PRIMARY", BACKUP: "BACKUP", ACTIVE: "ACTIVE", PASSIVE: "PASSIVE"}
# the wire form of each state: its number as an ASCII decimal string
WIRE = {state: b"%d" % state for state in NAMES}
FROM_WIRE = {v: k for k, v in WIRE.items()}

# zguide bstarcli: REQUEST_TIMEOUT 1000 ms, SETTLE_DELAY 2000 ms before failing over
# (the chapter: the delay between retries must be at least the failover timeout).
REQUEST_TIMEOUT_MS = 1000
SETTLE_DELAY_MS = 2000


# ---------------------------------------------------------------------------
# Node (one server of a Binary Star pair, echoing client requests while ACTIVE)
# ---------------------------------------------------------------------------

class Fatal(Exception):
    pass


class Node:
    def __init__(self, args):
        self.hb = args.heartbeat_ms / 1000.0
        self.state = PRIMARY if args.primary else BACKUP
        # The peer counts as alive for 2 heartbeats from start-up, as if just heard:
        # a node never votes itself ACTIVE on a client request before it has had the
        # chance to hear a peer that may already be active (the chapter: a server
        # becomes active only when it gets client requests AND cannot see its peer).
        self.peer_expiry = time.monotonic() + 2 * self.hb
        self.peer_state = None          # last state heard from the peer
        self.peer_silent_logged = False
        self.warned = set()
        self.ctx = zmq.Context()
        self.frontend = self.ctx.socket(zmq.ROUTER)
        self.frontend.setsockopt(zmq.LINGER, 0)
        self.frontend.setsockopt(zmq.ROUTER_MANDATORY, 1)     # log replies to lost clients
        self.frontend.bind(args.frontend)
        self.statepub = self.ctx.socket(zmq.PUB)
        self.statepub.setsockopt(zmq.LINGER, 0)
        self.statepub.bind(args.statepub)
        self.statesub = self.ctx.socket(zmq.SUB)
        self.statesub.setsockopt(zmq.LINGER, 0)
        self.statesub.setsockopt(zmq.SUBSCRIBE, b"")
        self.statesub.connect(args.statesub)

    def set_state(self, state, why):
        self.state = state
        log("%s (%s)" % (NAMES[state].lower(), why))
        log("STATE %s" % NAMES[state])

    def peer_dead(self, now):
        return now >= self.peer_expiry

    def execute(self, event, now):
        """Apply one event to the state machine. True when a CLIENT_REQUEST is
        accepted (the node may answer it); raises Fatal on split brain / deadlock."""
        state = self.state
        if state == PRIMARY:
            if event == PEER_BACKUP:
                self.set_state(ACTIVE, "peer is backup, waiting for us")
            elif event == PEER_ACTIVE:
                self.set_state(PASSIVE, "peer is already active")
            elif event == CLIENT_REQUEST:
                # the chapter's FSM: Primary --client request--> Active. Like bstar.c,
                # only while the peer is silent, so a restarted primary does not take
                # over from a backup that is active (failback stays manual).
                if not self.peer_dead(now):
                    return False
                self.set_state(ACTIVE, "client request, no active peer")
                return True
            elif event == PEER_PRIMARY:
                self.warn("peer also says PRIMARY: are both nodes configured --primary?")
        elif state == BACKUP:
            if event == PEER_ACTIVE:
                self.set_state(PASSIVE, "peer is active")
            elif event == CLIENT_REQUEST:
                return False            # a backup only takes over from PASSIVE
            elif event == PEER_BACKUP:
                self.warn("peer also says BACKUP: are both nodes configured --backup?")
        elif state == ACTIVE:
            if event == PEER_ACTIVE:
                log("peer is active too: split brain")
                raise Fatal("FATAL: dual active")
            if event == CLIENT_REQUEST:
                return True
            # PEER_PRIMARY/BACKUP: the peer restarts and will go passive on our state;
            # PEER_PASSIVE: normal.
        elif state == PASSIVE:
            if event == PEER_PRIMARY:
                self.set_state(ACTIVE, "peer (primary) is restarting")
            elif event == PEER_BACKUP:
                self.set_state(ACTIVE, "peer (backup) is restarting")
            elif event == PEER_PASSIVE:
                log("peer is passive too: nobody would serve clients")
                raise Fatal("FATAL: dual passive")
            elif event == CLIENT_REQUEST:
                # the client vote: a client request AND a peer silent for 2 heartbeats
                if not self.peer_dead(now):
                    return False
                self.set_state(ACTIVE, "failover: client vote, peer silent for %d ms"
                               % (2 * self.hb * 1000))
                return True
        return False

    def warn(self, what):
        if what not in self.warned:
            self.warned.add(what)
            log("WARNING: %s" % what)

    def on_state_message(self, frames, now):
        # bstarsrv: one frame, the peer's state number in ASCII decimal
        if len(frames) != 1:
            log("PROTOCOL ERROR: state message must be one frame; frames=%s" % hexframes(frames))
            return
        event = FROM_WIRE.get(frames[0])
        if event is None:
            log("PROTOCOL ERROR: state message is not a state number \"1\"..\"4\" in ASCII "
                "decimal; frames=%s" % hexframes(frames))
            return
        self.peer_expiry = now + 2 * self.hb
        if event != self.peer_state or self.peer_silent_logged:
            log("PEER %s" % NAMES[event])
        self.peer_state = event
        self.peer_silent_logged = False
        self.execute(event, now)

    def on_request(self, frames, now):
        if self.execute(CLIENT_REQUEST, now):
            try:
                self.frontend.send_multipart(frames, zmq.NOBLOCK)
                log("ECHO from=%s frames=%d" % (frames[0].hex(), len(frames) - 1))
            except zmq.ZMQError as e:   # EHOSTUNREACH: client gone; EAGAIN: HWM
                log("DROP reply to=%s: %s" % (frames[0].hex(), e))
        else:
            log("IGNORE request from=%s: %s%s" % (
                frames[0].hex(), NAMES[self.state],
                "" if self.peer_dead(now) or self.state == BACKUP else ", peer alive"))

    def run(self):
        log("STATE %s" % NAMES[self.state])
        print("READY", flush=True)
        poller = zmq.Poller()
        poller.register(self.frontend, zmq.POLLIN)
        poller.register(self.statesub, zmq.POLLIN)
        life = Lifeline(poller)
        send_state_at = time.monotonic() + self.hb
        code = 0
        try:
            while True:
                wake = send_state_at
                if not self.peer_silent_logged:
                    wake = min(wake, self.peer_expiry)
                events = dict(poller.poll(poll_ms(wake - time.monotonic())))
                if life.check(events):
                    break
                self.drain(self.frontend, self.on_request)
                self.drain(self.statesub, self.on_state_message)
                now = time.monotonic()
                if not self.peer_silent_logged and self.peer_dead(now):
                    self.peer_silent_logged = True
                    log("PEER SILENT for %d ms" % (2 * self.hb * 1000))
                if now >= send_state_at:
                    self.statepub.send(WIRE[self.state])
                    send_state_at = now + self.hb
        except Fatal as e:
            log(str(e))
            code = 3
        for s in (self.frontend, self.statepub, self.statesub):
            s.close(0)
        self.ctx.term()
        return code

    @staticmethod
    def drain(sock, handler):
        while True:
            try:
                frames = sock.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            handler(frames, time.monotonic())


# ---------------------------------------------------------------------------
# Client (zguide bstarcli: REQ, Lazy Pirate, fail over to the other server)
# ---------------------------------------------------------------------------

class Interrupted(Exception):
    pass


class Client:
    def __init__(self, args):
        self.args = args
        self.body = [f.encode("utf-8") for f in args.frames]
        self.ctx = zmq.Context()
        self.poller = zmq.Poller()
        self.life = Lifeline(self.poller)
        self.server = 0
        self.sock = None

    def open(self):
        endpoint = self.args.connect[self.server]
        log("CONNECT %s" % endpoint)
        self.sock = self.ctx.socket(zmq.REQ)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(endpoint)
        self.poller.register(self.sock, zmq.POLLIN)

    def close(self):
        self.poller.unregister(self.sock)
        self.sock.close(0)
        self.sock = None

    def wait(self, seconds):
        """Wait for a reply (True), or let time pass (sock None); signals and stdin
        EOF raise Interrupted."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            events = dict(self.poller.poll(poll_ms(left)))
            if self.life.check(events):
                raise Interrupted()
            if self.sock is not None and self.sock in events:
                return True

    def run(self):
        args = self.args
        try:
            self.open()
            for number in range(1, args.requests + 1):
                sends = 0
                while True:
                    self.sock.send_multipart(self.body)
                    sends += 1
                    if self.wait(args.timeout_ms / 1000.0):
                        break
                    # Lazy Pirate: a REQ socket that lost its reply is stuck; close it.
                    # Binary Star: the client's vote goes to the other server now.
                    self.close()
                    if sends > args.retries:
                        log("request %d: no reply after %d sends of %d ms; abandoning"
                            % (number, sends, args.timeout_ms))
                        log("TIMEOUT")
                        return 2
                    self.server = (self.server + 1) % len(args.connect)
                    log("FAILOVER request %d: no reply in %d ms, to %s after %d ms"
                        % (number, args.timeout_ms, args.connect[self.server], args.settle_ms))
                    self.wait(args.settle_ms / 1000.0)
                    self.open()
                reply = self.sock.recv_multipart()
                log("REPLY request %d from %s frames=%d"
                    % (number, args.connect[self.server], len(reply)))
                for f in reply:
                    print(f.decode("utf-8", "backslashreplace"))
                sys.stdout.flush()
            return 0
        except Interrupted:
            log("INTERRUPTED")
            return 1
        finally:
            if self.sock is not None:
                self.close()
            self.ctx.term()


# ---------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description="Binary Star (zguide chapter 4) test peer")
    sub = p.add_subparsers(dest="role", required=True)

    n = sub.add_parser("node", help="one server of a Binary Star pair (echo while ACTIVE)")
    role = n.add_mutually_exclusive_group(required=True)
    role.add_argument("--primary", action="store_true")
    role.add_argument("--backup", action="store_true")
    n.add_argument("--frontend", required=True, help="bind endpoint (ROUTER) for clients")
    n.add_argument("--statepub", required=True, help="bind endpoint (PUB) of our state")
    n.add_argument("--statesub", required=True, help="connect endpoint: the peer's statepub")
    n.add_argument("--heartbeat-ms", type=positive, default=1000)

    c = sub.add_parser("client", help="Binary Star client (REQ, Lazy Pirate failover)")
    c.add_argument("--connect", required=True, action="append",
                   help="server frontend: primary first, then backup")
    c.add_argument("--timeout-ms", type=positive, default=REQUEST_TIMEOUT_MS)
    c.add_argument("--settle-ms", type=non_negative, default=SETTLE_DELAY_MS,
                   help="pause before failing over (>= the servers' 2-heartbeat timeout)")
    c.add_argument("--retries", type=non_negative, default=3,
                   help="failovers per request before giving up (retries+1 sends)")
    c.add_argument("--requests", type=positive, default=1)
    c.add_argument("frames", nargs="+", metavar="FRAME")

    args = p.parse_args(argv)
    if args.role == "node":
        return Node(args).run()
    return Client(args).run()


if __name__ == "__main__":
    sys.exit(main())
