#!/usr/bin/python3
"""Titanic Service Protocol reference peer for zmq4j interop tests.

Written directly from the specification text (no code taken from elsewhere):
  rfc 9  9/TSP    /work/shared/specs/rfc-9-TSP.md
  rfc 7  7/MDP    /work/shared/specs/rfc-7-MDP.md   (MDP/0.1 client and worker, the transport)
  rfc 8  8/MMI    /work/shared/specs/rfc-8-MMI.md   (mmi.service, used by the server)
The MDP/0.1 framing (encode, decode, ProtocolError) is mdp_peer.py's, next to peer_common.py.

Roles (see --help of each), all talking MDP/0.1 to a broker at --connect:
  request   titanic.request [service, body...]; prints the UUID
  reply     titanic.reply [uuid]; prints the reply body frames, one a line
  close     titanic.close [uuid]
  client    the zguide's ticlient flow for --count requests to an echo service:
            submit all, fetch each reply, check it, close it; prints "OK N"
  server    a Titanic server: MDP/0.1 workers for titanic.request/.reply/.close,
            requests and replies stored in --store DIR, requests dispatched to their
            service as an MDP/0.1 client; survives a restart (kill -9 included)

Every role is STRICT: a received message that breaks rfc 9 or rfc 7 framing is reported
on stderr as "PROTOCOL ERROR: <what>; frames=[hex,...]". The client roles then exit 3;
the server exits 3 when the broker breaks MDP, but when a TSP client sends a malformed
request it only reports it and answers with an error status (400 for a missing or
malformed UUID, 500 for a malformed titanic.request) and goes on serving.

Exit codes of the client roles: 0 ok, 1 interrupted (SIGTERM/SIGINT/stdin EOF),
2 TIMEOUT (no MDP reply after --retries attempts of --timeout seconds; for `client`
also a reply still pending after --wait; also argparse usage errors), 3 PROTOCOL ERROR
(or `client`: a reply body that is not the echo of its request), 4 PENDING (status 300
until --wait ran out), 5 UNKNOWN (status 400), 6 ERROR (status 500 until --wait ran out).
The server exits 0 on SIGTERM/SIGINT/stdin EOF (sending DISCONNECT for each service).
Only the Python standard library and pyzmq are used.
"""
import argparse
import collections
import os
import re
import struct
import sys
import time
import uuid

import zmq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "zmq4j-patterns", "src", "test", "python"))

from peer_common import hexframes, Lifeline, log, non_negative, poll_ms, positive  # noqa: E402
from mdp_peer import check_service, decode, encode, ProtocolError  # noqa: E402

REQUEST, REPLY, CLOSE = b"titanic.request", b"titanic.reply", b"titanic.close"
# rfc 9 "Status Frames": the only codes an implementation may use.
STATUS_NAMES = {200: "OK", 300: "PENDING", 400: "UNKNOWN", 500: "ERROR"}
EXIT_FOR_STATUS = {300: 4, 400: 5, 500: 6}
# rfc 9: "32 hexadecimal characters"; either case is allowed.
UUID_RE = re.compile(rb"\A[0-9A-Fa-f]{32}\Z")
STATUS_RE = re.compile(r"\A([0-9]{3})(?: (.*))?\Z", re.S)
RETRY_S = 0.1                  # clients poll titanic.reply (and retry 300/500) every 100 ms


class Timeout(Exception):
    pass


class Interrupted(Exception):
    pass


def seconds(text):
    """argparse type: a number of seconds, zero or more."""
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


# ---------------------------------------------------------------------------
# Client side: MDP/0.1 client calls and the TSP status checks (rfc 9)
# ---------------------------------------------------------------------------

class MdpClient:
    """rfc 7 "MDP/Client", synchronous: one request, one REPLY. A DEALER socket with the
    empty frame 0 made explicitly (encode does it). Recovery is the rfc's recommended
    one: poll; after --timeout close the socket, open a new one and resend; after
    --retries attempts give up (Timeout). A new socket per retry also means a late
    reply to an earlier attempt can never be mistaken for the current one."""

    def __init__(self, args):
        self.endpoint, self.timeout, self.retries = args.connect, args.timeout, args.retries
        self.ctx = zmq.Context()
        self.poller = zmq.Poller()
        self.life = Lifeline(self.poller)
        self.sock = None
        self.connect()

    def connect(self):
        if self.sock is not None:
            self.poller.unregister(self.sock)
            self.sock.close(0)
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(self.endpoint)
        self.poller.register(self.sock, zmq.POLLIN)

    def close(self):
        self.sock.close(0)
        self.ctx.term()

    def wait(self, secs):
        """Sleep, but notice shutdown; the socket has no request outstanding, so
        anything arriving on it is unsolicited."""
        deadline = time.monotonic() + secs
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            events = dict(self.poller.poll(poll_ms(left)))
            if self.life.check(events):
                raise Interrupted()
            if self.sock in events:
                frames = self.sock.recv_multipart()
                raise ProtocolError("message from the broker with no request outstanding", frames)

    def call(self, service, body):
        """Returns the reply body frames (after the MDPC01 header and service frame)."""
        request = encode("client", 1, "REQUEST", service, body=body)
        for attempt in range(1, self.retries + 1):
            if attempt > 1:
                log("RETRY %s: attempt %d of %d on a new socket" % (service.decode(), attempt,
                                                                  self.retries))
                self.connect()
            self.sock.send_multipart(request)
            deadline = time.monotonic() + self.timeout
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    log("NO REPLY from %s in %.1f s" % (service.decode(), self.timeout))
                    break
                events = dict(self.poller.poll(poll_ms(left)))
                if self.life.check(events):
                    raise Interrupted()
                if self.sock in events:
                    frames = self.sock.recv_multipart()
                    msg = decode(frames, "client", 1, "B")
                    if msg.service != service:
                        raise ProtocolError("REPLY service %r != requested %r"
                                            % (msg.service, service), frames)
                    return msg.body
        raise Timeout("TIMEOUT: %s: no reply after %d attempt(s) of %.1f s"
                      % (service.decode(), self.retries, self.timeout))


def status_of(service, reply):
    """rfc 9 "Status Frames": three digits, optionally a space and descriptive text
    (which MUST NOT be treated as significant); only 200/300/400/500 are defined."""
    try:
        text = reply[0].decode("utf-8")
    except UnicodeDecodeError:
        text = None
    m = STATUS_RE.match(text) if text is not None else None
    if m is None or (m.group(2) is not None and not m.group(2).isprintable()):
        raise ProtocolError("%s: status frame is not three digits, optionally followed by "
                            "a space and text (rfc 9)" % service.decode(), reply)
    code = int(m.group(1))
    if code not in STATUS_NAMES:
        raise ProtocolError("%s: status code %03d is not one of 200/300/400/500 (rfc 9)"
                            % (service.decode(), code), reply)
    return code


def check_shape(service, code, reply, sent_uuid=None):
    """The frames rfc 9 allows after the status frame, per service and status."""
    name = service.decode()
    if code != 200:
        if len(reply) != 1:
            raise ProtocolError("%s: status %d must come alone (content frames only with "
                                "200 OK)" % (name, code), reply)
        if service == CLOSE and code == 300:
            raise ProtocolError("titanic.close answered 300 PENDING (rfc 9: close is "
                                "idempotent, 200 OK)", reply)
        if service == CLOSE and code == 400 and UUID_RE.match(sent_uuid):
            raise ProtocolError("titanic.close answered 400 for a well-formed UUID (rfc 9: "
                                "MUST return 200 OK if the UUID is not known)", reply)
        return
    if service == REQUEST:
        # rfc 9: Frame 0 status, Frame 1 the UUID -- 32 hexadecimal characters.
        if len(reply) != 2:
            raise ProtocolError("titanic.request 200 must carry exactly one UUID frame", reply)
        if not UUID_RE.match(reply[1]):
            raise ProtocolError("titanic.request UUID is not 32 hexadecimal characters", reply)
    elif service == REPLY:
        # rfc 9: Frames 1+ the reply body; an MDP reply always has at least one frame.
        if len(reply) < 2:
            raise ProtocolError("titanic.reply 200 without any reply body frame", reply)
    elif len(reply) != 1:
        raise ProtocolError("titanic.close MUST reply with exactly 1 frame (rfc 9)", reply)


def tsp_call(client, service, body, wait):
    """One TSP call; status 300 and 500 ("SHOULD retry") are retried every 100 ms
    while `wait` seconds have not passed. Returns (code, reply frames)."""
    deadline = time.monotonic() + wait
    sent_uuid = body[0] if service != REQUEST else None
    while True:
        reply = client.call(service, body)
        code = status_of(service, reply)
        check_shape(service, code, reply, sent_uuid)
        if code in (300, 500) and time.monotonic() + RETRY_S < deadline:
            client.wait(RETRY_S)
            continue
        return code, reply


def print_frames(frames):
    """One line per frame: the text when it is UTF-8, else its hex."""
    for f in frames:
        try:
            print(f.decode("utf-8"))
        except UnicodeDecodeError:
            print(f.hex())
    sys.stdout.flush()


def client_role(run):
    """Wrap a client role: map the outcomes to exit codes, always free the socket."""
    def role(args):
        client = MdpClient(args)
        try:
            return run(client, args)
        except Timeout as e:
            log(str(e))
            return 2
        except ProtocolError as e:
            log("PROTOCOL ERROR: %s" % e)
            return 3
        except Interrupted:
            log("INTERRUPTED")
            return 1
        finally:
            client.close()
    return role


def status_exit(service, code, what=""):
    log("%s %d %s%s" % (service.decode(), code, STATUS_NAMES[code], what))
    return EXIT_FOR_STATUS[code]


@client_role
def run_request(client, args):
    body = [args.service.encode("utf-8")] + [b.encode("utf-8") for b in args.body]
    code, reply = tsp_call(client, REQUEST, body, args.wait)
    if code != 200:
        return status_exit(REQUEST, code)
    print(reply[1].decode("ascii"), flush=True)
    return 0


@client_role
def run_reply(client, args):
    code, reply = tsp_call(client, REPLY, [args.uuid.encode("utf-8")], args.wait)
    if code != 200:
        return status_exit(REPLY, code)
    print_frames(reply[1:])
    return 0


@client_role
def run_close(client, args):
    code, reply = tsp_call(client, CLOSE, [args.uuid.encode("utf-8")], args.wait)
    if code != 200:
        return status_exit(CLOSE, code)
    return 0


@client_role
def run_client(client, args):
    """The ticlient flow, N times: titanic.request, then titanic.reply until it is
    there, then titanic.close. All N are submitted first."""
    service = args.service.encode("utf-8")
    bodies = [b"msg-%d" % i for i in range(args.count)]
    uuids = []
    for body in bodies:
        code, reply = tsp_call(client, REQUEST, [service, body], args.wait)
        if code != 200:
            return status_exit(REQUEST, code, " for %s" % body.decode())
        uuids.append(reply[1])
    log("SUBMITTED %d request(s)" % len(uuids))
    deadline = time.monotonic() + args.wait
    for body, u in zip(bodies, uuids):
        while True:
            code, reply = tsp_call(client, REPLY, [u], 0)
            if code == 200:
                break
            if code == 400:
                return status_exit(REPLY, code, " for %s" % u.decode())
            if time.monotonic() + RETRY_S >= deadline:       # 300 or 500
                log("TIMEOUT: reply to %s still %d %s after %.1f s"
                    % (u.decode(), code, STATUS_NAMES[code], args.wait))
                return 2
            client.wait(RETRY_S)
        if reply[1:] != [body]:
            raise ProtocolError("titanic.reply for %s is not the echo of [%s]"
                                % (u.decode(), body.decode()), reply)
        code, reply = tsp_call(client, CLOSE, [u], args.wait)
        if code != 200:
            return status_exit(CLOSE, code, " for %s" % u.decode())
        if args.check_closed:
            # rfc 9: close "deletes any request and reply for that UUID": now unknown.
            code, reply = tsp_call(client, REPLY, [u], 0)
            if code != 400:
                raise ProtocolError("titanic.reply for closed %s: status %d, not 400 UNKNOWN"
                                    % (u.decode(), code), reply)
    print("OK %d" % args.count, flush=True)
    return 0


# ---------------------------------------------------------------------------
# Server: persistence
# ---------------------------------------------------------------------------

class StoreError(Exception):
    pass


class Store:
    """One file per request (<uuid>.req: [service, body...]) and per reply (<uuid>.rep:
    the reply body) in DIR; rfc 9 leaves the format open. A file is MAGIC, then per
    frame a 4-byte big-endian length and the bytes. Written to <name>.tmp, fsynced and
    renamed, so a crash leaves the whole file or none of it."""
    MAGIC = b"TSP-FRAMES-1\n"

    def __init__(self, directory):
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".tmp"):                     # a write cut short by a crash
                os.remove(os.path.join(directory, name))

    def path(self, u, kind):
        return os.path.join(self.dir, "%s.%s" % (u, kind))

    def write(self, u, kind, frames):
        final = self.path(u, kind)
        tmp = final + ".tmp"
        with open(tmp, "wb") as f:
            f.write(self.MAGIC)
            for frame in frames:
                f.write(struct.pack(">I", len(frame)))
                f.write(frame)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, final)
        self.sync_dir()

    def read(self, u, kind):
        """The frames, or None when there is no such file."""
        try:
            with open(self.path(u, kind), "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return None
        if not data.startswith(self.MAGIC):
            raise StoreError("%s.%s: bad magic" % (u, kind))
        frames, at = [], len(self.MAGIC)
        while at < len(data):
            if at + 4 > len(data):
                raise StoreError("%s.%s: truncated length" % (u, kind))
            (n,) = struct.unpack_from(">I", data, at)
            at += 4
            if at + n > len(data):
                raise StoreError("%s.%s: truncated frame" % (u, kind))
            frames.append(data[at:at + n])
            at += n
        return frames

    def exists(self, u, kind):
        return os.path.exists(self.path(u, kind))

    def delete(self, u):
        for kind in ("rep", "req"):
            try:
                os.remove(self.path(u, kind))
            except FileNotFoundError:
                pass
        self.sync_dir()

    def unanswered(self):
        """UUIDs with a request but no reply, oldest first."""
        found = []
        for name in os.listdir(self.dir):
            u, dot, kind = name.partition(".")
            if kind == "req" and UUID_RE.match(u.encode()) and not self.exists(u, "rep"):
                try:
                    found.append((os.stat(os.path.join(self.dir, name)).st_mtime_ns, u))
                except FileNotFoundError:
                    pass
        return [u for _, u in sorted(found)]

    def sync_dir(self):
        fd = os.open(self.dir, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ---------------------------------------------------------------------------
# Server: one MDP/0.1 worker per TSP service (rfc 7 "MDP/Worker")
# ---------------------------------------------------------------------------

class ServiceWorker:
    """One DEALER per service (rfc 7: one worker handles precisely one service).
    Heartbeats both ways: we send HEARTBEAT when we sent nothing for a heartbeat
    interval; any command from the broker except DISCONNECT counts as its heartbeat;
    a broker silent for --liveness intervals is dropped: new socket, READY again."""

    def __init__(self, server, service, handler):
        self.server, self.service, self.handler = server, service, handler
        self.sock = None
        self.next_hb = self.broker_deadline = 0.0

    def connect(self):
        srv = self.server
        if self.sock is not None:
            srv.poller.unregister(self.sock)
            self.sock.close(0)
        self.sock = srv.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(srv.args.connect)
        srv.poller.register(self.sock, zmq.POLLIN)
        self.send("READY", service=self.service)
        self.broker_deadline = time.monotonic() + srv.silence
        log("REGISTER %s" % self.service.decode())

    def send(self, name, **kw):
        self.sock.send_multipart(encode("worker", 1, name, **kw))
        self.next_hb = time.monotonic() + self.server.hb      # no HEARTBEAT while talking

    def readable(self):
        """Handle everything queued; ProtocolError (from the broker) propagates."""
        while True:
            try:
                frames = self.sock.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            msg = decode(frames, "worker", 1, "B")
            if msg.name == "DISCONNECT":
                # rfc 7: send nothing further, close the socket, reconnect on a new one
                log("RECV DISCONNECT %s" % self.service.decode())
                self.connect()
                return
            self.broker_deadline = time.monotonic() + self.server.silence
            if msg.name == "REQUEST":
                reply = self.handler(msg.body)
                # rfc 7: exactly one REPLY, to the client address of the REQUEST
                self.send("REPLY", address=msg.address, body=reply)

    def tick(self, now):
        if now >= self.broker_deadline:
            log("RECONNECT %s: broker silent for %d heartbeats"
                % (self.service.decode(), self.server.args.liveness))
            self.connect()
        elif now >= self.next_hb:
            self.send("HEARTBEAT")

    def deadline(self):
        return min(self.next_hb, self.broker_deadline)

    def close(self):
        self.send("DISCONNECT")          # rfc 7: the worker MAY send DISCONNECT at any time
        self.sock.close(1000)


# ---------------------------------------------------------------------------
# Server: the dispatcher, an asynchronous MDP/0.1 client (rfc 9 "Request Execution")
# ---------------------------------------------------------------------------

Inflight = collections.namedtuple("Inflight", "uuid service body stage deadline")


class Dispatcher:
    """Sends stored requests to their service "as and when services are available":
    first mmi.service (rfc 8) unless --no-mmi, then the request itself; one request
    outstanding at a time (MDP/Client is synchronous). A service that is not there
    (404) or does not answer in --dispatch-timeout is tried again --retry-ms later;
    after a timeout the socket is replaced, so a late reply cannot arrive on it."""

    def __init__(self, server):
        self.server = server
        self.args = server.args
        self.use_mmi = not self.args.no_mmi
        self.pending = collections.OrderedDict()      # uuid -> service, oldest first
        self.retry_at = {}                            # service -> monotonic time
        self.inflight = None
        self.sock = None

    def connect(self):
        srv = self.server
        if self.sock is not None:
            srv.poller.unregister(self.sock)
            self.sock.close(0)
        self.sock = srv.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(self.args.connect)
        srv.poller.register(self.sock, zmq.POLLIN)

    def add(self, u, service):
        self.pending[u] = service

    def forget(self, u):
        self.pending.pop(u, None)

    def send(self, u, service, body, stage):
        if stage == "mmi":
            frames = encode("client", 1, "REQUEST", b"mmi.service", body=[service])
        else:
            frames = encode("client", 1, "REQUEST", service, body=body)
            log("DISPATCH %s -> %s frames=%d" % (u, service.decode(), len(body)))
        self.sock.send_multipart(frames)
        self.inflight = Inflight(u, service, body, stage,
                                 time.monotonic() + self.args.dispatch_timeout)

    def start_next(self, now):
        if self.inflight is not None:
            return
        for u, service in self.pending.items():
            if self.retry_at.get(service, 0.0) > now:
                continue
            try:
                request = self.server.store.read(u, "req")
            except (OSError, StoreError) as e:
                log("STORE ERROR reading request %s: %s; dropped from the queue" % (u, e))
                self.forget(u)
                return
            if request is None:                 # closed meanwhile
                self.forget(u)
                return
            body = request[1:]
            self.send(u, service, body, "mmi" if self.use_mmi else "call")
            return

    def readable(self):
        while True:
            try:
                frames = self.sock.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            f = self.inflight
            if f is None:
                raise ProtocolError("dispatcher: message from the broker with no request "
                                    "outstanding", frames)
            msg = decode(frames, "client", 1, "B")
            expected = b"mmi.service" if f.stage == "mmi" else f.service
            if msg.service != expected:
                raise ProtocolError("REPLY service %r != requested %r" % (msg.service, expected),
                                    frames)
            self.inflight = None
            if f.stage == "mmi":
                self.on_mmi(f, msg.body)
            else:
                self.on_reply(f, msg.body)

    def on_mmi(self, f, body):
        # rfc 8: "200" when at least one worker is registered, else "404"
        if body == [b"200"]:
            self.send(f.uuid, f.service, f.body, "call")
        elif body == [b"404"]:
            if self.retry_at.get(f.service, 0.0) == 0.0:
                log("UNAVAILABLE %s (mmi.service 404): retrying every %d ms"
                    % (f.service.decode(), self.args.retry_ms))
            self.retry_at[f.service] = time.monotonic() + self.args.retry_ms / 1000.0
        else:
            log("NO MMI: mmi.service answered %s; dispatching without it from now on"
                % hexframes(body))
            self.use_mmi = False
            self.send(f.uuid, f.service, f.body, "call")

    def on_reply(self, f, body):
        self.retry_at.pop(f.service, None)
        store = self.server.store
        if not store.exists(f.uuid, "req"):
            log("DISCARD reply for %s: closed while it was being executed" % f.uuid)
        else:
            try:
                store.write(f.uuid, "rep", body)
            except OSError as e:
                log("STORE ERROR writing reply %s: %s; will execute it again" % (f.uuid, e))
                self.retry_at[f.service] = time.monotonic() + self.args.retry_ms / 1000.0
                return
            log("STORED reply %s frames=%d" % (f.uuid, len(body)))
        self.forget(f.uuid)

    def tick(self, now):
        f = self.inflight
        if f is not None and now >= f.deadline:
            log("DISPATCH TIMEOUT %s (%s) after %.1f s: new socket, retry in %d ms"
                % (f.uuid, "mmi.service" if f.stage == "mmi" else f.service.decode(),
                   self.args.dispatch_timeout, self.args.retry_ms))
            self.inflight = None
            self.retry_at[f.service] = now + self.args.retry_ms / 1000.0
            self.connect()
        self.start_next(now)

    def deadline(self, now):
        if self.inflight is not None:
            return self.inflight.deadline
        waits = [self.retry_at.get(s, 0.0) for s in self.pending.values()]
        return max(now, min(waits)) if waits else now + 1.0


# ---------------------------------------------------------------------------
# Server: the three TSP services (rfc 9 "Services")
# ---------------------------------------------------------------------------

class Server:
    def __init__(self, args):
        self.args = args
        self.hb = args.heartbeat_ms / 1000.0
        self.silence = args.liveness * self.hb
        self.store = Store(args.store)
        self.ctx = zmq.Context()
        self.poller = zmq.Poller()
        self.dispatcher = Dispatcher(self)
        self.workers = [ServiceWorker(self, REQUEST, self.on_request),
                        ServiceWorker(self, REPLY, self.on_reply),
                        ServiceWorker(self, CLOSE, self.on_close)]

    def bad_request(self, service, what, frames, status):
        log("PROTOCOL ERROR: %s: %s; frames=%s" % (service, what, hexframes(frames)))
        return [status]

    def uuid_arg(self, service, body):
        """rfc 9: titanic.reply and titanic.close take exactly 1 frame, the UUID."""
        if len(body) != 1:
            return None, self.bad_request(service, "request must be exactly 1 frame (the UUID)",
                                          body, b"400")
        if not UUID_RE.match(body[0]):
            return None, self.bad_request(service, "UUID is not 32 hexadecimal characters",
                                          body, b"400")
        return body[0].decode("ascii").lower(), None

    def on_request(self, body):
        # rfc 9: 2 or more frames, the service name (printable string) then the body
        if len(body) < 2:
            return self.bad_request("titanic.request", "needs a service frame and 1+ body "
                                    "frames", body, b"500")
        try:
            check_service(body[0], body)
        except ProtocolError as e:
            return self.bad_request("titanic.request", str(e).split("; frames=")[0], body, b"500")
        u = uuid.uuid4().hex
        try:
            self.store.write(u, "req", body)
        except OSError as e:
            log("STORE ERROR writing request: %s" % e)
            return [b"500"]
        self.dispatcher.add(u, body[0])
        log("REQUEST %s service=%s frames=%d: 200" % (u, body[0].decode(), len(body) - 1))
        return [b"200", u.encode("ascii")]

    def on_reply(self, body):
        u, error = self.uuid_arg("titanic.reply", body)
        if error:
            return error
        try:
            reply = self.store.read(u, "rep")
            if reply is not None:
                status, out = b"200", [b"200"] + reply
            elif self.store.exists(u, "req"):
                status, out = b"300", [b"300"]
            else:
                status, out = b"400", [b"400"]
        except (OSError, StoreError) as e:
            log("STORE ERROR reading %s: %s" % (u, e))
            status, out = b"500", [b"500"]
        log("REPLY %s: %s" % (u, status.decode()))
        return out

    def on_close(self, body):
        u, error = self.uuid_arg("titanic.close", body)
        if error:
            return error
        try:
            self.store.delete(u)
        except OSError as e:
            log("STORE ERROR deleting %s: %s" % (u, e))
            return [b"500"]
        self.dispatcher.forget(u)
        log("CLOSE %s: 200" % u)
        return [b"200"]          # rfc 9: idempotent, 200 OK also for an unknown UUID

    def run(self):
        life = Lifeline(self.poller)
        recovered = 0
        for u in self.store.unanswered():
            try:
                request = self.store.read(u, "req")
            except (OSError, StoreError) as e:
                log("STORE ERROR reading request %s: %s; skipped" % (u, e))
                continue
            if request:
                self.dispatcher.add(u, request[0])
                recovered += 1
        log("RECOVERED %d unanswered request(s) from %s" % (recovered, self.args.store))
        self.dispatcher.connect()
        for w in self.workers:
            w.connect()
        print("READY", flush=True)
        try:
            while True:
                now = time.monotonic()
                deadline = min([now + 1.0, self.dispatcher.deadline(now)] +
                               [w.deadline() for w in self.workers])
                events = dict(self.poller.poll(poll_ms(max(0.0, deadline - now))))
                if life.check(events):
                    break
                for w in self.workers:
                    if w.sock in events:
                        w.readable()
                if self.dispatcher.sock in events:
                    self.dispatcher.readable()
                now = time.monotonic()
                for w in self.workers:
                    w.tick(now)
                self.dispatcher.tick(now)
        except ProtocolError as e:
            log("PROTOCOL ERROR: from broker: %s" % e)
            self.ctx.destroy(0)
            return 3
        for w in self.workers:
            w.close()
        self.dispatcher.sock.close(0)
        self.ctx.term()
        return 0


# ---------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description="Titanic Service Protocol (rfc 9) test peer, "
                                            "over MDP/0.1 (rfc 7)")
    sub = p.add_subparsers(dest="role", required=True)

    r = sub.add_parser("request", help="titanic.request: store a request, print its UUID")
    r.add_argument("--service", required=True, help="the target service, e.g. echo")
    # rfc 9: 2 or more frames, so at least one body frame
    r.add_argument("--body", required=True, nargs="+", action="extend", metavar="TEXT",
                   help="body frame(s), UTF-8; repeatable")

    g = sub.add_parser("reply", help="titanic.reply: print the reply body, a frame a line "
                                     "(UTF-8, else hex)")
    g.add_argument("--uuid", required=True)

    x = sub.add_parser("close", help="titanic.close")
    x.add_argument("--uuid", required=True)

    c = sub.add_parser("client", help="ticlient flow for --count requests to an echo service")
    c.add_argument("--service", required=True)
    c.add_argument("--count", type=positive, default=1)
    c.add_argument("--no-check-closed", dest="check_closed", action="store_false",
                   help="skip the titanic.reply after each close (expects 400 UNKNOWN)")

    for sp, default in ((r, 0.0), (g, 0.0), (x, 0.0), (c, 30.0)):
        sp.add_argument("--connect", required=True, help="broker endpoint")
        sp.add_argument("--wait", type=seconds, default=default,
                        help=("seconds allowed for fetching all the replies (300/500 are "
                              "retried every 100 ms); default %g" if sp is c else
                              "keep retrying status 300/500 every 100 ms for this many "
                              "seconds; default %g") % default)
        sp.add_argument("--timeout", type=seconds, default=5.0,
                        help="seconds to wait for each MDP reply (default 5)")
        sp.add_argument("--retries", type=positive, default=3,
                        help="MDP attempts, each on a new socket (default 3)")

    s = sub.add_parser("server", help="Titanic server: titanic.request/.reply/.close workers")
    s.add_argument("--connect", required=True, help="broker endpoint")
    s.add_argument("--store", required=True, help="directory for requests and replies")
    s.add_argument("--heartbeat-ms", type=positive, default=2500)
    s.add_argument("--liveness", type=positive, default=3)
    s.add_argument("--dispatch-timeout", type=seconds, default=5.0,
                   help="seconds to wait for a service's reply before trying again")
    s.add_argument("--retry-ms", type=non_negative, default=500,
                   help="pause before trying a service again (absent or timed out)")
    s.add_argument("--no-mmi", action="store_true",
                   help="dispatch without asking mmi.service first")

    args = p.parse_args(argv)
    if args.role == "server":
        return Server(args).run()
    return {"request": run_request, "reply": run_reply, "close": run_close,
            "client": run_client}[args.role](args)


if __name__ == "__main__":
    sys.exit(main())
