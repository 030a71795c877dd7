#!/usr/bin/python3
"""Paranoid Pirate Protocol reference peer for zmq4j interop tests.

Written directly from the specification text (no code taken from elsewhere):
  rfc 6   6/PPP   /work/shared/specs/rfc-6-PPP.md
and from the zguide's chapter 4 prose on the Paranoid Pirate queue and worker
and the Lazy Pirate client (behaviour only).

Roles (see --help of each):
  queue  --frontend EP --backend EP   Paranoid Pirate queue (ROUTER + ROUTER, LRU workers)
  worker --connect EP                 Paranoid Pirate echo worker (DEALER)
  client --connect EP FRAME...        Lazy Pirate client (REQ, poll, close/reopen, resend)

Queue and worker are STRICT: a received message that does not match the rfc 6
framing is reported on stderr as "PROTOCOL ERROR: <what>; frames=[hex,...]".
Exit codes: 0 ok, 2 client TIMEOUT, 3 worker protocol error, 1 bad usage/interrupted client.
Only the Python standard library and pyzmq are used.
"""
import argparse
import signal
import sys
import time

import zmq

from peer_common import hexframes, Lifeline, log, non_negative, poll_ms, positive

# rfc 6 "Command Specifications": READY and HEARTBEAT are 1-part, 1-byte messages.
READY = b"\x01"
HEARTBEAT = b"\x02"
COMMANDS = {READY: "READY", HEARTBEAT: "HEARTBEAT"}

# zguide chapter 4, Paranoid Pirate worker: reconnect back-off starts at 1 s and
# doubles up to 32 s.
INTERVAL_INIT = 1.0
INTERVAL_MAX = 32.0


def addr_hex(addresses):
    """An address stack as one token: hex of each frame, joined by '.'."""
    return ".".join(a.hex() for a in addresses)


class ProtocolError(Exception):
    def __init__(self, what, frames):
        super().__init__("%s; frames=%s" % (what, hexframes(frames)))


def split_envelope(frames, kind):
    """Split [address(1+)..., b"", body(1+)...] into (addresses, body).

    rfc 6 REQUEST/REPLY: "an optional address stack with null terminator, followed
    by a message content of 1 or more parts". The address stack is everything before
    the first empty frame (so address frames are never empty); the body may itself
    contain empty frames. We require at least one address frame: between a queue and
    its workers the stack is what routes the reply back to the client."""
    try:
        null = frames.index(b"")
    except ValueError:
        raise ProtocolError("%s has no null (empty) frame terminating the address stack"
                            % kind, frames) from None
    if null == 0:
        raise ProtocolError("%s has an empty address stack (null terminator is the first "
                            "frame)" % kind, frames)
    if null == len(frames) - 1:
        raise ProtocolError("%s has no body frame after the null terminator "
                            "(rfc 6: content of 1 or more parts)" % kind, frames)
    return frames[:null], frames[null + 1:]


def parse(frames, sender):
    """Validate one PPP message (any ROUTER routing id already stripped).

    sender is "worker" (queue side: READY, HEARTBEAT or REPLY allowed) or "queue"
    (worker side: HEARTBEAT or REQUEST allowed). Returns (name, addresses, body);
    addresses/body are None for the one-frame commands. Raises ProtocolError."""
    envelope = "REPLY" if sender == "worker" else "REQUEST"
    allowed = (READY, HEARTBEAT) if sender == "worker" else (HEARTBEAT,)
    if len(frames) == 1:
        f = frames[0]
        if f in allowed:
            return COMMANDS[f], None, None
        if f in COMMANDS:
            raise ProtocolError("%s is not a command the %s may send (rfc 6: READY is sent "
                                "by the worker only)" % (COMMANDS[f], sender), frames)
        if len(f) == 1:
            raise ProtocolError("unknown command 0x%02x (rfc 6 knows READY 0x01 and "
                                "HEARTBEAT 0x02)" % f[0], frames)
        raise ProtocolError("1-frame message is not a command (READY/HEARTBEAT are exactly "
                            "one byte) and a %s needs address, null terminator and body"
                            % envelope, frames)
    try:
        addresses, body = split_envelope(frames, envelope)
    except ProtocolError as e:
        if frames[0] in COMMANDS:
            raise ProtocolError("%s command with extra frames (rfc 6: a 1-part message) and "
                                "not a valid %s either" % (COMMANDS[frames[0]], envelope),
                                frames) from None
        raise e
    return envelope, addresses, body


# ---------------------------------------------------------------------------
# Queue (rfc 6 "client" role as an intermediary; zguide Paranoid Pirate queue)
# ---------------------------------------------------------------------------

class QueuedWorker:
    __slots__ = ("identity", "expiry", "request")

    def __init__(self, identity, expiry):
        self.identity = identity
        self.expiry = expiry        # monotonic deadline for the next message from it
        self.request = None         # address stack of the outstanding request, if busy


class Queue:
    def __init__(self, args):
        self.hb = args.heartbeat_ms / 1000.0
        self.expiry_s = args.liveness * self.hb
        self.ctx = zmq.Context()
        self.frontend = self.ctx.socket(zmq.ROUTER)
        self.frontend.setsockopt(zmq.LINGER, 0)
        # unroutable replies (client gone) raise instead of vanishing, so we can log them
        self.frontend.setsockopt(zmq.ROUTER_MANDATORY, 1)
        self.frontend.bind(args.frontend)
        self.backend = self.ctx.socket(zmq.ROUTER)
        self.backend.setsockopt(zmq.LINGER, 0)
        # a worker that reconnects with the same explicit identity takes over
        self.backend.setsockopt(zmq.ROUTER_HANDOVER, 1)
        self.backend.bind(args.backend)
        self.workers = {}           # identity -> QueuedWorker (available or busy)
        self.available = []         # available workers, least recently used first
        self.expired = set()        # identities whose conversation ended by expiry

    def run(self):
        print("READY %s %s" % (self.frontend.getsockopt(zmq.LAST_ENDPOINT).decode(),
                               self.backend.getsockopt(zmq.LAST_ENDPOINT).decode()),
              flush=True)
        poller = zmq.Poller()
        poller.register(self.backend, zmq.POLLIN)
        life = Lifeline(poller)
        next_hb = time.monotonic() + self.hb
        while True:
            # zguide: poll the frontend only while a worker is available, so
            # requests wait in the frontend until a worker can take them.
            poller.register(self.frontend, zmq.POLLIN if self.available else 0)
            wake = min([next_hb] + [w.expiry for w in self.workers.values()])
            events = dict(poller.poll(poll_ms(wake - time.monotonic())))
            if life.check(events):
                break
            self.drain(self.backend, self.on_backend)
            if self.available:
                self.drain(self.frontend, self.on_frontend, lambda: bool(self.available))
            now = time.monotonic()
            if now >= next_hb:
                # rfc 6: "The client sends HEARTBEAT at regular intervals to the worker."
                for w in list(self.workers.values()):
                    self.send_backend([w.identity, HEARTBEAT])
                next_hb = now + self.hb
            for w in [w for w in self.workers.values() if w.expiry <= now]:
                self.expire(w)
        self.frontend.close(0)
        self.backend.close(0)
        self.ctx.term()
        return 0

    @staticmethod
    def drain(sock, handler, more=lambda: True):
        while more():
            try:
                frames = sock.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            handler(frames)

    def send_backend(self, frames):
        try:
            self.backend.send_multipart(frames, zmq.NOBLOCK)
        except zmq.Again:
            log("DROP to worker id=%s: send would block" % frames[0].hex())

    def expire(self, w):
        log("EXPIRE id=%s" % w.identity.hex())
        if w.request is not None:
            log("LOST request client=%s: worker id=%s expired before replying"
                % (addr_hex(w.request), w.identity.hex()))
        self.forget(w)
        # rfc 6: "If the client detects that the worker has disconnected, it SHOULD
        # stop sending it messages of any type." It must start over with READY.
        self.expired.add(w.identity)

    def forget(self, w):
        self.workers.pop(w.identity, None)
        if w in self.available:
            self.available.remove(w)

    def make_available(self, w):
        """Append at the tail: the head of the list is the least recently used."""
        if w in self.available:
            self.available.remove(w)
        self.available.append(w)

    def on_backend(self, frames):
        identity, rest = frames[0], frames[1:]
        who = "worker id=%s" % identity.hex()
        try:
            name, addresses, body = parse(rest, "worker")
        except ProtocolError as e:
            log("PROTOCOL ERROR: %s: %s" % (who, e))
            return
        w = self.workers.get(identity)
        if name == "READY":
            log("RECV READY id=%s" % identity.hex())
            if w is not None:
                # rfc 6: a worker that lost its client "MUST send READY again to start a
                # new conversation" -- legal from a known identity; the old one ends.
                if w.request is not None:
                    log("LOST request client=%s: worker id=%s started a new conversation"
                        % (addr_hex(w.request), identity.hex()))
                self.forget(w)
            self.expired.discard(identity)
            w = QueuedWorker(identity, time.monotonic() + self.expiry_s)
            self.workers[identity] = w
            self.make_available(w)
            return
        if w is None:
            if identity in self.expired:
                # Not the worker's fault: it cannot know yet that we expired it. It will
                # notice our silence and send READY again.
                log("IGNORE %s id=%s: worker expired, conversation over until it sends READY"
                    % (name, identity.hex()))
            else:
                log("PROTOCOL ERROR: %s: first message is %s, not READY (rfc 6: the first "
                    "message in any conversation MUST be W:READY); frames=%s"
                    % (who, name, hexframes(rest)))
            return
        # any well-formed message from a registered worker shows it is alive
        w.expiry = time.monotonic() + self.expiry_s
        if name == "HEARTBEAT":
            # keeps its place in the LRU list: a heartbeat is not a use. A busy worker
            # stays busy (rfc 6 synchronous dialog: REQUEST, then REPLY, repeat).
            log("RECV HEARTBEAT id=%s" % identity.hex())
            return
        if w.request is None:
            log("PROTOCOL ERROR: %s: REPLY without an outstanding REQUEST (rfc 6: REQUEST "
                "and REPLY alternate); frames=%s" % (who, hexframes(rest)))
            return
        if addresses != w.request:
            log("PROTOCOL ERROR: %s: REPLY address stack %s differs from the REQUEST's %s; "
                "frames=%s" % (who, addr_hex(addresses), addr_hex(w.request), hexframes(rest)))
            return
        log("RECV REPLY id=%s" % identity.hex())
        w.request = None
        try:
            self.frontend.send_multipart(addresses + [b""] + body, zmq.NOBLOCK)
        except zmq.ZMQError as e:       # EHOSTUNREACH: client gone; EAGAIN: HWM
            log("DROP REPLY client=%s: %s" % (addr_hex(addresses), e))
        self.make_available(w)

    def on_frontend(self, frames):
        try:
            addresses, body = split_envelope(frames, "request")
        except ProtocolError as e:
            log("PROTOCOL ERROR: client id=%s: %s" % (frames[0].hex(), e))
            return
        w = self.available.pop(0)           # least recently used
        w.request = addresses
        log("REQUEST client=%s -> worker=%s" % (addr_hex(addresses), w.identity.hex()))
        self.send_backend([w.identity] + addresses + [b""] + body)


# ---------------------------------------------------------------------------
# Worker (rfc 6 "worker"; zguide Paranoid Pirate worker)
# ---------------------------------------------------------------------------

class Worker:
    def __init__(self, args):
        self.args = args
        self.hb = args.heartbeat_ms / 1000.0
        self.silence = args.liveness * self.hb
        self.ctx = zmq.Context()
        self.poller = zmq.Poller()
        self.sock = None
        self.interval = INTERVAL_INIT
        self.replies = 0
        self.silent = False

    def send(self, frames):
        try:
            self.sock.send_multipart(frames, zmq.NOBLOCK)
            return True
        except zmq.Again:
            return False

    def open(self):
        """New DEALER socket, connect, READY (rfc 6: first message of a conversation)."""
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(self.args.connect)
        self.poller.register(self.sock, zmq.POLLIN)
        self.send([READY])
        print("READY", flush=True)
        now = time.monotonic()
        self.queue_deadline = now + self.silence
        self.next_hb = now + self.hb
        self.check_silent()

    def close(self, linger=0):
        self.poller.unregister(self.sock)
        self.sock.close(linger)
        self.sock = None

    def check_silent(self):
        if (not self.silent and self.args.silent_after is not None
                and self.replies >= self.args.silent_after):
            self.silent = True
            log("SILENT after %d replies: no more heartbeats, replies or reconnects"
                % self.replies)

    def finish(self, code, linger=0):
        if self.sock is not None:
            self.close(linger)
        self.ctx.term()
        return code

    def run(self):
        life = Lifeline(self.poller)
        self.open()
        while True:
            if self.silent:
                timeout = None          # hung: wait only for shutdown or input
            else:
                timeout = poll_ms(min(self.next_hb, self.queue_deadline) - time.monotonic())
            events = dict(self.poller.poll(timeout))
            if life.check(events):
                return self.finish(0)
            while True:
                try:
                    frames = self.sock.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                try:
                    name, addresses, body = parse(frames, "queue")
                except ProtocolError as e:
                    log("PROTOCOL ERROR: from queue: %s" % e)
                    return self.finish(3)
                detail = "" if name == "HEARTBEAT" else " frames=%d" % len(body)
                if self.silent:
                    log("RECV %s%s (silent: ignored)" % (name, detail))
                    continue
                log("RECV %s%s" % (name, detail))
                # zguide: any message from the queue restores liveness and resets back-off
                self.queue_deadline = time.monotonic() + self.silence
                self.interval = INTERVAL_INIT
                if name == "REQUEST":
                    # echo: the reply is exactly the request, address stack included
                    if not self.send(frames):
                        log("DROP REPLY: send would block")
                        continue
                    self.replies += 1
                    if self.args.max_requests is not None and self.replies >= self.args.max_requests:
                        log("DONE after %d replies" % self.replies)
                        return self.finish(0, linger=2000)     # let the reply leave
                    self.check_silent()
                    if self.silent:
                        break
            if self.silent:
                continue
            now = time.monotonic()
            if now >= self.queue_deadline:
                # rfc 6: the worker MUST send READY again to start a new conversation.
                log("RECONNECT in %d ms: queue silent for %d heartbeats (%d ms)"
                    % (self.interval * 1000, self.args.liveness, self.silence * 1000))
                self.close()
                if self.wait(self.interval, life):
                    return self.finish(0)
                self.interval = min(self.interval * 2, INTERVAL_MAX)
                self.open()
            elif now >= self.next_hb:
                self.send([HEARTBEAT])      # dropped if it would block; liveness covers it
                self.next_hb = now + self.hb

    def wait(self, seconds, life):
        """Back-off sleep that still honours signals and stdin EOF (socket closed,
        so the poller holds only the lifeline)."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if life.check(dict(self.poller.poll(poll_ms(left)))):
                return True


# ---------------------------------------------------------------------------
# Client (zguide Lazy Pirate client)
# ---------------------------------------------------------------------------

class Interrupted(Exception):
    pass


def run_client(args):
    def interrupted(signum, frame):
        raise Interrupted()
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)

    body = [f.encode("utf-8") for f in args.frames]
    ctx = zmq.Context()
    sock = None

    def new_socket():
        s = ctx.socket(zmq.REQ)
        s.setsockopt(zmq.LINGER, 0)
        s.connect(args.connect)
        return s

    try:
        for number in range(1, args.requests + 1):
            if sock is None:
                sock = new_socket()
            sends = 0
            while True:
                sock.send_multipart(body)
                sends += 1
                if sock.poll(args.timeout_ms, zmq.POLLIN):
                    break
                # REQ cannot send twice without a reply: close (LINGER 0) and reopen
                sock.close(0)
                sock = None
                if sends > args.retries:
                    log("request %d: no reply after %d sends of %d ms; abandoning"
                        % (number, sends, args.timeout_ms))
                    log("TIMEOUT")
                    return 2
                log("RETRY %d" % sends)
                sock = new_socket()
            for f in sock.recv_multipart():
                print(f.decode("utf-8", "backslashreplace"))
            sys.stdout.flush()
        return 0
    except Interrupted:
        log("INTERRUPTED")
        return 1
    finally:
        if sock is not None:
            sock.close(0)
        ctx.term()


# ---------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description="Paranoid Pirate Protocol (rfc 6) test peer")
    sub = p.add_subparsers(dest="role", required=True)

    q = sub.add_parser("queue", help="Paranoid Pirate queue: frontend ROUTER, backend ROUTER")
    q.add_argument("--frontend", required=True, help="bind endpoint for clients")
    q.add_argument("--backend", required=True, help="bind endpoint for workers")

    w = sub.add_parser("worker", help="Paranoid Pirate echo worker (DEALER)")
    w.add_argument("--connect", required=True)
    w.add_argument("--max-requests", type=positive, default=None,
                   help="exit 0 after this many replies")
    w.add_argument("--silent-after", type=non_negative, default=None,
                   help="after this many replies stop heartbeating/replying (hung worker)")

    for sp in (q, w):
        sp.add_argument("--heartbeat-ms", type=positive, default=1000)
        sp.add_argument("--liveness", type=positive, default=3)

    c = sub.add_parser("client", help="Lazy Pirate client (REQ): print reply frames")
    c.add_argument("--connect", required=True)
    c.add_argument("--timeout-ms", type=positive, default=2500)
    c.add_argument("--retries", type=non_negative, default=3,
                   help="resends after the first send (retries+1 sends in total)")
    c.add_argument("--requests", type=positive, default=1)
    # rfc 6: a message content of 1 or more parts
    c.add_argument("frames", nargs="+", metavar="FRAME")

    args = p.parse_args(argv)
    if args.role == "queue":
        return Queue(args).run()
    if args.role == "worker":
        return Worker(args).run()
    return run_client(args)


if __name__ == "__main__":
    sys.exit(main())
