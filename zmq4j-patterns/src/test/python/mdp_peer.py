#!/usr/bin/python3
"""Majordomo Protocol reference peer for zmq4j interop tests.

Written directly from the specification text (no code taken from elsewhere):
  rfc 7   7/MDP  MDP/0.1   /work/shared/specs/rfc-7-MDP.md
  rfc 18  18/MDP MDP/0.2   /work/shared/specs/rfc-18-MDP.md
  rfc 8   8/MMI            /work/shared/specs/rfc-8-MMI.md

Roles (see --help of each):
  broker --bind EP      ROUTER broker speaking both MDP/0.1 and MDP/0.2, with MMI
  worker --connect EP   echo worker (MDP/0.1 or MDP/0.2, optional PARTIAL replies)
  client --connect EP   one-shot client printing the reply frames

Every peer is STRICT: a received message that does not match the RFC framing is
reported on stderr as "PROTOCOL ERROR: <what>; frames=[hex,...]".
Exit codes: 0 ok, 2 client TIMEOUT, 3 protocol error (worker, client).
Only the Python standard library and pyzmq are used.
"""
import argparse
import collections
import sys
import time

import zmq

from peer_common import hexframes, Lifeline, log

# Protocol headers (rfc 7 and rfc 18, "MDP/Client" and "MDP/Worker").
C01, W01, C02, W02 = b"MDPC01", b"MDPW01", b"MDPC02", b"MDPW02"
HEADERS = {("client", 1): C01, ("worker", 1): W01,
           ("client", 2): C02, ("worker", 2): W02}

# Worker sub-protocol command table: version -> code -> (name, sender, shape).
#   sender: "W" = only worker->broker, "B" = only broker->worker, "*" = either.
#   shape:  "service"  = exactly one service-name frame follows the command,
#           "envelope" = client address, empty delimiter, 1+ body frames,
#           "none"     = nothing follows the command frame.
WORKER_COMMANDS = {
    1: {  # rfc 7 "MDP/Worker": READY 4 frames, REQUEST/REPLY 6+, HEARTBEAT/DISCONNECT 3
        0x01: ("READY", "W", "service"), 0x02: ("REQUEST", "B", "envelope"),
        0x03: ("REPLY", "W", "envelope"), 0x04: ("HEARTBEAT", "*", "none"),
        0x05: ("DISCONNECT", "*", "none")},
    2: {  # rfc 18 "MDP/Worker": READY 3 frames, REQUEST/PARTIAL/FINAL 5+, HEARTBEAT/DISCONNECT 2
        0x01: ("READY", "W", "service"), 0x02: ("REQUEST", "B", "envelope"),
        0x03: ("PARTIAL", "W", "envelope"), 0x04: ("FINAL", "W", "envelope"),
        0x05: ("HEARTBEAT", "*", "none"), 0x06: ("DISCONNECT", "*", "none")},
}
# rfc 18 "MDP/Client": MDP/0.2 client commands carry a command frame.
# rfc 7 "MDP/Client" has none: REQUEST and REPLY differ only in direction.
CLIENT_COMMANDS_V2 = {0x01: ("REQUEST", "C"), 0x02: ("PARTIAL", "B"), 0x03: ("FINAL", "B")}
SENDER_NAMES = {"C": "client", "W": "worker", "B": "broker"}


class ProtocolError(Exception):
    def __init__(self, what, frames):
        super().__init__("%s; frames=%s" % (what, hexframes(frames)))


Msg = collections.namedtuple("Msg", "role version name service address body raw")


def code_of(table, name):
    return next(code for code, entry in table.items() if entry[0] == name)


def encode(role, version, name, service=b"", address=None, body=()):
    """Build the frames of one command exactly as the RFC lays them out."""
    # rfc 7: every command starts with an empty frame 0; rfc 18 removed it.
    frames = [b""] if version == 1 else []
    frames.append(HEADERS[role, version])
    if role == "client":
        if version == 2:
            frames.append(bytes([code_of(CLIENT_COMMANDS_V2, name)]))
        return frames + [service] + list(body)
    frames.append(bytes([code_of(WORKER_COMMANDS[version], name)]))
    if name == "READY":
        frames.append(service)
    elif address is not None:           # REQUEST / REPLY / PARTIAL / FINAL
        frames += [address, b""] + list(body)
    return frames


def check_service(frame, frames):
    """Service name is a "printable string" (rfc 7/18); we also require non-empty."""
    try:
        text = frame.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if not text or not text.isprintable():
        raise ProtocolError("service name frame is not a non-empty printable string", frames)


def decode(frames, role, version, sender):
    """Validate `frames` (without any ROUTER identity) as a command of the given
    sub-protocol/version sent by `sender` ("C", "W" or "B"); return a Msg or raise."""
    header = HEADERS[role, version]
    prefix = [b"", header] if version == 1 else [header]
    if frames[:len(prefix)] != prefix:
        want = "empty frame 0 + " if version == 1 else ""
        raise ProtocolError("expected %s%s header" % (want, header.decode()), frames)
    rest = frames[len(prefix):]
    if role == "client":
        if version == 1:
            name = "REQUEST" if sender == "C" else "REPLY"
        else:
            name, who = lookup(CLIENT_COMMANDS_V2, rest, frames)
            check_direction(name, who, sender, frames)
            rest = rest[1:]
        # rfc 7/18 "MDP/Client": 4 or more frames = service name + at least one body frame
        if len(rest) < 2:
            raise ProtocolError("client %s needs a service frame and 1+ body frames" % name, frames)
        check_service(rest[0], frames)
        return Msg(role, version, name, rest[0], None, rest[1:], frames)
    name, who, shape = lookup(WORKER_COMMANDS[version], rest, frames)
    check_direction(name, who, sender, frames)
    rest = rest[1:]
    if shape == "none":
        if rest:
            raise ProtocolError("%s must have no frames after the command" % name, frames)
        return Msg(role, version, name, None, None, [], frames)
    if shape == "service":
        if len(rest) != 1:
            raise ProtocolError("%s must carry exactly one service frame" % name, frames)
        check_service(rest[0], frames)
        return Msg(role, version, name, rest[0], None, [], frames)
    # rfc 7/18 "Request and Reply Processing": precisely one client address frame,
    # followed by an empty frame; then (frame counts "6/5 or more") 1+ body frames.
    if len(rest) < 3:
        raise ProtocolError("%s needs client address, empty frame and 1+ body frames" % name, frames)
    if not rest[0]:
        raise ProtocolError("%s client address frame is empty" % name, frames)
    if rest[1] != b"":
        raise ProtocolError("%s client address not followed by an empty frame" % name, frames)
    return Msg(role, version, name, None, rest[0], rest[2:], frames)


def lookup(table, rest, frames):
    if not rest:
        raise ProtocolError("missing command frame", frames)
    if len(rest[0]) != 1:
        raise ProtocolError("command frame must be exactly one byte", frames)
    if rest[0][0] not in table:
        raise ProtocolError("unknown command code 0x%02x" % rest[0][0], frames)
    return table[rest[0][0]]


def check_direction(name, who, sender, frames):
    if who not in ("*", sender):
        raise ProtocolError("%s is not a command a %s may send" % (name, SENDER_NAMES[sender]),
                            frames)


# ---------------------------------------------------------------------------
# Broker (rfc 7/18 "Architecture", one ROUTER socket for both sub-protocols)
# ---------------------------------------------------------------------------

class Request:
    def __init__(self, client, version, service, body):
        self.client, self.version, self.service, self.body = client, version, service, body


class Worker:
    def __init__(self, identity, version, service, expiry, next_hb):
        self.identity, self.version, self.service = identity, version, service
        self.expiry, self.next_hb, self.request = expiry, next_hb, None


class Service:
    def __init__(self):
        self.queue = collections.deque()    # pending Requests, FIFO
        self.idle = collections.deque()     # idle Workers, least recently used first


class Broker:
    def __init__(self, args):
        self.hb = args.heartbeat_ms / 1000.0
        self.expiry_s = args.liveness * self.hb
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.ROUTER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.bind(args.bind)
        self.services = {}
        self.workers = {}                   # identity -> Worker
        self.ever_registered = set()        # identities that once sent a valid READY

    def run(self):
        print("READY " + self.sock.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)
        poller = zmq.Poller()
        poller.register(self.sock, zmq.POLLIN)
        life = Lifeline(poller)
        while True:
            deadline = min([time.monotonic() + self.hb] +
                           [min(w.expiry, w.next_hb) for w in self.workers.values()])
            events = dict(poller.poll(max(0.0, deadline - time.monotonic()) * 1000))
            if life.check(events):
                break
            while self.sock in events:       # drain everything that is queued
                try:
                    frames = self.sock.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                self.handle(frames)
            now = time.monotonic()
            # rfc 7/18 "Heartbeating": both peers MUST send heartbeats at regular
            # intervals, but SHOULD NOT while sending other commands: each registered
            # worker (idle or busy) gets one when nothing was sent to it for heartbeat-ms.
            for w in [w for w in self.workers.values() if w.next_hb <= now]:
                self.send_worker(w, "HEARTBEAT")
            for w in [w for w in self.workers.values() if w.expiry <= now]:
                log("EXPIRE worker %s %s: silent for %.0f ms"
                    % (w.identity.hex(), w.service.decode(), self.expiry_s * 1000))
                self.remove_worker(w)       # rfc: stop sending it messages of any type
        self.sock.close(0)
        self.ctx.term()
        return 0

    def protocol_error(self, identity, text, frames=None):
        if frames is not None:
            text += "; frames=" + hexframes(frames)
        log("PROTOCOL ERROR: from %s: %s" % (identity.hex(), text))

    def handle(self, frames):
        identity, rest = frames[0], frames[1:]
        # Tell the versions apart by their header (rfc 7: empty frame 0 then
        # MDPC01/MDPW01; rfc 18: MDPC02/MDPW02 in frame 0, no empty frame).
        if len(rest) >= 2 and rest[0] == b"" and rest[1] in (C01, W01):
            header, version = rest[1], 1
        elif rest and rest[0] in (C02, W02):
            header, version = rest[0], 2
        else:
            if rest and rest[0] in (C01, W01):
                what = "MDP/0.1 header without the leading empty frame (rfc 7)"
            elif rest and rest[0] == b"":
                what = "empty frame not followed by MDPC01/MDPW01 (rfc 7)"
            else:
                what = "unknown protocol header"
            self.protocol_error(identity, what, rest)
            self.drop_invalid(identity)
            return
        role = "client" if header in (C01, C02) else "worker"
        try:
            msg = decode(rest, role, version, "C" if role == "client" else "W")
        except ProtocolError as e:
            self.protocol_error(identity, str(e))
            if role == "worker":
                self.drop_invalid(identity)
            return
        service = msg.service
        if role == "worker" and identity in self.workers:
            service = self.workers[identity].service
        log(" ".join(p for p in ("RECV", role, msg.name, service and service.decode(),
                                 header.decode(), "id=" + identity.hex()) if p))
        if role == "client":
            self.on_client(identity, msg)
        else:
            self.on_worker(identity, msg)

    def drop_invalid(self, identity):
        """rfc 7/18: respond to invalid messages by dropping them and treating the
        peer as invalid -- a registered worker is disconnected and forgotten."""
        w = self.workers.get(identity)
        if w is not None:
            self.send_worker(w, "DISCONNECT")
            self.remove_worker(w)

    # -- MDP/Client -------------------------------------------------------

    def on_client(self, identity, msg):
        req = Request(identity, msg.version, msg.service, msg.body)
        if msg.service.startswith(b"mmi."):
            self.mmi(req)
            return
        svc = self.services.setdefault(msg.service, Service())
        svc.queue.append(req)
        self.dispatch(svc)

    def mmi(self, req):
        # rfc 8 "Default services": mmi.service -> "200" if at least one worker is
        # registered for the named service, else "404"; other mmi.* -> "501".
        if req.service == b"mmi.service":
            found = any(w.service == req.body[0] for w in self.workers.values())
            code = b"200" if found else b"404"
        else:
            code = b"501"
        self.reply_client(req, "FINAL", [code])

    def reply_client(self, req, kind, body):
        """kind is PARTIAL or FINAL; an MDP/0.1 client only ever gets the REPLY."""
        if req.version == 1:
            if kind == "PARTIAL":
                log("DROP PARTIAL for MDP/0.1 client %s" % req.client.hex())
                return
            frames = encode("client", 1, "REPLY", req.service, body=body)
        else:
            frames = encode("client", 2, kind, req.service, body=body)
        self.sock.send_multipart([req.client] + frames)

    # -- MDP/Worker -------------------------------------------------------

    def on_worker(self, identity, msg):
        w = self.workers.get(identity)
        if w is not None:
            if w.version != msg.version:
                self.protocol_error(identity, "worker registered as MDPW0%d sent an MDPW0%d %s"
                                    % (w.version, msg.version, msg.name), msg.raw)
                self.drop_invalid(identity)
                return
            # rfc 7/18 "Heartbeating": any received command except DISCONNECT acts as a heartbeat.
            w.expiry = time.monotonic() + self.expiry_s
        if msg.name == "DISCONNECT":
            # valid at any time, even before READY; send it nothing further.
            if w is not None:
                self.remove_worker(w)
        elif msg.name == "READY":
            if w is not None:
                self.protocol_error(identity, "second READY (rfc 7/18: worker MUST NOT send a "
                                    "further READY)", msg.raw)
                self.drop_invalid(identity)
            elif msg.service.startswith(b"mmi."):
                # rfc 8 "Namespace": MUST disconnect workers registering mmi.* services.
                log("REJECT worker %s: service %s is in the reserved mmi. namespace (rfc 8)"
                    % (identity.hex(), msg.service.decode()))
                self.sock.send_multipart([identity] + encode("worker", msg.version, "DISCONNECT"))
            else:
                now = time.monotonic()
                w = Worker(identity, msg.version, msg.service, now + self.expiry_s, now + self.hb)
                self.workers[identity] = w
                self.ever_registered.add(identity)
                self.worker_idle(w)
        elif w is None:
            # rfc 7/18: "MUST respond to any valid but unexpected command by sending
            # DISCONNECT". Never-registered peers are also flagged (HEARTBEAT etc. are
            # only valid after READY); formerly registered ones may just have expired.
            if identity in self.ever_registered:
                log("UNEXPECTED %s from expired/disconnected worker %s: sending DISCONNECT"
                    % (msg.name, identity.hex()))
            else:
                self.protocol_error(identity, "%s from a worker that never sent READY" % msg.name,
                                    msg.raw)
            self.sock.send_multipart([identity] + encode("worker", msg.version, "DISCONNECT"))
        elif msg.name in ("REPLY", "PARTIAL", "FINAL"):
            if w.request is None or msg.address != w.request.client:
                self.protocol_error(identity, "%s for client %s but the outstanding request is %s"
                                    % (msg.name, msg.address.hex(),
                                       w.request.client.hex() if w.request else "none"), msg.raw)
                self.drop_invalid(identity)
                return
            final = msg.name != "PARTIAL"
            self.reply_client(w.request, "FINAL" if final else "PARTIAL", msg.body)
            if final:
                w.request = None
                self.worker_idle(w)
        # HEARTBEAT from a registered worker: expiry already refreshed above.

    def send_worker(self, w, name, address=None, body=()):
        w.next_hb = time.monotonic() + self.hb
        self.sock.send_multipart([w.identity] + encode("worker", w.version, name,
                                                       address=address, body=body))

    def worker_idle(self, w):
        self.services.setdefault(w.service, Service()).idle.append(w)
        self.dispatch(self.services[w.service])

    def remove_worker(self, w):
        """Forget a worker; its outstanding request goes back to the queue front
        (rfc 7/18 "Goals": recover from dead workers by resending requests)."""
        self.workers.pop(w.identity, None)
        svc = self.services[w.service]
        if w in svc.idle:
            svc.idle.remove(w)
        if w.request is not None:
            svc.queue.appendleft(w.request)
            w.request = None
            self.dispatch(svc)

    def dispatch(self, svc):
        while svc.queue and svc.idle:
            w, req = svc.idle.popleft(), svc.queue.popleft()    # LRU worker
            w.request = req
            self.send_worker(w, "REQUEST", address=req.client, body=req.body)


# ---------------------------------------------------------------------------
# Worker (rfc 7/18 "MDP/Worker")
# ---------------------------------------------------------------------------

class EchoWorker:
    def __init__(self, args):
        self.args = args
        self.version = 1 if args.protocol == "mdp01" else 2
        self.service = args.service.encode()
        self.hb = args.heartbeat_ms / 1000.0
        self.silence = args.liveness * self.hb
        self.ctx = zmq.Context()
        self.poller = zmq.Poller()
        self.sock = None
        self.handled = 0

    def send(self, name, **kw):
        self.sock.send_multipart(encode("worker", self.version, name, **kw))
        self.next_hb = time.monotonic() + self.hb   # don't heartbeat while sending other commands

    def connect(self):
        """rfc 7/18 "Opening and Closing a Connection": a new DEALER socket, connect,
        then READY. Used for the first connection and for every re-registration."""
        if self.sock is not None:
            self.poller.unregister(self.sock)
            self.sock.close(0)
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(self.args.connect)
        self.poller.register(self.sock, zmq.POLLIN)
        self.send("READY", service=self.service)
        self.broker_deadline = time.monotonic() + self.silence
        print("READY", flush=True)

    def finish(self, code, disconnect):
        if disconnect:
            self.send("DISCONNECT")     # rfc: worker MAY send DISCONNECT at any time
        self.sock.close(2000)           # give queued FINAL/DISCONNECT time to leave
        self.ctx.term()
        return code

    def run(self):
        life = Lifeline(self.poller)
        self.connect()
        while True:
            timeout = min(self.next_hb, self.broker_deadline) - time.monotonic()
            events = dict(self.poller.poll(max(0.0, timeout) * 1000))
            if life.check(events):
                return self.finish(0, True)
            while self.sock in events:
                try:
                    frames = self.sock.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                try:
                    msg = decode(frames, "worker", self.version, "B")
                except ProtocolError as e:
                    log("PROTOCOL ERROR: from broker: %s" % e)
                    return self.finish(3, False)
                if msg.name == "REQUEST":
                    log("RECV REQUEST client=%s frames=%d" % (msg.address.hex(), len(msg.body)))
                else:
                    log("RECV " + msg.name)
                if msg.name == "DISCONNECT":
                    # rfc: send nothing further, close the socket, reconnect on a new one.
                    self.connect()
                    break
                # rfc 7/18 "Heartbeating": any command except DISCONNECT is a heartbeat.
                self.broker_deadline = time.monotonic() + self.silence
                if msg.name == "REQUEST":
                    self.echo(msg)
                    self.handled += 1
                    if self.args.max_requests is not None and self.handled >= self.args.max_requests:
                        return self.finish(0, True)
            now = time.monotonic()
            if now >= self.broker_deadline:
                log("RECONNECT: broker silent for %d heartbeats" % self.args.liveness)
                self.connect()
            elif now >= self.next_hb:
                self.send("HEARTBEAT")

    def echo(self, msg):
        if self.version == 2:     # rfc 18: zero or more PARTIAL, then exactly one FINAL
            for i in range(1, self.args.partials + 1):
                self.send("PARTIAL", address=msg.address, body=[b"partial-%d" % i])
            self.send("FINAL", address=msg.address, body=msg.body)
        else:                     # rfc 7: exactly one REPLY
            self.send("REPLY", address=msg.address, body=msg.body)


# ---------------------------------------------------------------------------
# Client (rfc 7/18 "MDP/Client")
# ---------------------------------------------------------------------------

def run_client(args):
    version = 1 if args.protocol == "mdp01" else 2
    service = args.service.encode()
    body = [f.encode("utf-8") for f in args.frames]
    ctx = zmq.Context()
    # rfc 18: clients MUST use a DEALER socket. rfc 7 allows DEALER if the client
    # creates the empty frame 0 itself, which encode() does for version 1.
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(args.connect)
    try:
        for _ in range(args.requests):
            sock.send_multipart(encode("client", version, "REQUEST", service, body=body))
            while True:
                # timeout applies to each message: the first reply, and each one after a PARTIAL
                if not sock.poll(args.timeout_ms, zmq.POLLIN):
                    log("TIMEOUT")
                    return 2
                frames = sock.recv_multipart()
                try:
                    msg = decode(frames, "client", version, "B")
                    if msg.service != service:
                        raise ProtocolError("reply service %r != requested %r"
                                            % (msg.service, service), frames)
                except ProtocolError as e:
                    log("PROTOCOL ERROR: from broker: %s" % e)
                    return 3
                prefix = "" if version == 1 else msg.name + " "
                for f in msg.body:
                    print(prefix + f.decode("utf-8", "backslashreplace"))
                sys.stdout.flush()
                if msg.name != "PARTIAL":
                    break
    finally:
        sock.close(0)
        ctx.term()
    return 0


# ---------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description="Majordomo Protocol (rfc 7 / rfc 18 / rfc 8) test peer")
    sub = p.add_subparsers(dest="role", required=True)

    b = sub.add_parser("broker", help="MDP/0.1 + MDP/0.2 broker on one ROUTER socket")
    b.add_argument("--bind", required=True)

    w = sub.add_parser("worker", help="echo worker")
    w.add_argument("--connect", required=True)
    w.add_argument("--service", required=True)
    w.add_argument("--partials", type=int, default=0, help="PARTIALs before FINAL (mdp02)")
    w.add_argument("--max-requests", type=int, default=None)

    c = sub.add_parser("client", help="send request(s), print reply frames")
    c.add_argument("--connect", required=True)
    c.add_argument("--service", required=True)
    c.add_argument("--timeout-ms", type=int, default=5000)
    c.add_argument("--requests", type=int, default=1)
    # rfc 7/18: a REQUEST has 4 or more frames, i.e. at least one body frame
    c.add_argument("frames", nargs="+", metavar="FRAME")

    for sp in (w, c):
        sp.add_argument("--protocol", required=True, choices=("mdp01", "mdp02"))
    for sp in (b, w):
        sp.add_argument("--heartbeat-ms", type=int, default=2500)
        sp.add_argument("--liveness", type=int, default=3)

    args = p.parse_args(argv)
    if args.role == "broker":
        return Broker(args).run()
    if args.role == "worker":
        return EchoWorker(args).run()
    return run_client(args)


if __name__ == "__main__":
    sys.exit(main())
