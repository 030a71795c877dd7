#!/usr/bin/python3
"""Freelance Protocol reference peer for zmq4j interop tests.

Written directly from the specification text (no code taken from elsewhere):
  rfc 10  10/FLP  /work/shared/specs/rfc-10-FLP.md
and from the zguide's chapter 4 prose "Brokerless Reliability (Freelance Pattern)",
model three (behaviour only: endpoint identities, ping-pong, failover).

Roles (see --help of each):
  server --bind EP      FLP server: ROUTER whose identity is its public endpoint;
                        PING -> PONG, [CCF, body...] -> [CCF, body..., TAG]
  client --connect EP.. FLP client: ROUTER, addresses each server by its endpoint,
                        pings them, sends each request to the first live server

Both roles are STRICT: a received message that breaks rfc 10 is reported on stderr
as "PROTOCOL ERROR: <what>; frames=[hex,...]" (the server ignores the message, the
client exits 3).
Exit codes: 0 ok (a server also on SIGTERM/SIGINT/stdin EOF), 1 client interrupted
(signal or stdin EOF before it finished), 2 client TIMEOUT (or a usage error, argparse's
code, with "usage:" on stderr), 3 client protocol error.
Every role ends on SIGTERM/SIGINT and on EOF of its standard input.
Only the Python standard library and pyzmq are used.
"""
import argparse
import collections
import re
import sys
import time

import zmq

from peer_common import hexframes, Lifeline, log, non_negative, poll_ms, positive

# rfc 10 "Overall Operation": a ping command is one frame of the four characters
# "PING", answered by a message containing the four characters "PONG".
PING = b"PING"
PONG = b"PONG"

# Client: how soon to try a PING again when the server's identity is not routable
# yet (connection handshake not done, or the server is down).
UNROUTABLE_RETRY = 0.025

# Client: a server is "disconnected" when nothing came from it for this many ping
# intervals (rfc 10: "within some multiple of that interval (usually 2-3)").
SILENT_INTERVALS = 2


def text(frame):
    """A frame for a log line: its text when it is short printable ASCII, else hex."""
    if 0 < len(frame) <= 64 and all(0x20 < b < 0x7f for b in frame):
        return frame.decode("ascii")
    return "0x" + frame.hex() if frame else "(empty)"


class ProtocolError(Exception):
    def __init__(self, what, frames):
        super().__init__("%s; frames=%s" % (what, hexframes(frames)))


# ---------------------------------------------------------------------------
# Server (rfc 10 server; zguide Freelance model three server)
# ---------------------------------------------------------------------------

class Server:
    def __init__(self, args):
        # rfc 10 "Request and Reply Routing": servers use durable sockets and MUST set
        # an identity, which is their public endpoint (what clients connect to).
        self.identity = (args.identity if args.identity is not None else args.bind).encode()
        self.tag = args.tag.encode() if args.tag is not None else self.identity
        self.delay = args.delay_ms / 1000.0
        self.silent_after = args.silent_after
        self.answered = 0
        self.silent = args.silent_after == 0
        self.pending = collections.deque()      # (due, frames) replies held by --delay-ms
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.ROUTER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.setsockopt(zmq.ROUTING_ID, self.identity)
        # a reply to a client that went away raises instead of vanishing: logged
        self.sock.setsockopt(zmq.ROUTER_MANDATORY, 1)
        self.sock.bind(args.bind)

    def run(self):
        endpoint = self.sock.getsockopt(zmq.LAST_ENDPOINT).decode()
        log("server identity=%s tag=%s" % (self.identity.decode("utf-8", "replace"),
                                           self.tag.decode("utf-8", "replace")))
        if self.silent:
            log("SILENT from the start (--silent-after 0): no PONG, no replies")
        print("READY %s" % endpoint, flush=True)
        poller = zmq.Poller()
        poller.register(self.sock, zmq.POLLIN)
        life = Lifeline(poller)
        while True:
            timeout = None
            if self.pending:
                timeout = poll_ms(self.pending[0][0] - time.monotonic())
            events = dict(poller.poll(timeout))
            if life.check(events):
                break
            while True:
                try:
                    frames = self.sock.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                self.on_message(frames)
            now = time.monotonic()
            while self.pending and self.pending[0][0] <= now:
                self.send(self.pending.popleft()[1], "REPLY")
        self.sock.close(0)
        self.ctx.term()
        return 0

    def send(self, frames, what):
        try:
            self.sock.send_multipart(frames, zmq.NOBLOCK)
        except zmq.ZMQError as e:       # EHOSTUNREACH: client gone; EAGAIN: HWM
            log("DROP %s to=%s: %s" % (what, frames[0].hex(), e))
            return
        if what == "PONG":
            log("SEND PONG to=%s" % frames[0].hex())
        else:
            log("SEND REPLY ccf=%s frames=%d to=%s" % (text(frames[1]), len(frames) - 2,
                                                     frames[0].hex()))

    def on_message(self, frames):
        client, msg = frames[0], frames[1:]
        who = "from=%s" % client.hex()
        # rfc 10: a ping command is a single frame "PING"; a request command is two
        # or more frames, the CCF followed by the request body. Nothing else exists.
        if len(msg) == 1 and msg[0] == PING:
            kind = "PING"
            log("RECV PING %s" % who)
        elif len(msg) >= 2:
            kind = "REQUEST"
            log("RECV REQUEST ccf=%s body=%d %s" % (text(msg[0]), len(msg) - 1, who))
        else:
            if len(msg) == 1 and msg[0].upper() == PING:
                why = "ping command must be exactly the four characters \"PING\""
            else:
                why = ("one-frame message is not a ping command (rfc 10: a request command "
                       "is two or more frames, CCF followed by the request body)")
            log("PROTOCOL ERROR: %s: %s" % (who, ProtocolError(why, msg)))
            return
        if self.silent:
            log("IGNORE %s (silent after %d requests)" % (kind, self.answered))
            return
        if kind == "PING":
            self.send([client, PONG], "PONG")
            return
        # rfc 10: "The server MUST return the CCF unmodified, followed by one or more
        # frames of reply body." Our reply body: the request body, then our tag.
        reply = [client, msg[0]] + msg[1:] + [self.tag]
        self.answered += 1
        if self.delay > 0:
            self.pending.append((time.monotonic() + self.delay, reply))
        else:
            self.send(reply, "REPLY")
        if self.silent_after is not None and self.answered >= self.silent_after:
            self.silent = True
            log("SILENT after %d requests: no more PONGs or replies" % self.answered)


# ---------------------------------------------------------------------------
# Client (rfc 10 client; zguide Freelance model three client behaviour)
# ---------------------------------------------------------------------------

class Interrupted(Exception):
    pass


class Timeout(Exception):
    pass


class Link:
    """What the client knows about one server (addressed by its endpoint)."""

    def __init__(self, endpoint, rank):
        self.endpoint = endpoint
        self.identity = endpoint.encode()
        self.rank = rank                # position in --connect order: lower is preferred
        self.alive = False              # heard from within the silence limit, not failed
        self.heard = None               # monotonic time of the last message from it
        self.expires = 0.0              # alive until then unless heard again
        self.ping_at = 0.0              # next PING due
        self.routable = None            # last send: True ok, False EHOSTUNREACH, None never


class Client:
    """ROUTER to ROUTER, the way the zguide's model three does it.

    The ROUTER-to-ROUTER subtlety: our ROUTER can route to a server only once the
    connection handshake is done and it has learnt the server's identity (which rfc 10
    says is the server's endpoint). Before that a plain ROUTER silently drops what we
    send. We set ROUTER_MANDATORY so such a send fails with EHOSTUNREACH instead, and
    we never put a *request* on a server we have not heard from: a server is "alive"
    only after its first PONG (or reply). Until then we keep trying PINGs every 25 ms;
    EHOSTUNREACH just means "not alive (yet)". So the first PONG tells us both that
    the connection is up and that the server works, a request is never lost to the
    handshake race, and a server that goes away (kill: the connection drops, its
    identity stops being routable) is noticed on the next send instead of after a
    timeout."""

    def __init__(self, args):
        self.args = args
        self.ping = args.ping_ms / 1000.0
        self.ttl = SILENT_INTERVALS * self.ping
        self.grace = args.grace_ms / 1000.0
        self.body = [f.encode("utf-8") for f in args.frames]
        self.links = [Link(ep, i) for i, ep in enumerate(args.connect)]
        self.by_identity = {l.identity: l for l in self.links}
        self.sent_to = {}               # ccf -> set of identities the request went to
        self.ctx = zmq.Context()
        # rfc 10: clients MUST use ROUTER sockets, transient, and MUST NOT set an identity
        self.sock = self.ctx.socket(zmq.ROUTER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.setsockopt(zmq.ROUTER_MANDATORY, 1)
        for l in self.links:
            self.sock.connect(l.endpoint)
        self.poller = zmq.Poller()
        self.poller.register(self.sock, zmq.POLLIN)
        self.life = Lifeline(self.poller)
        self.grace_end = time.monotonic() + self.grace

    def run(self):
        try:
            for number in range(1, self.args.requests + 1):
                body = self.request(str(number).encode("ascii"))
                for f in body:
                    print(f.decode("utf-8", "backslashreplace"))
                sys.stdout.flush()
            return 0
        except Timeout as e:
            log(str(e))
            log("TIMEOUT")
            return 2
        except ProtocolError as e:
            log("PROTOCOL ERROR: %s" % e)
            return 3
        except Interrupted:
            log("INTERRUPTED")
            return 1
        finally:
            self.sock.close(0)
            self.ctx.term()

    # --- sending ----------------------------------------------------------

    def send(self, link, frames):
        """Send to a server; False when it cannot take the message now."""
        try:
            self.sock.send_multipart([link.identity] + frames, zmq.NOBLOCK)
        except zmq.Again:
            log("BLOCKED %s: send would block (high-water mark)" % link.endpoint)
            return False
        except zmq.ZMQError as e:
            if e.errno != zmq.EHOSTUNREACH:
                raise
            if link.routable is not False:
                log("UNREACHABLE %s: no connection to a peer with that identity (yet)"
                    % link.endpoint)
            link.routable = False
            self.set_dead(link, "unreachable")
            return False
        if link.routable is not True:
            log("ROUTABLE %s" % link.endpoint)
        link.routable = True
        return True

    def set_dead(self, link, why):
        if link.alive:
            link.alive = False
            log("DEAD %s: %s" % (link.endpoint, why))

    def heard_from(self, link, now):
        link.heard = now
        link.expires = now + self.ttl
        link.ping_at = now + self.ping
        if not link.alive:
            link.alive = True
            log("ALIVE %s" % link.endpoint)

    def housekeeping(self, now):
        """Expire silent servers and send the PINGs that are due."""
        for l in self.links:
            if l.alive and now >= l.expires:
                self.set_dead(l, "silent for %d ms" % (self.ttl * 1000))
            if now >= l.ping_at:
                # rfc 10: "Clients MAY send ping commands at regular intervals."
                if self.send(l, [PING]):
                    log("SEND PING %s" % l.endpoint)
                    l.ping_at = now + self.ping
                else:
                    l.ping_at = now + min(UNROUTABLE_RETRY, self.ping)

    def choose(self, now):
        """The first live server in --connect order, or None. Until the start-up grace
        ends, a better-ranked server we have never heard from yet is waited for."""
        for l in self.links:
            if l.alive:
                return l
            if l.heard is None and now < self.grace_end:
                return None
        return None

    # --- one request ------------------------------------------------------

    def request(self, ccf):
        now = time.monotonic()
        deadline = now + self.args.timeout_ms / 1000.0
        self.sent_to[ccf] = set()
        attempt = None                  # (link, give up on it at)
        while True:
            now = time.monotonic()
            self.housekeeping(now)
            if attempt is not None:
                link, until = attempt
                if not link.alive:
                    attempt = None
                elif now >= until:
                    # a server that leaves a request unanswered for a ping interval is
                    # treated as disconnected; its next PONG brings it back
                    self.set_dead(link, "no reply to request ccf=%s within %d ms"
                                  % (ccf.decode(), self.ping * 1000))
                    attempt = None
            while attempt is None:
                link = self.choose(now)
                if link is None:
                    break
                if self.send(link, [ccf] + self.body):
                    self.sent_to[ccf].add(link.identity)
                    log("REQUEST ccf=%s -> %s" % (ccf.decode(), link.endpoint))
                    attempt = (link, now + self.ping)
                elif link.alive:
                    break               # blocked, not gone: try again on the next wake-up
            if now >= deadline:
                alive = [l.endpoint for l in self.links if l.alive]
                never = [l.endpoint for l in self.links if l.routable is None
                         or (l.routable is False and l.heard is None)]
                raise Timeout("request ccf=%s: no reply within %d ms (alive: %s; never "
                              "routable: %s -- a server's identity must equal the endpoint "
                              "we connect to)" % (ccf.decode(), self.args.timeout_ms,
                                                  alive or "none", never or "none"))
            wake = [deadline] + [l.ping_at for l in self.links]
            wake += [l.expires for l in self.links if l.alive]
            if attempt is not None:
                wake.append(attempt[1])
            elif now < self.grace_end:
                wake.append(self.grace_end)
            events = dict(self.poller.poll(poll_ms(min(wake) - time.monotonic())))
            if self.life.check(events):
                raise Interrupted()
            while True:
                try:
                    frames = self.sock.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                body = self.on_message(frames, ccf)
                if body is not None:
                    return body

    def on_message(self, frames, ccf):
        """Validate one message from a server; the reply body if it answers ccf."""
        identity, msg = frames[0], frames[1:]
        link = self.by_identity.get(identity)
        if link is None:
            raise ProtocolError("message from identity %r, which is none of the endpoints "
                                "we connected to (rfc 10: server identities are their public "
                                "endpoints)" % identity, msg)
        now = time.monotonic()
        if len(msg) == 1:
            if msg[0] != PONG:
                if msg[0].upper() == PONG:
                    why = "PONG is not exactly the four characters \"PONG\""
                else:
                    why = ("one-frame message is not \"PONG\" and cannot be a reply, which is "
                           "the CCF followed by one or more frames of reply body (CCF missing?)")
                raise ProtocolError("from %s: %s" % (link.endpoint, why), msg)
            log("RECV PONG %s" % link.endpoint)
            self.heard_from(link, now)
            return None
        reply_ccf, body = msg[0], msg[1:]
        if identity not in self.sent_to.get(reply_ccf, ()):
            raise ProtocolError("from %s: reply CCF %s was never sent to that server (rfc 10: "
                                "the server MUST return the CCF unmodified)"
                                % (link.endpoint, text(reply_ccf)), msg)
        self.heard_from(link, now)
        if reply_ccf != ccf:
            log("DISCARD reply ccf=%s from %s: outstanding request is ccf=%s"
                % (text(reply_ccf), link.endpoint, ccf.decode()))
            return None
        log("REPLY ccf=%s from %s frames=%d" % (ccf.decode(), link.endpoint, len(body)))
        return body


# ---------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description="Freelance Protocol (rfc 10) test peer")
    sub = p.add_subparsers(dest="role", required=True)

    s = sub.add_parser("server", help="FLP server: ROUTER with its endpoint as identity")
    s.add_argument("--bind", required=True)
    s.add_argument("--identity", default=None,
                   help="socket identity = the endpoint clients connect to "
                        "(default: the bind endpoint, which must then be concrete)")
    s.add_argument("--tag", default=None,
                   help="frame appended to every reply body (default: the identity)")
    s.add_argument("--silent-after", type=non_negative, default=None,
                   help="after this many requests answered, answer nothing (hung server)")
    s.add_argument("--delay-ms", type=non_negative, default=0,
                   help="delay each request's reply (PONGs are not delayed)")

    c = sub.add_parser("client", help="FLP client (ROUTER): print reply body frames")
    c.add_argument("--connect", required=True, action="append",
                   help="server endpoint (= its identity); repeat, in order of preference")
    c.add_argument("--timeout-ms", type=positive, default=3000,
                   help="total time allowed for each request")
    c.add_argument("--ping-ms", type=positive, default=2000,
                   help="PING interval; a server silent for 2 intervals, or leaving a request "
                        "unanswered for 1 interval, counts as disconnected")
    c.add_argument("--grace-ms", type=non_negative, default=200,
                   help="at start-up, wait up to this long for a better-ranked server")
    c.add_argument("--requests", type=positive, default=1)
    # rfc 10: a request command is the CCF plus one or more body frames
    c.add_argument("frames", nargs="+", metavar="FRAME")

    args = p.parse_args(argv)
    if args.role == "server":
        if args.identity is None and re.search(r"\*|:0$", args.bind):
            p.error("server: --bind %s is not a concrete endpoint; give --identity "
                    "(the endpoint clients connect to)" % args.bind)
        return Server(args).run()
    return Client(args).run()


if __name__ == "__main__":
    sys.exit(main())
