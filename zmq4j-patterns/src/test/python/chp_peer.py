#!/usr/bin/python3
"""Clustered Hashmap Protocol (rfc 12 CHP, the zguide's "Clone") reference peer for zmq4j
interop tests: a CHP client and a single CHP server.

Written from rfc 12 (normative) and the zguide's chapter 5 prose "Reliable Pub-Sub (Clone
Pattern)" (Model Six: kvmsg with UUID and properties, ttl, HUGZ, the client's Initial /
Syncing / Active machine failing over after SERVER_TTL of silence). The zguide's clone.c,
clonesrv6.c and kvmsg were read for wire facts only; no code was taken. Wire facts:
  * every command but ICANHAZ is 5 frames [key, sequence (8 bytes, network order; signed,
    as C's int64_t), uuid (16 bytes or empty), properties ("name=value\\n"*), value];
  * ICANHAZ is ["ICANHAZ?", subtree]; a subtree is empty or "/" segment "/" ... "/";
  * a server binds a snapshot ROUTER on P, an updates PUB on P+1, a collector SUB on P+2;
  * a snapshot is KVSYNC* then KTHXBAI (its sequence >= every KVSYNC's, the subtree in
    frame 4); HUGZ is ["HUGZ", 0, "", "", ""]; an empty value deletes; property
    ttl=<seconds> makes the server delete the key later (ttl=0: never, as in the zguide).

server --port P [--bind-host 127.0.0.1] [--hugz-ms 1000]
  ICANHAZ -> a KVSYNC per key under the subtree (sequence of its last KVSET, frames 2-3
  empty), then KTHXBAI with the current sequence. KVSET -> sequence+1, republished as
  KVPUB with its uuid and properties; ttl expiry -> sequence+1, KVPUB with empty value.
  HUGZ every --hugz-ms. Stdout: READY once bound. Stderr: PUBLISH/SNAPSHOT lines.

client --connect tcp://HOST:P [--connect tcp://HOST2:P2 ...] [--subtree /a/]
       [--server-ttl-ms 5000]
  Like the zguide's clone agent: a SUB per server (subtree + "HUGZ"), ONE PUB connected to
  the collector of EVERY server (a KVSET reaches them all), snapshot via a DEALER. Per
  server: WAITING until a first message arrives on its SUB (normally a HUGZ; it proves our
  subscription is live, so no update can fall between snapshot and subscription), then
  ICANHAZ (SYNCING: KVSYNCs are staged, updates stay queued), KTHXBAI (ACTIVE: staged
  pairs applied, then KVPUBs whose sequence is above the last one, others are discarded as
  rfc 12 says). No message from the current server for --server-ttl-ms in any state ->
  "FAILOVER from EP to EP2" on stderr, next server in --connect order, WAITING again; the
  map is kept, the new snapshot overwrites its entries. The map holds the subtree only.
  Stdin, one command a line, run in order once READY (a WAIT holds back those after it):
    SET key value [ttl]  KVSET: fresh uuid4, sequence 0, "ttl=N\\n" if given; applied locally
    DEL key              KVSET with an empty value
    DUMP                 -> "MAP seq=<last sequence> <json.dumps(map, sort_keys=True)>"
    WAIT key value MS    -> "HAVE key" as soon as the map holds value, else "TIMEOUT key"
    WAITGONE key MS      -> "GONE key" as soon as key is absent, else "TIMEOUT key"
    anything else        -> "ERROR <line>: <reason>"
  (keys and values are single words; the timeout of a WAIT starts when it is its turn.)
  Stdout: READY once the first snapshot is complete and our PUB is connected to that
  server's collector (so a SET after READY is not lost), then the answers above. Stderr:
  "SYNCED seq=N keys=K server=EP" per snapshot (K = KVSYNCs in it), UPDATE/DELETE/DISCARD.
  Stdin EOF: queued commands still run (before READY they wait at most one server-ttl per
  server), then exit. Note, a CHP limit: a server restarted quicker than server-ttl goes
  unnoticed (no silence), and its reset sequence makes the client discard its updates.

Both roles are STRICT: a message violating rfc 12 is reported on stderr as
"PROTOCOL ERROR: <what>; frames=[hex,...]" and ignored (but still shows the server alive).
Checked: frame counts, 8-byte sequences, uuid of 0 or 16 bytes, properties syntax, ttl in
whole seconds, ICANHAZ name and subtree syntax, KVSYNC keys inside the subtree, KTHXBAI
subtree and sequence, anything on the snapshot socket after KTHXBAI, HUGZ value empty.
Tolerated, said once as "NOTE:": a uuid/properties in KVSYNC, KTHXBAI or HUGZ and a HUGZ
sequence other than 0. rfc 12 shows these as <empty>/0, but no MUST covers them, nothing
reads them, and the zguide's servers (rfc 12's "prime reference implementation") fill them.
Not errors: gaps in sequences (other subtrees), old or repeated KVPUBs (discarded).
Exit codes: 0 ok (also SIGTERM/SIGINT/stdin EOF), 1 server could not bind, 2 usage error.
Only the Python standard library and pyzmq are used.
"""
import argparse
import collections
import json
import os
import re
import struct
import sys
import time
import uuid

import zmq
from zmq.utils.monitor import recv_monitor_message

from peer_common import hexframes, Lifeline, log, poll_ms, positive, read_lines

ICANHAZ, KTHXBAI, HUGZ = b"ICANHAZ?", b"KTHXBAI", b"HUGZ"
SUBTREE = re.compile(rb"/([^/]+/)+")            # a slash, one or more segments, a slash
SEQ = struct.Struct(">q")                       # 8 bytes, network order


class ProtocolError(Exception):
    pass


def protocol_error(what, frames):
    log("PROTOCOL ERROR: %s; frames=%s" % (what, hexframes(frames)))


def show(data, limit=64):
    text = data.decode("utf-8", "backslashreplace")
    return text if len(text) <= limit else text[:limit] + "..(%d bytes)" % len(data)


def valid_subtree(subtree):
    return subtree == b"" or SUBTREE.fullmatch(subtree) is not None


def parse_command(frames, name):
    """The 5-frame layout of KVSYNC, KTHXBAI, KVPUB, HUGZ and KVSET:
    (key, sequence, uuid, raw properties, value), or ProtocolError."""
    if len(frames) != 5:
        raise ProtocolError("%s must have 5 frames, got %d" % (name, len(frames)))
    key, seq, uid, props, value = frames
    if len(seq) != 8:
        raise ProtocolError("%s sequence must be 8 bytes, got %d" % (name, len(seq)))
    if len(uid) not in (0, 16):
        raise ProtocolError("%s uuid must be 16 bytes or empty, got %d" % (name, len(uid)))
    return key, SEQ.unpack(seq)[0], uid, props, value


def parse_properties(raw, name):
    """Zero or more "name=value<newline>" in a 0MQ string (read as UTF-8) -> dict."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("%s properties are not a UTF-8 string" % name)
    if text and not text.endswith("\n"):
        raise ProtocolError("%s properties must end with a newline" % name)
    props = {}
    for line in text.split("\n")[:-1]:
        pname, eq, value = line.partition("=")
        if not eq or not pname:
            raise ProtocolError("%s property %r is not name=value" % (name, line))
        props[pname] = value
    return props


def split_endpoint(text):
    """tcp://HOST:PORT -> (HOST, PORT); the server's three ports are PORT..PORT+2."""
    m = re.fullmatch(r"tcp://(.+):(\d+)", text)
    if not m or not 0 < int(m.group(2)) <= 65533:
        raise argparse.ArgumentTypeError("want tcp://HOST:PORT with PORT <= 65533")
    return m.group(1), int(m.group(2))


def drain(sock, handler):
    while True:
        try:
            frames = sock.recv_multipart(zmq.NOBLOCK)
        except zmq.Again:
            return
        handler(frames)


# ---------------------------------------------------------------------------
# Server: one CHP server (no Binary Star), everything in one poll loop
# ---------------------------------------------------------------------------

class Server:
    def __init__(self, args):
        self.hugz = args.hugz_ms / 1000.0
        self.sequence = 0
        self.kvmap = {}          # key -> (sequence of its last KVSET, value)
        self.expiry = {}         # key -> monotonic deadline, from the ttl property
        self.ctx = zmq.Context()
        self.snapshot, self.publisher, self.collector = (
            self.socket(kind) for kind in (zmq.ROUTER, zmq.PUB, zmq.SUB))
        self.snapshot.setsockopt(zmq.ROUTER_MANDATORY, 1)   # log replies to vanished clients
        self.collector.setsockopt(zmq.SUBSCRIBE, b"")
        self.endpoints = ["tcp://%s:%d" % (args.bind_host, args.port + i) for i in range(3)]
        for sock, endpoint in zip((self.snapshot, self.publisher, self.collector), self.endpoints):
            sock.bind(endpoint)                          # ZMQError: exit 1 in main()

    def socket(self, kind):
        sock = self.ctx.socket(kind)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.SNDHWM, 0)                   # a test peer must not drop updates
        sock.setsockopt(zmq.RCVHWM, 0)
        return sock

    def publish(self, key, uid, props, value, why):
        self.sequence += 1
        self.publisher.send_multipart([key, SEQ.pack(self.sequence), uid, props, value])
        what = "value=%s" % show(value) if value else "delete"
        if props:
            what += " props=%s" % show(props).replace("\n", ";")
        log("PUBLISH seq=%d key=%s %s (%s)" % (self.sequence, show(key), what, why))

    def on_request(self, frames):
        identity, command = frames[0], frames[1:]        # ROUTER: identity first
        if len(command) != 2:
            return protocol_error("ICANHAZ must have 2 frames, got %d" % len(command), command)
        if command[0] != ICANHAZ:
            return protocol_error('snapshot request frame 0 must be "ICANHAZ?"', command)
        subtree = command[1]
        if not valid_subtree(subtree):
            return protocol_error('ICANHAZ subtree must be empty or "/segment/.../"', command)
        replies = [[identity, key, SEQ.pack(seq), b"", b"", value]         # KVSYNC
                   for key, (seq, value) in sorted(self.kvmap.items()) if key.startswith(subtree)]
        replies.append([identity, KTHXBAI, SEQ.pack(self.sequence), b"", b"", subtree])
        try:
            for reply in replies:
                self.snapshot.send_multipart(reply, zmq.NOBLOCK)
        except zmq.ZMQError as e:                        # EHOSTUNREACH: the client went away
            return log("DROP snapshot to %s: %s" % (identity.hex(), e))
        log("SNAPSHOT to=%s subtree='%s' keys=%d seq=%d"
            % (identity.hex(), show(subtree), len(replies) - 1, self.sequence))

    def on_kvset(self, frames):
        try:
            key, _, uid, props, value = parse_command(frames, "KVSET")   # sequence: no meaning
            ttl = parse_properties(props, "KVSET").get("ttl")
            if ttl is not None and not re.fullmatch("[0-9]+", ttl):
                raise ProtocolError("KVSET ttl property must be whole seconds, got %r" % ttl)
        except ProtocolError as e:
            return protocol_error(str(e), frames)
        self.publish(key, uid, props, value, "KVSET")    # uuid and properties kept as sent
        self.expiry.pop(key, None)                       # a new KVSET replaces any old ttl
        if value:
            self.kvmap[key] = (self.sequence, value)
            if ttl is not None and int(ttl) > 0:
                self.expiry[key] = time.monotonic() + int(ttl)
        else:
            self.kvmap.pop(key, None)

    def run(self):
        log("BOUND %s" % " ".join(self.endpoints))
        print("READY", flush=True)
        poller = zmq.Poller()
        poller.register(self.snapshot, zmq.POLLIN)
        poller.register(self.collector, zmq.POLLIN)
        life = Lifeline(poller)
        hugz_at = time.monotonic() + self.hugz
        while True:
            wake = min([hugz_at] + list(self.expiry.values()))
            events = dict(poller.poll(poll_ms(wake - time.monotonic())))
            if life.check(events):
                break
            drain(self.snapshot, self.on_request)
            drain(self.collector, self.on_kvset)
            now = time.monotonic()
            for key in sorted(k for k, when in self.expiry.items() if when <= now):
                del self.expiry[key], self.kvmap[key]
                self.publish(key, b"", b"", b"", "ttl expired")
            if now >= hugz_at:
                self.publisher.send_multipart([HUGZ, SEQ.pack(0), b"", b"", b""])
                hugz_at = now + self.hugz
        for sock in (self.snapshot, self.publisher, self.collector):
            sock.close()
        self.ctx.term()
        return 0


# ---------------------------------------------------------------------------
# Client: the zguide clone agent's state machine, driven by commands on stdin
# ---------------------------------------------------------------------------

WAITING, SYNCING, ACTIVE = "waiting for updates", "syncing", "active"
ARITY = {"SET": (2, 3), "DEL": (1,), "DUMP": (0,), "WAIT": (3,), "WAITGONE": (2,)}


def parse_line(words):
    """A stdin command -> [op, key, value, number, deadline]: number is the ttl of SET or
    the timeout of a WAIT, whose deadline is set when it starts. A bad line becomes
    ["ERROR", line, reason, None, None], answered in its turn."""
    op, args = words[0].upper(), words[1:]
    if len(args) not in ARITY.get(op, ()):
        return ["ERROR", " ".join(words), "unknown command or wrong number of arguments", None, None]
    number = None
    if op in ("WAIT", "WAITGONE") or len(args) == 3:
        if not re.fullmatch("[0-9]+", args[-1]):
            return ["ERROR", " ".join(words), "%s is not a whole number" % args[-1], None, None]
        number = int(args[-1])
    key = args[0].encode("utf-8") if args else None
    value = args[1].encode("utf-8") if op in ("SET", "WAIT") else b""
    return [op, key, value, number, None]


def out(line):
    print(line, flush=True)


class Client:
    def __init__(self, args):
        self.subtree = args.subtree.encode("utf-8")
        self.ttl = args.server_ttl_ms / 1000.0
        self.endpoints = args.connect
        addresses = [split_endpoint(e) for e in self.endpoints]
        self.ctx = zmq.Context()
        self.poller = zmq.Poller()
        self.subs = []           # a SUB per server, connected for the whole run
        for host, port in addresses:
            sub = self.ctx.socket(zmq.SUB)
            sub.setsockopt(zmq.LINGER, 0)
            sub.setsockopt(zmq.RCVHWM, 0)
            sub.setsockopt(zmq.SUBSCRIBE, self.subtree)   # the subtree first, then HUGZ:
            sub.setsockopt(zmq.SUBSCRIBE, HUGZ)           # a HUGZ proves both are live
            sub.connect("tcp://%s:%d" % (host, port + 1))
            self.subs.append(sub)
            self.poller.register(sub, zmq.POLLIN)
        # ONE PUB, connected to the collector (P+2) of every server: KVSETs reach them all.
        # Its monitor tells when the current server's collector is connected (for READY).
        self.pub = self.ctx.socket(zmq.PUB)
        self.pub.setsockopt(zmq.LINGER, 500)              # flush the last KVSETs on exit
        self.pub.setsockopt(zmq.SNDHWM, 0)
        self.monitor = self.pub.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
        self.poller.register(self.monitor, zmq.POLLIN)
        self.collectors = ["tcp://%s:%d" % (host, port + 2) for host, port in addresses]
        for endpoint in self.collectors:
            self.pub.connect(endpoint)
        self.pub_up = set()      # collectors our PUB completed a handshake with
        self.snapshot = None     # a new DEALER for every ICANHAZ: stale replies die with it
        self.kvmap = {}
        self.sequence = 0        # of the last KTHXBAI or applied KVPUB
        self.current = 0         # index in --connect of the server we listen to
        self.ready = False
        self.noted = set()
        self.life = Lifeline(self.poller, watch_stdin=False)   # stdin carries commands
        self.inbuf, self.commands = b"", collections.deque()
        try:
            os.fstat(0)
            self.poller.register(0, zmq.POLLIN)
            self.stdin_open = True
        except OSError:
            self.stdin_open = False                      # no stdin: as if at EOF
        self.give_up = time.monotonic() + self.ttl * len(self.endpoints)
        self.enter_waiting(time.monotonic())

    # --- one server at a time: WAITING -> SYNCING -> ACTIVE, FAILOVER on silence ---------

    def enter_waiting(self, now):
        self.state, self.expiry = WAITING, now + self.ttl
        log("WAITING for a message from %s" % self.endpoints[self.current])

    def close_snapshot(self):
        if self.snapshot is not None:
            self.poller.unregister(self.snapshot)
            self.snapshot.close()
            self.snapshot = None

    def send_icanhaz(self, now):
        self.close_snapshot()
        self.snapshot = self.ctx.socket(zmq.DEALER)
        self.snapshot.setsockopt(zmq.LINGER, 0)
        self.snapshot.connect("tcp://%s:%d" % split_endpoint(self.endpoints[self.current]))
        self.snapshot.send_multipart([ICANHAZ, self.subtree])
        self.poller.register(self.snapshot, zmq.POLLIN)
        self.staged, self.staged_max = {}, -2 ** 63
        self.state, self.expiry = SYNCING, now + self.ttl
        self.poller.modify(self.subs[self.current], 0)  # updates wait in the SUB meanwhile
        log("ICANHAZ subtree='%s' to %s" % (show(self.subtree), self.endpoints[self.current]))

    def failover(self, now):
        old = self.endpoints[self.current]
        log("server %s silent for %d ms (%s)" % (old, self.ttl * 1000, self.state))
        self.poller.register(self.subs[self.current], zmq.POLLIN)
        self.close_snapshot()
        self.current = (self.current + 1) % len(self.endpoints)
        log("FAILOVER from %s to %s" % (old, self.endpoints[self.current]))
        self.enter_waiting(now)

    def on_snapshot(self, frames, now):
        self.expiry = now + self.ttl                     # anything from the server: alive
        if self.state != SYNCING:
            return protocol_error("snapshot message after KTHXBAI (one ICANHAZ sent)", frames)
        try:
            key, seq, uid, props, value = parse_command(frames, "KVSYNC/KTHXBAI")
            name = "KTHXBAI" if key == KTHXBAI else "KVSYNC"
            if uid or props:                             # tolerated, see the docstring
                parse_properties(props, name)
                self.note("%s frames 2-3 (uuid, properties) not empty" % name)
            if name == "KVSYNC" and not key.startswith(self.subtree):
                raise ProtocolError("KVSYNC key outside the requested subtree")
            if name == "KTHXBAI" and value != self.subtree:
                raise ProtocolError("KTHXBAI frame 4 must be the requested subtree")
            if name == "KTHXBAI" and seq < self.staged_max:
                raise ProtocolError("KTHXBAI sequence %d is below a KVSYNC sequence %d"
                                    % (seq, self.staged_max))
        except ProtocolError as e:
            return protocol_error(str(e), frames)
        if name == "KVSYNC":                             # staged until the snapshot is complete
            self.staged[key] = value
            self.staged_max = max(self.staged_max, seq)
            return
        for k, v in self.staged.items():
            self.apply(k, v, "KVSYNC")
        self.sequence, self.state = seq, ACTIVE
        self.poller.register(self.subs[self.current], zmq.POLLIN)
        log("SYNCED seq=%d keys=%d server=%s" % (seq, len(self.staged), self.endpoints[self.current]))
        self.maybe_ready()

    def on_update(self, frames, now):
        self.expiry = now + self.ttl                     # anything from the server: alive
        try:
            key, seq, uid, props, value = parse_command(frames, "KVPUB/HUGZ")
            if key == HUGZ:
                if value:
                    raise ProtocolError("HUGZ frame 4 must be empty")
                if seq != 0 or uid or props:             # tolerated, see the docstring
                    parse_properties(props, "HUGZ")
                    self.note("HUGZ sequence not 0 or frames 2-3 not empty")
                return
            parse_properties(props, "KVPUB")
        except ProtocolError as e:
            return protocol_error(str(e), frames)
        if self.state == WAITING:
            return                                       # sent before our ICANHAZ: in the snapshot
        if not key.startswith(self.subtree):             # came through the "HUGZ" prefix
            return log("IGNORE key=%s outside the subtree" % show(key))
        if seq <= self.sequence:                         # rfc 12: MUST discard; not an error
            return log("DISCARD seq=%d key=%s (not above %d)" % (seq, show(key), self.sequence))
        self.sequence = seq
        self.apply(key, value, "KVPUB seq=%d" % seq)

    def note(self, what):
        if what not in self.noted:
            self.noted.add(what)
            log("NOTE: %s; rfc 12 shows them empty/0, the zguide's servers fill them" % what)

    def apply(self, key, value, why):
        if value:
            self.kvmap[key] = value
            log("UPDATE key=%s value=%s (%s)" % (show(key), show(value), why))
        else:
            absent = self.kvmap.pop(key, None) is None
            log("DELETE key=%s (%s)%s" % (show(key), why, " (was absent)" if absent else ""))
        self.resolve_waits(time.monotonic())             # a value seen even if it goes again

    def maybe_ready(self):
        if self.ready or self.state != ACTIVE:
            return
        if self.collectors[self.current] not in self.pub_up:
            return log("waiting for the PUB connection to %s" % self.collectors[self.current])
        self.ready = True
        self.poller.unregister(self.monitor)
        self.pub.disable_monitor()
        self.monitor.close()
        out("READY")

    # --- stdin commands, run in order once READY -----------------------------------------

    def read_stdin(self):
        lines, self.inbuf, eof = read_lines(self.inbuf)
        if eof:
            log("stdin EOF")
            self.poller.unregister(0)
            self.stdin_open = False
            self.give_up = time.monotonic() + self.ttl * len(self.endpoints)
        for line in lines:
            words = line.split()
            if words:
                self.commands.append(parse_line(words))

    def resolve_waits(self, now):
        """Answer the WAIT/WAITGONE commands at the head of the queue that are decided;
        True while the head one is still waiting."""
        while self.ready and self.commands and self.commands[0][0] in ("WAIT", "WAITGONE"):
            cmd = self.commands[0]
            op, key, value, timeout_ms, deadline = cmd
            if deadline is None:                         # its turn: the timeout starts
                deadline = cmd[4] = now + timeout_ms / 1000.0
            if self.kvmap.get(key) == value if op == "WAIT" else key not in self.kvmap:
                out("%s %s" % ("HAVE" if op == "WAIT" else "GONE", key.decode()))
            elif now >= deadline:
                out("TIMEOUT %s" % key.decode())
            else:
                return True
            self.commands.popleft()
        return False

    def run_commands(self, now):
        while self.ready and self.commands and not self.resolve_waits(now) and self.commands:
            op, key, value, number, _ = self.commands.popleft()
            if op == "ERROR":
                out("ERROR %s: %s" % (key, value))
            elif op == "DUMP":
                text = {k.decode("utf-8", "backslashreplace"): v.decode("utf-8", "backslashreplace")
                        for k, v in self.kvmap.items()}
                out("MAP seq=%d %s" % (self.sequence, json.dumps(text, sort_keys=True)))
            else:                                        # SET, or DEL (empty value)
                props = b"ttl=%d\n" % number if number is not None else b""
                self.pub.send_multipart([key, SEQ.pack(0), uuid.uuid4().bytes, props, value])
                log("KVSET key=%s %s%s" % (show(key), "value=%s" % show(value) if value else
                                           "delete", "" if number is None else " ttl=%d" % number))
                if key.startswith(self.subtree):         # the map mirrors our subtree only
                    self.apply(key, value, "local")

    # --- main loop -----------------------------------------------------------------------

    def run(self):
        while True:
            wake = self.expiry if self.stdin_open or self.ready else min(self.expiry, self.give_up)
            if self.ready and self.commands and self.commands[0][4] is not None:
                wake = min(wake, self.commands[0][4])   # the running WAIT's deadline
            events = dict(self.poller.poll(poll_ms(wake - time.monotonic())))
            if self.life.check(events):
                break
            now = time.monotonic()
            if 0 in events:
                self.read_stdin()
            if self.monitor in events:
                while self.monitor.poll(0):
                    self.pub_up.add(recv_monitor_message(self.monitor)["endpoint"].decode())
                self.maybe_ready()
            for i, sub in enumerate(self.subs):
                if sub in events and i != self.current:
                    drain(sub, lambda frames: None)      # other servers: dropped
                elif sub in events:
                    drain(sub, lambda frames: self.on_update(frames, now))
                    if self.state == WAITING:            # our subscription is live now
                        self.send_icanhaz(now)
            if self.snapshot is not None and self.snapshot in events:
                drain(self.snapshot, lambda frames: self.on_snapshot(frames, now))
            if time.monotonic() >= self.expiry:
                self.failover(time.monotonic())
            self.run_commands(time.monotonic())
            if not self.stdin_open and not self.commands:
                break
            if not self.stdin_open and not self.ready and time.monotonic() >= self.give_up:
                log("stdin EOF and not READY: %d commands dropped" % len(self.commands))
                break
        for sock in self.subs + [self.pub] + ([self.snapshot] if self.snapshot else []):
            sock.close()
        if not self.ready:
            self.monitor.close()
        self.ctx.term()
        return 0


# ---------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description="Clustered Hashmap Protocol (rfc 12) test peer")
    sub = p.add_subparsers(dest="role", required=True)

    s = sub.add_parser("server", help="one CHP server: ROUTER P, PUB P+1, SUB P+2")
    s.add_argument("--port", type=positive, required=True)
    s.add_argument("--bind-host", default="127.0.0.1")
    s.add_argument("--hugz-ms", type=positive, default=1000)

    def subtree(text):
        if not valid_subtree(text.encode("utf-8")):
            raise argparse.ArgumentTypeError('must be empty or "/segment/.../"')
        return text

    def endpoint(text):
        split_endpoint(text)
        return text

    c = sub.add_parser("client", help="CHP client; commands on stdin, answers on stdout")
    c.add_argument("--connect", type=endpoint, required=True, action="append",
                   help="tcp://HOST:PORT, a server's snapshot port; repeat in failover order")
    c.add_argument("--subtree", type=subtree, default="")
    c.add_argument("--server-ttl-ms", type=positive, default=5000)

    args = p.parse_args(argv)
    if args.role == "client":
        return Client(args).run()
    if args.port > 65533:
        p.error("--port must leave room for PORT+2")
    try:
        server = Server(args)
    except zmq.ZMQError as e:
        log("FATAL: cannot bind: %s" % e)
        return 1
    return server.run()


if __name__ == "__main__":
    sys.exit(main())
