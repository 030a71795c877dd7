#!/usr/bin/python3
"""Sequenced publish-subscribe reference peer for zmq4j interop tests: a publisher and a
subscriber of the protocol of docs/sequenced.md ("Sequenced publish-subscribe: order across
gaps, replay, exact loss reports").

Written ONLY from docs/sequenced.md (no Java code of zmq4j was read). Wire facts, all numbers
unsigned big-endian, "number" = 8 bytes:
  * data (PUB -> SUB): [topic, header + first payload frame, other payload frames...];
    header = 'S' 'Q' 1 0 | length (2 bytes: of the header, exactly 23 + idLength + 2 + the
    links) | epoch | sequence | idLength (1..255) id (UTF-8) | count (2 bytes) |
    count x (prefixLength (0..255) prefix, previous); the first payload frame is frame 1 from
    byte `length` on (it may be empty);
  * replay channel (DEALER <-> ROUTER, first frame the command):
    SQ-HELLO (prefix, start (mode 0 now / 1 from / 2 last, then a number))*,
    SQ-WELCOME id epoch now first (prefix after)*, SQ-ALIVE, SQ-STATUS epoch now first
    (prefix last)*, SQ-REPLAY epoch prefix after upTo, SQ-DATA topic (header+payload) payload...,
    SQ-END epoch prefix after through lostFrom lostTo, SQ-ERROR reason.

publisher --data EP --replay EP --id ID [--retain N] [--heartbeat-ms 1000] [--sndhwm 1000]
          [--max-subscribers 1000] [--max-prefixes 1000] [--verbose]
  Binds a PUB (data) and a ROUTER (replay; ROUTER_MANDATORY; --sndhwm on both). A random
  nonzero 63-bit epoch per start; the last --retain messages kept in memory. Links: for
  every prefix announced in a HELLO that the topic starts with, the previous match (0 if none
  in the epoch); a prefix learned late starts from its last retained match, else (retention no
  longer reaching sequence 1) from first-1, else 0. Prefixes are kept for the epoch (evicted,
  when --max-prefixes is reached or a header with all links could pass the 65535 bytes its
  length field allows, only if no live subscriber announced them).
  HELLO -> WELCOME (after: now / n-1 / just before the n-th last retained match, or first-1
  when fewer are retained); REPLAY -> DATA* END (at most 1000 DATA, stops early on EAGAIN,
  i.e. the subscriber's pipe is full; an END that cannot be sent waits in a per-subscriber
  backlog, retried every millisecond); STATUS every heartbeat to each live subscriber; a
  subscriber silent for 10 heartbeats is forgotten; malformed commands -> SQ-ERROR.
  `first` is now+1 when nothing is retained (nothing published yet).
  Stdout: READY once bound. Stdin, one command a line, run in order (WAITSUBS holds back the
  ones after it):
    PUB topic text        publish one message, payload one frame = text (rest of the line)
    BURST topic N         publish N messages, payload "m<sequence>"  -> DONE <last sequence>
    WAITSUBS N TIMEOUT_MS -> SUBS <n> once >= N live subscribers said HELLO, else TIMEOUT subs <n>
    SEQ                   -> SEQ <last sequence> EPOCH <epoch>
    anything else         -> ERROR <line>: <reason>
  Stdin EOF: the queued commands still run, then exit.

subscriber --data EP --replay EP [--data EP2 --replay EP2 ...] --prefix P [--prefix P2 ...]
           [--start now|from:N|last:N] [--heartbeat-ms 1000] [--rcvhwm 1000]
           [--max-pending 100000] [--verbose]
  One SUB (subscribed to the prefixes) connected to every --data, one DEALER per --replay
  (paired in order; --rcvhwm on all of them). HELLO with every prefix and the same start (the
  original --start again on every re-HELLO). "The subscriber's rules" of the doc per
  (publisher, prefix): duplicates dropped, in-order hand-over following the links (no link for
  our prefix: previous = sequence-1), held messages (at most --max-pending per stream: beyond
  it the highest sequence waits to be replayed, and an END does not count as covering it),
  REPLAY(after, lowest held - 1) unless one is open, END (Gap for the lost range beyond
  after, held messages up to `through` handed over, ask again when short of upTo or when
  messages are still held), the STATUS tail rule (two STATUS in a row), an unanswered REPLAY
  sent again after 5 heartbeats, HELLO again after 3 heartbeats of silence on the replay
  channel, a WELCOME with another epoch -> (Gaps of the old epoch's holes: held messages are
  handed over after naming the hole before them, then the tail the last STATUS announced)
  NEWEPOCH, and the new epoch followed from after = 0. Data of a publisher not yet welcomed,
  or of an epoch not followed, is dropped (a new epoch seen in data or an END also triggers a
  HELLO, at most once a heartbeat).
  Stdout, one flushed line per event handed over:
    MSG <publisher> <epoch> <sequence> <prefix or "-"> <topic> <first payload frame as text>
    GAP <publisher> <epoch> <prefix or "-"> <from> <to>
    NEWEPOCH <publisher> <new epoch> <previous epoch>
  Self check: a MSG at or below the last MSG/GAP of its stream in the epoch is not printed but
  reported as "SELF ERROR: ..." on stderr (a bug of this peer).
  --slow-start-ms (hidden): after the first HELLO, do not read anything for that long.

Both roles are STRICT: what the other side does against docs/sequenced.md is reported on
stderr as "PROTOCOL ERROR: <what>; frames=[hex,...]" and ignored or handled safely (after
200 reports the rest are only counted). The publisher checks: command names, frame counts,
8-byte numbers, 9-byte starts with mode 0..2, prefixes of at most 255 bytes that do not
overlap within a HELLO, ALIVE without frames, REPLAY after <= upTo, REPLAY upTo beyond the
last sequence, REPLAY of a prefix the subscriber did not announce. The subscriber checks the
header (magic, version 1, flags 0, `length` not beyond frame 1 and exactly where the fields
end, the other lengths, non-empty UTF-8 id, sequence >= 1, links for a prefix the topic does
not start with, duplicate links, links going backwards (previous >= sequence), a link skipping
a message of the prefix that we received), a live message matching none of our prefixes, the
WELCOME/STATUS/END/DATA/ERROR frame counts and numbers, WELCOME/STATUS prefixes = ours,
WELCOME `after` for our start
(NOW: now; FROM n: n-1; LAST n: first-1 <= after <= now), first <= now+1, last <= now,
`now` never going back in an epoch, two replay endpoints claiming one id, DATA with no REPLAY
outstanding, of another id or epoch, outside the asked (after, upTo] or not matching the asked
prefix, END answering no REPLAY sent, END through < after or > upTo, a lost range that is
not (0, 0) or after < lostFrom <= lostTo <= min(through, upTo), and an END for another epoch
whose through is not after or whose lost range is not (0, 0).
SQ-ERROR received is logged as "SQ-ERROR from <endpoint>: <reason>".
Exit codes: 0 ok (also on SIGTERM/SIGINT/stdin EOF), 1 could not bind (publisher) or connect
(subscriber), 2 usage error. Only the Python standard library and pyzmq are used.
"""
import argparse
import bisect
import collections
import os
import secrets
import struct
import sys
import time

import zmq

from peer_common import hexframes, Lifeline, log, non_negative, poll_ms, positive, read_lines

U64 = struct.Struct(">Q")
U16 = struct.Struct(">H")
HELLO, WELCOME, ALIVE, STATUS = b"SQ-HELLO", b"SQ-WELCOME", b"SQ-ALIVE", b"SQ-STATUS"
REPLAY, DATA, END, ERROR = b"SQ-REPLAY", b"SQ-DATA", b"SQ-END", b"SQ-ERROR"
COMMANDS = (HELLO, WELCOME, ALIVE, STATUS, REPLAY, DATA, END, ERROR)
NOW, FROM, LAST = 0, 1, 2
MODES = {NOW: "now", FROM: "from", LAST: "last"}
MAGIC = b"SQ\x01\x00"
MAX_ANSWER = 1000               # the doc: each replay answer stops at 1000 messages
ALIVE_HEARTBEATS = 10           # a subscriber silent that long is forgotten
SILENCE_HEARTBEATS = 3          # a subscriber hearing nothing that long says HELLO again
RESEND_HEARTBEATS = 5           # an unanswered REPLAY is sent again after that
MAX_REPORTS = 200


class ProtocolError(Exception):
    pass


_reports = [0]


def protocol_error(what, frames):
    _reports[0] += 1
    if _reports[0] <= MAX_REPORTS:
        log("PROTOCOL ERROR: %s; frames=%s" % (what, hexframes(frames)))
    elif _reports[0] == MAX_REPORTS + 1:
        log("PROTOCOL ERROR: (more protocol errors follow; only counted from now on)")


def report_total():
    if _reports[0] > MAX_REPORTS:
        log("PROTOCOL ERRORS total %d" % _reports[0])


def u64(frame, what):
    if len(frame) != 8:
        raise ProtocolError("%s must be a number (8 bytes), got %d bytes" % (what, len(frame)))
    return U64.unpack(frame)[0]


def text(data):
    return data.decode("utf-8", "backslashreplace").replace("\n", "\\n").replace("\r", "\\r")


def show_prefix(prefix):
    return text(prefix) if prefix else "-"


def overlapping(prefixes):
    """The first pair (a, b) of which a is a prefix of b (or equal), else None."""
    for i, a in enumerate(prefixes):
        for j, b in enumerate(prefixes):
            if i != j and b.startswith(a):
                return a, b
    return None


def build_header(epoch, sequence, pid, links):
    """The header bytes (the first payload frame's bytes follow them in frame 1)."""
    parts = [U64.pack(epoch), U64.pack(sequence), bytes([len(pid)]), pid, U16.pack(len(links))]
    for prefix, previous in links:
        parts += [bytes([len(prefix)]), prefix, U64.pack(previous)]
    body = b"".join(parts)
    return MAGIC + U16.pack(len(MAGIC) + 2 + len(body)) + body


def parse_header(frame):
    """Frame 1 of a data message -> (epoch, sequence, id, {prefix: previous}, first payload
    frame) or ProtocolError."""
    if len(frame) < 6:
        raise ProtocolError("frame 1 too short for magic and length (%d bytes)" % len(frame))
    if frame[0:2] != b"SQ":
        raise ProtocolError("header magic is not 'SQ'")
    if frame[2] != 1:
        raise ProtocolError("header version %d, not 1" % frame[2])
    if frame[3] != 0:
        raise ProtocolError("header flags %d, not 0" % frame[3])
    length = U16.unpack_from(frame, 4)[0]
    if length > len(frame):
        raise ProtocolError("header length %d exceeds frame 1 (%d bytes)" % (length, len(frame)))
    if length < 26:
        raise ProtocolError("header length %d below the 26 bytes of the fields with a 1-byte id "
                            "and no link" % length)
    h = frame[:length]                           # the fields must end exactly at `length`
    epoch, sequence = U64.unpack_from(h, 6)[0], U64.unpack_from(h, 14)[0]
    if sequence < 1:
        raise ProtocolError("header sequence 0 (sequences start at 1)")
    id_length = h[22]
    if id_length == 0:
        raise ProtocolError("header idLength 0 (1..255)")
    pos = 23
    if len(h) < pos + id_length + 2:
        raise ProtocolError("header length %d ends inside the id or the link count" % length)
    pid = h[pos:pos + id_length]
    try:
        pid.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("header id is not UTF-8")
    pos += id_length
    count = U16.unpack_from(h, pos)[0]
    pos += 2
    links = {}
    for i in range(count):
        if pos >= len(h):
            raise ProtocolError("header length %d ends before link %d of %d"
                                % (length, i + 1, count))
        prefix_length = h[pos]
        pos += 1
        if len(h) < pos + prefix_length + 8:
            raise ProtocolError("header length %d ends inside link %d of %d"
                                % (length, i + 1, count))
        prefix = h[pos:pos + prefix_length]
        pos += prefix_length
        previous = U64.unpack_from(h, pos)[0]
        pos += 8
        if prefix in links:
            raise ProtocolError("header has two links for prefix '%s'" % text(prefix))
        links[prefix] = previous
    if pos != length:
        raise ProtocolError("header fields end at byte %d, not at its length %d" % (pos, length))
    return epoch, sequence, pid, links, frame[length:]


def parse_data(frames):
    """A data message [topic, header + payload, payload...] -> (topic, epoch, sequence, id,
    links, payload frames, problems); links going backwards or for a prefix the topic does not
    start with are left out of links and described in problems. ProtocolError when unusable."""
    if len(frames) < 2:
        raise ProtocolError("data message needs topic and header frames, got %d frames"
                            % len(frames))
    topic = frames[0]
    epoch, sequence, pid, links, first_payload = parse_header(frames[1])
    problems = []
    for prefix, previous in list(links.items()):
        if not topic.startswith(prefix):
            problems.append("link for prefix '%s' that topic '%s' does not start with"
                            % (text(prefix), text(topic)))
            del links[prefix]
        elif previous >= sequence:
            problems.append("link of prefix '%s' goes backwards: previous %d >= sequence %d"
                            % (text(prefix), previous, sequence))
            del links[prefix]
    return topic, epoch, sequence, pid, links, [first_payload] + frames[2:], problems


def parse_start(value):
    if value == "now":
        return NOW, 0
    for name, mode in (("from:", FROM), ("last:", LAST)):
        if value.startswith(name):
            try:
                n = int(value[len(name):])
            except ValueError:
                break
            if mode == FROM and n < 1:
                raise argparse.ArgumentTypeError("from:N needs N >= 1 (sequences start at 1)")
            if 0 <= n < 2 ** 64:
                return mode, n
    raise argparse.ArgumentTypeError("want now, from:N or last:N")


def send(sock, frames):
    """Non-blocking send: True if sent, False on EAGAIN; other errors raise."""
    try:
        sock.send_multipart(frames, zmq.NOBLOCK)
        return True
    except zmq.Again:
        return False


# ---------------------------------------------------------------------------
# Publisher
# ---------------------------------------------------------------------------

class Sub:
    """A subscriber as the publisher tracks it."""
    __slots__ = ("prefixes", "heard")

    def __init__(self, prefixes, heard):
        self.prefixes, self.heard = prefixes, heard


class Publisher:
    def __init__(self, args):
        self.args = args
        self.hb = args.heartbeat_ms / 1000.0
        self.pid = args.id.encode("utf-8")
        self.epoch = secrets.randbits(63) or 1
        self.now = 0
        self.ret, self.head = [], 0          # retained (sequence, topic, frames), oldest at head
        self.links = {}                      # prefix -> last matching sequence (the next link)
        self.subs = {}                       # routing id -> Sub
        self.backlog = {}                    # routing id -> deque of commands not yet sent
        self.unknown_alive = set()
        self.ctx = zmq.Context()
        self.pub = self.ctx.socket(zmq.PUB)
        self.router = self.ctx.socket(zmq.ROUTER)
        for sock in (self.pub, self.router):
            sock.setsockopt(zmq.LINGER, 0)
            sock.setsockopt(zmq.SNDHWM, args.sndhwm)
        self.router.setsockopt(zmq.ROUTER_MANDATORY, 1)
        self.pub.bind(args.data)                 # ZMQError: exit 1 in main()
        self.router.bind(args.replay)
        self.poller = zmq.Poller()
        self.poller.register(self.router, zmq.POLLIN)
        self.life = Lifeline(self.poller, watch_stdin=False)   # stdin carries commands
        self.inbuf, self.commands = b"", collections.deque()
        try:
            os.fstat(0)
            self.poller.register(0, zmq.POLLIN)
            self.stdin_open = True
        except OSError:
            self.stdin_open = False

    # --- retention ----------------------------------------------------------------------

    def retained(self):
        return len(self.ret) - self.head

    def first(self):
        """Oldest retained sequence; now+1 when nothing is retained."""
        return self.ret[self.head][0] if self.retained() else self.now + 1

    def entry(self, sequence):
        return self.ret[self.head + sequence - self.first()]

    def publish(self, topic, payload):
        self.now += 1
        s = self.now
        links = []
        for prefix in self.links:
            if topic.startswith(prefix):
                links.append((prefix, self.links[prefix]))
        for prefix, _ in links:
            self.links[prefix] = s
        frames = [topic, build_header(self.epoch, s, self.pid, links) + payload[0]] + payload[1:]
        send(self.pub, frames)                   # a PUB drops at its HWM, never blocks
        self.ret.append((s, topic, frames))
        if self.retained() > self.args.retain:
            self.ret[self.head] = None
            self.head += 1
            if self.head > 4096 and self.head * 2 > len(self.ret):
                del self.ret[:self.head]
                self.head = 0

    def last_retained_match(self, prefix):
        for i in range(len(self.ret) - 1, self.head - 1, -1):
            if self.ret[i][1].startswith(prefix):
                return self.ret[i][0]
        return None

    def learn(self, prefixes):
        """Track the prefixes of a HELLO; False when --max-prefixes does not allow it."""
        new = [p for p in prefixes if p not in self.links]

        def fits():                              # the count and a header's 2-byte length
            links = list(self.links) + new
            size = 23 + len(self.pid) + 2 + sum(9 + len(p) for p in links)
            return len(links) <= self.args.max_prefixes and size <= 0xFFFF

        if not fits():
            used = {p for sub in self.subs.values() for p in sub.prefixes}
            for p in [p for p in self.links if p not in used]:
                del self.links[p]
                if fits():
                    break
            if not fits():
                return False
        for prefix in new:
            last = self.last_retained_match(prefix)
            if last is None:
                # none retained: 0 when the retention still reaches sequence 1 (no match in
                # the epoch), else the number just before the oldest retained one
                last = self.first() - 1 if self.first() > 1 else 0
            self.links[prefix] = last
            if self.args.verbose:
                log("LEARN prefix '%s' first link %d" % (text(prefix), last))
        return True

    def welcome_after(self, prefix, mode, n):
        if mode == NOW:
            return self.now
        if mode == FROM:
            return max(n, 1) - 1
        if n == 0:
            return self.now
        found = 0
        for i in range(len(self.ret) - 1, self.head - 1, -1):
            s, topic, _ = self.ret[i]
            if topic.startswith(prefix):
                found += 1
                if found == n:
                    return s - 1
        return self.first() - 1                  # fewer than n retained: all of them

    # --- replay channel -----------------------------------------------------------------

    def send_ctl(self, rid, frames):
        """A command that must arrive (WELCOME, END, ERROR): sent now, or queued behind the
        ones still waiting for room in the subscriber's pipe."""
        queue = self.backlog.get(rid)
        if queue is not None:
            if len(queue) >= 10000:
                log("DROP command to %s: backlog full" % rid.hex())
                return
            queue.append(frames)
            return
        try:
            if not send(self.router, [rid] + frames):
                self.backlog[rid] = collections.deque([frames])
        except zmq.ZMQError as e:            # EHOSTUNREACH: the subscriber is gone
            log("DROP %s to %s: %s" % (frames[0].decode(), rid.hex(), e))

    def flush_backlog(self):
        for rid in list(self.backlog):
            queue = self.backlog[rid]
            try:
                while queue and send(self.router, [rid] + queue[0]):
                    queue.popleft()
            except zmq.ZMQError as e:
                log("DROP backlog of %d commands to %s: %s" % (len(queue), rid.hex(), e))
                queue.clear()
            if not queue:
                del self.backlog[rid]

    def refuse(self, rid, what, command, reason=None):
        protocol_error(what, command)
        self.send_ctl(rid, [ERROR, (reason or what).encode("utf-8")])

    def on_router(self, frames):
        rid, command = frames[0], frames[1:]
        now = time.monotonic()
        sub = self.subs.get(rid)
        if sub is not None:
            sub.heard = now                      # any command shows the subscriber alive
        if not command:
            return protocol_error("empty command from %s" % rid.hex(), frames)
        name = command[0]
        if name == HELLO:
            self.on_hello(rid, command, now)
        elif name == ALIVE:
            if len(command) != 1:
                protocol_error("SQ-ALIVE has no frames after the name, got %d" % (len(command) - 1),
                               command)
            if sub is None and rid not in self.unknown_alive:
                self.unknown_alive.add(rid)
                log("NOTE: SQ-ALIVE from %s, a subscriber we do not know (no HELLO, or forgotten)"
                    % rid.hex())
        elif name == REPLAY:
            self.on_replay(rid, command, sub)
        elif name in COMMANDS:
            self.refuse(rid, "%s is not a command a subscriber sends" % name.decode(), command)
        else:
            self.refuse(rid, "unknown command", command)

    def on_hello(self, rid, command, now):
        body = command[1:]
        if len(body) % 2:
            return self.refuse(rid, "SQ-HELLO must have (prefix, start) pairs, got %d frames"
                               % len(body), command)
        prefixes, starts = [], []
        for prefix, start in zip(body[0::2], body[1::2]):
            if len(prefix) > 255:
                return self.refuse(rid, "SQ-HELLO prefix longer than 255 bytes", command)
            if len(start) != 9:
                return self.refuse(rid, "SQ-HELLO start must be 9 bytes, got %d" % len(start),
                                   command)
            if start[0] not in MODES:
                return self.refuse(rid, "SQ-HELLO start mode %d (0 now, 1 from, 2 last)" % start[0],
                                   command)
            prefixes.append(prefix)
            starts.append((start[0], U64.unpack_from(start, 1)[0]))
        pair = overlapping(prefixes)
        if pair:
            return self.refuse(rid, "SQ-HELLO prefixes overlap ('%s' and '%s'): prefixes of one "
                               "subscriber may not overlap" % (text(pair[0]), text(pair[1])),
                               command)
        if rid not in self.subs and len(self.subs) >= self.args.max_subscribers:
            log("REFUSE HELLO from %s: too many subscribers" % rid.hex())
            return self.send_ctl(rid, [ERROR, b"too many subscribers"])
        if not self.learn(prefixes):
            log("REFUSE HELLO from %s: too many prefixes" % rid.hex())
            return self.send_ctl(rid, [ERROR, b"too many prefixes"])
        for (mode, n) in starts:
            if mode == FROM and n == 0:
                log("NOTE: SQ-HELLO from %s: FROM 0 (sequences start at 1), read as FROM 1"
                    % rid.hex())
        if not prefixes:
            log("NOTE: SQ-HELLO from %s without prefixes" % rid.hex())
        self.subs[rid] = Sub(prefixes, now)
        self.unknown_alive.discard(rid)
        reply = [WELCOME, self.pid, U64.pack(self.epoch), U64.pack(self.now),
                 U64.pack(self.first())]
        afters = []
        for prefix, (mode, n) in zip(prefixes, starts):
            after = self.welcome_after(prefix, mode, n)
            afters.append("'%s' %s -> after %d" % (
                text(prefix), MODES[mode] + ("" if mode == NOW else " %d" % n), after))
            reply += [prefix, U64.pack(after)]
        log("HELLO from %s: %s (now %d, first %d)" % (rid.hex(), ", ".join(afters), self.now,
                                                       self.first()))
        self.send_ctl(rid, reply)

    def on_replay(self, rid, command, sub):
        if len(command) != 5:
            return self.refuse(rid, "SQ-REPLAY must have epoch, prefix, after, upTo, got %d frames"
                               % (len(command) - 1), command)
        try:
            epoch = u64(command[1], "SQ-REPLAY epoch")
            after = u64(command[3], "SQ-REPLAY after")
            up_to = u64(command[4], "SQ-REPLAY upTo")
        except ProtocolError as e:
            return self.refuse(rid, str(e), command)
        prefix = command[2]
        if len(prefix) > 255:
            return self.refuse(rid, "SQ-REPLAY prefix longer than 255 bytes", command)
        if after > up_to:
            return self.refuse(rid, "SQ-REPLAY after %d > upTo %d" % (after, up_to), command)
        if sub is not None and prefix not in sub.prefixes:
            protocol_error("SQ-REPLAY of prefix '%s' that subscriber %s did not announce"
                           % (text(prefix), rid.hex()), command)
        if epoch == self.epoch and up_to > self.now:
            protocol_error("SQ-REPLAY upTo %d beyond the last sequence %d" % (up_to, self.now),
                           command)
        self.answer(rid, epoch, prefix, after, up_to)

    def answer(self, rid, epoch, prefix, after, up_to):
        if epoch != self.epoch:
            if self.args.verbose:
                log("REPLAY from %s for epoch %d: END with epoch %d"
                    % (rid.hex(), epoch, self.epoch))
            return self.send_ctl(rid, [END, U64.pack(self.epoch), prefix, U64.pack(after),
                                       U64.pack(after), U64.pack(0), U64.pack(0)])
        hi = min(up_to, self.now)
        first = self.first()
        lost_from = lost_to = 0
        pos = after
        if after + 1 < first and after < hi:     # (after, hi] reaches below the retention
            lost_from, lost_to = after + 1, min(first - 1, hi)
            pos = lost_to
        through = max(hi, after)
        sent = 0
        if rid in self.backlog:                  # the pipe is full already: stop at once
            through = pos
        else:
            for s in range(pos + 1, hi + 1):
                _, topic, frames = self.entry(s)
                if not topic.startswith(prefix):
                    continue
                if sent == MAX_ANSWER:
                    through = s - 1
                    break
                try:
                    ok = send(self.router, [rid, DATA] + frames)
                except zmq.ZMQError as e:        # EHOSTUNREACH: gone
                    return log("DROP replay answer to %s: %s" % (rid.hex(), e))
                if not ok:                       # EAGAIN: the subscriber's pipe is full
                    through = s - 1
                    break
                sent += 1
        if self.args.verbose:
            log("REPLAY from %s '%s' (%d, %d]: %d DATA, through %d, lost %d..%d"
                % (rid.hex(), text(prefix), after, up_to, sent, through, lost_from, lost_to))
        self.send_ctl(rid, [END, U64.pack(self.epoch), prefix, U64.pack(after), U64.pack(through),
                            U64.pack(lost_from), U64.pack(lost_to)])

    def heartbeat(self, now):
        for rid in list(self.subs):
            sub = self.subs[rid]
            if now - sub.heard >= ALIVE_HEARTBEATS * self.hb:
                del self.subs[rid]
                self.backlog.pop(rid, None)
                log("FORGET subscriber %s: silent for %d heartbeats"
                    % (rid.hex(), ALIVE_HEARTBEATS))
                continue
            if rid in self.backlog:
                continue                         # its pipe is full; the next one will do
            status = [STATUS, U64.pack(self.epoch), U64.pack(self.now), U64.pack(self.first())]
            for prefix in sub.prefixes:
                status += [prefix, U64.pack(self.links.get(prefix, 0))]
            try:
                send(self.router, [rid] + status)
            except zmq.ZMQError:
                pass                             # EHOSTUNREACH: forgotten when silent long enough

    # --- stdin commands -----------------------------------------------------------------

    def read_stdin(self):
        lines, self.inbuf, eof = read_lines(self.inbuf)
        if eof:
            log("stdin EOF")
            self.poller.unregister(0)
            self.stdin_open = False
        for line in lines:
            if line.split():
                self.commands.append([line, None])

    def run_commands(self, now):
        """Run the queued commands in order; a WAITSUBS not yet decided holds the rest.
        Returns the deadline of the waiting WAITSUBS, or None."""
        while self.commands:
            cmd = self.commands[0]
            line = cmd[0]
            words = line.split(None, 2)
            op = words[0]
            try:
                if op == "PUB" and len(words) >= 2:
                    rest = line.split(None, 2)
                    self.publish(rest[1].encode("utf-8"),
                                 [(rest[2] if len(rest) > 2 else "").encode("utf-8")])
                elif op == "BURST" and len(words) == 3:
                    topic, n = words[1].encode("utf-8"), int(words[2])
                    if n < 0:
                        raise ValueError("N must be >= 0")
                    for _ in range(n):
                        self.publish(topic, [b"m%d" % (self.now + 1)])
                    print("DONE %d" % self.now, flush=True)
                elif op == "WAITSUBS" and len(line.split()) == 3:
                    n, timeout_ms = (int(w) for w in line.split()[1:])
                    if cmd[1] is None:
                        cmd[1] = now + timeout_ms / 1000.0
                    if len(self.subs) >= n:
                        print("SUBS %d" % len(self.subs), flush=True)
                    elif now >= cmd[1]:
                        print("TIMEOUT subs %d" % len(self.subs), flush=True)
                    else:
                        return cmd[1]
                elif op == "SEQ" and len(words) == 1:
                    print("SEQ %d EPOCH %d" % (self.now, self.epoch), flush=True)
                else:
                    print("ERROR %s: unknown command or wrong arguments" % line, flush=True)
            except ValueError as e:
                print("ERROR %s: %s" % (line, e), flush=True)
            self.commands.popleft()
        return None

    def run(self):
        log("BOUND data %s replay %s id %s epoch %d" % (self.args.data, self.args.replay,
                                                       self.args.id, self.epoch))
        print("READY", flush=True)
        next_hb = time.monotonic() + self.hb
        wait_until = None
        while True:
            wake = next_hb
            if wait_until is not None:
                wake = min(wake, wait_until)
            if self.backlog:
                wake = min(wake, time.monotonic() + 0.001)
            events = dict(self.poller.poll(poll_ms(wake - time.monotonic())))
            if self.life.check(events):
                break
            if 0 in events:
                self.read_stdin()
            self.flush_backlog()
            for _ in range(10000):
                try:
                    frames = self.router.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                self.on_router(frames)
            self.flush_backlog()
            now = time.monotonic()
            if now >= next_hb:
                self.heartbeat(now)
                next_hb = now + self.hb
            wait_until = self.run_commands(time.monotonic())
            if not self.stdin_open and not self.commands:
                break
        self.pub.close()
        self.router.close()
        self.ctx.term()
        report_total()
        return 0


# ---------------------------------------------------------------------------
# Subscriber
# ---------------------------------------------------------------------------

class Held:
    """The held messages of a stream: sequence -> (previous, topic, payload), sorted."""

    def __init__(self):
        self.keys, self.head, self.items = [], 0, {}

    def __len__(self):
        return len(self.keys) - self.head

    def __contains__(self, s):
        return s in self.items

    def lowest(self):
        return self.keys[self.head]

    def highest(self):
        return self.keys[-1]

    def add(self, s, entry):
        bisect.insort(self.keys, s, self.head)
        self.items[s] = entry

    def pop_lowest(self):
        s = self.keys[self.head]
        self.head += 1
        if self.head > 1024 and self.head * 2 > len(self.keys):
            del self.keys[:self.head]
            self.head = 0
        return s, self.items.pop(s)

    def pop_highest(self):
        s = self.keys.pop()
        return s, self.items.pop(s)

    def between(self, lo, hi):
        """A held sequence in (lo, hi), or None."""
        i = bisect.bisect_right(self.keys, lo, self.head)
        if i < len(self.keys) and self.keys[i] < hi:
            return self.keys[i]
        return None


class Stream:
    """One (publisher, prefix) in one epoch."""

    def __init__(self, prefix, after):
        self.prefix = prefix
        self.after = after       # every message up to here handed over or reported lost
        self.held = Held()
        self.open = None         # the Request we wait for, or None
        self.behind = 0          # STATUS in a row with last beyond after
        self.status_last = None  # the last STATUS's `last`
        self.overflow = None     # lowest sequence dropped beyond --max-pending, not yet covered
        self.emitted = 0         # self check: highest MSG/GAP sequence printed
        self.last_msg = 0        # highest sequence of a message handed over (link checks)
        self.reask = None        # (when, upTo): a re-ask put off after an answer without progress
        self.zero = 0            # answers in a row that made no progress


class Request:
    __slots__ = ("epoch", "prefix", "after", "up_to", "stream", "sent_at")

    def __init__(self, epoch, prefix, after, up_to, stream, sent_at):
        self.epoch, self.prefix, self.after, self.up_to = epoch, prefix, after, up_to
        self.stream, self.sent_at = stream, sent_at


class Pub:
    """A publisher as the subscriber follows it: one replay endpoint, one DEALER."""

    def __init__(self, index, data, replay, dealer, now):
        self.index, self.data, self.replay, self.dealer = index, data, replay, dealer
        self.pid = None          # from its WELCOME
        self.epoch = None
        self.streams = {}        # prefix -> Stream
        self.reqs = collections.deque()   # REPLAYs sent, oldest first (answers come in order)
        self.heard = now         # last command received on the replay channel
        self.hello_at = now
        self.last_now = None     # (epoch, now) last announced, for the monotony check

    def name(self):
        return text(self.pid) if self.pid is not None else self.replay


class Subscriber:
    def __init__(self, args):
        self.args = args
        self.hb = args.heartbeat_ms / 1000.0
        self.prefixes = [p.encode("utf-8") for p in args.prefix]
        self.start = args.start
        self.ctx = zmq.Context()
        self.sub = self.ctx.socket(zmq.SUB)
        self.sub.setsockopt(zmq.LINGER, 0)
        self.sub.setsockopt(zmq.RCVHWM, args.rcvhwm)
        for prefix in self.prefixes:
            self.sub.setsockopt(zmq.SUBSCRIBE, prefix)
        for endpoint in args.data:
            self.sub.connect(endpoint)           # ZMQError: exit 1 in main()
        now = time.monotonic()
        self.pubs = []
        for i, (data, replay) in enumerate(zip(args.data, args.replay)):
            dealer = self.ctx.socket(zmq.DEALER)
            dealer.setsockopt(zmq.LINGER, 0)
            dealer.setsockopt(zmq.RCVHWM, args.rcvhwm)
            dealer.connect(replay)
            self.pubs.append(Pub(i, data, replay, dealer, now))
        self.by_id = {}                          # publisher id -> Pub
        self.poller = zmq.Poller()
        self.poller.register(self.sub, zmq.POLLIN)
        for pub in self.pubs:
            self.poller.register(pub.dealer, zmq.POLLIN)
        self.life = Lifeline(self.poller)

    # --- output -------------------------------------------------------------------------

    def out_msg(self, pub, st, s, topic, payload):
        if s <= st.emitted:
            log("SELF ERROR: MSG %s %d %d '%s' not above %d already printed for the stream"
                % (pub.name(), pub.epoch, s, text(st.prefix), st.emitted))
            return
        st.emitted = s
        st.last_msg = max(st.last_msg, s)
        print("MSG %s %d %d %s %s %s" % (pub.name(), pub.epoch, s, show_prefix(st.prefix),
                                        text(topic), text(payload[0])), flush=True)

    def out_gap(self, pub, st, lo, hi):
        if lo > hi or lo <= st.emitted:
            log("SELF ERROR: GAP %s %d '%s' %d %d (already printed up to %d)"
                % (pub.name(), pub.epoch, text(st.prefix), lo, hi, st.emitted))
            return
        st.emitted = hi
        print("GAP %s %d %s %d %d" % (pub.name(), pub.epoch, show_prefix(st.prefix), lo, hi),
              flush=True)

    # --- replay channel out -------------------------------------------------------------

    def send_dealer(self, pub, frames):
        try:
            if not send(pub.dealer, frames):
                log("DROP %s to %s: pipe full" % (frames[0].decode(), pub.replay))
        except zmq.ZMQError as e:
            log("DROP %s to %s: %s" % (frames[0].decode(), pub.replay, e))

    def hello(self, pub, now, why):
        mode, n = self.start
        frames = [HELLO]
        for prefix in self.prefixes:
            frames += [prefix, bytes([mode]) + U64.pack(n)]
        pub.hello_at = now
        log("HELLO to %s (%s)" % (pub.replay, why))
        self.send_dealer(pub, frames)

    def hello_soon(self, pub, now, why):
        if now - pub.hello_at >= self.hb:
            self.hello(pub, now, why)

    def send_replay(self, pub, st, up_to, now):
        st.reask = None
        if up_to <= st.after:
            st.open = None
            return
        req = Request(pub.epoch, st.prefix, st.after, up_to, st, now)
        pub.reqs.append(req)
        st.open = req
        st.behind = 0
        if self.args.verbose:
            log("REPLAY to %s '%s' (%d, %d]" % (pub.name(), text(st.prefix), st.after, up_to))
        self.send_dealer(pub, [REPLAY, U64.pack(pub.epoch), st.prefix, U64.pack(st.after),
                               U64.pack(up_to)])

    # --- the subscriber's rules ---------------------------------------------------------

    def match(self, topic):
        for prefix in self.prefixes:
            if topic.startswith(prefix):
                return prefix
        return None

    def release(self, pub, st):
        """Hand over the held messages that became next in line."""
        while len(st.held):
            s = st.held.lowest()
            if s <= st.after:
                st.held.pop_lowest()
                continue
            previous = st.held.items[s][0]
            if previous > st.after:
                break
            _, (_, topic, payload) = st.held.pop_lowest()
            self.out_msg(pub, st, s, topic, payload)
            st.after = s
        if st.overflow is not None and st.after >= st.overflow:
            st.overflow = None

    def receive(self, pub, st, s, links, topic, payload, frames, now):
        """A data message (live or replayed) of this stream: rules 1-3."""
        if s <= st.after or s in st.held:
            return                                           # 1. duplicate
        previous = links.get(st.prefix)
        if previous is not None:
            skipped = st.last_msg if previous < st.last_msg < s else st.held.between(previous, s)
            if skipped is not None:
                protocol_error("link of prefix '%s' of sequence %d is %d, but %d matched the "
                               "prefix in between (read as no link)"
                               % (text(st.prefix), s, previous, skipped), frames)
                previous = None
        if previous is None:
            previous = s - 1                                 # no link: previous = sequence - 1
        if previous <= st.after:                             # 2. next in line
            self.out_msg(pub, st, s, topic, payload)
            st.after = s
            self.release(pub, st)
        else:                                                # 3. hold it
            if len(st.held) >= self.args.max_pending:
                top = st.held.highest()
                if s > top:
                    st.overflow = s if st.overflow is None else min(st.overflow, s)
                else:
                    st.held.pop_highest()
                    st.overflow = top if st.overflow is None else min(st.overflow, top)
                    st.held.add(s, (previous, topic, payload))
            else:
                st.held.add(s, (previous, topic, payload))
        self.ensure_replay(pub, st, now)

    def ensure_replay(self, pub, st, now):
        if st.open is None and st.reask is None and len(st.held):
            self.send_replay(pub, st, st.held.lowest() - 1, now)

    def apply_end(self, pub, st, through, lost):
        """What an END says: lost range -> Gap, held up to through handed over in order.
        Returns how far the answer counts (before a message we dropped beyond --max-pending)."""
        if st.overflow is not None:                          # we dropped that one: not covered
            through = min(through, st.overflow - 1)
            if lost is not None and lost[1] >= st.overflow:
                lost = (lost[0], st.overflow - 1) if lost[0] < st.overflow else None
        glo = ghi = None
        if lost is not None and lost[1] > st.after:
            glo, ghi = max(lost[0], st.after + 1), lost[1]
        limit = max(through, ghi or 0)
        while len(st.held) and st.held.lowest() <= limit:
            s, (_, topic, payload) = st.held.pop_lowest()
            if s <= st.after:
                continue
            if glo is not None and glo < s and glo <= ghi:   # a held message inside the range
                hi = min(s - 1, ghi)
                self.out_gap(pub, st, glo, hi)
                st.after = hi
            self.out_msg(pub, st, s, topic, payload)
            st.after = s
            if glo is not None and glo <= s:
                glo = s + 1
        if glo is not None and glo <= ghi and ghi > st.after:
            self.out_gap(pub, st, max(glo, st.after + 1), ghi)
            st.after = ghi
        st.after = max(st.after, through)
        self.release(pub, st)
        return through

    def end_epoch(self, pub):
        """The followed epoch ended: name its holes, hand over what is held, then the tail."""
        for prefix in self.prefixes:
            st = pub.streams[prefix]
            while len(st.held):
                s, (previous, topic, payload) = st.held.pop_lowest()
                if s <= st.after:
                    continue
                if previous > st.after:
                    self.out_gap(pub, st, st.after + 1, previous)
                    st.after = previous
                self.out_msg(pub, st, s, topic, payload)
                st.after = s
            if st.status_last is not None and st.status_last > st.after:
                self.out_gap(pub, st, st.after + 1, st.status_last)
                st.after = st.status_last

    # --- incoming -----------------------------------------------------------------------

    def on_live(self, frames, now):
        try:
            topic, epoch, s, pid, links, payload, problems = parse_data(frames)
        except ProtocolError as e:
            return protocol_error("data message: %s" % e, frames)
        for problem in problems:
            protocol_error("data message: %s" % problem, frames)
        prefix = self.match(topic)
        if prefix is None:
            return protocol_error("live message whose topic '%s' starts with none of our prefixes "
                                  "(the publisher must filter)" % text(topic), frames)
        pub = self.by_id.get(pid)
        if pub is None:
            return                               # not welcomed yet: the start covers it
        if epoch != pub.epoch:
            return self.hello_soon(pub, now, "data of epoch %d, we follow %d" % (epoch, pub.epoch))
        self.receive(pub, pub.streams[prefix], s, links, topic, payload, frames, now)

    def on_dealer(self, pub, frames, now):
        pub.heard = now
        if not frames:
            return protocol_error("empty message on the replay channel", frames)
        name = frames[0]
        try:
            if name == WELCOME:
                self.on_welcome(pub, frames, now)
            elif name == STATUS:
                self.on_status(pub, frames, now)
            elif name == DATA:
                self.on_data(pub, frames, now)
            elif name == END:
                self.on_end(pub, frames, now)
            elif name == ERROR:
                if len(frames) != 2:
                    protocol_error("SQ-ERROR must have one frame (reason), got %d"
                                   % (len(frames) - 1), frames)
                reason = frames[1] if len(frames) > 1 else b""
                try:
                    reason = reason.decode("utf-8")
                except UnicodeDecodeError:
                    protocol_error("SQ-ERROR reason is not UTF-8", frames)
                    reason = text(reason)
                log("SQ-ERROR from %s: %s" % (pub.replay, reason))
            elif name in COMMANDS:
                protocol_error("%s is not a command a publisher sends" % name.decode(), frames)
            else:
                protocol_error("unknown command on the replay channel", frames)
        except ProtocolError as e:
            protocol_error(str(e), frames)

    def check_now(self, pub, epoch, now_seq, first, what, frames):
        if first > now_seq + 1:
            protocol_error("%s first %d > now %d + 1" % (what, first, now_seq), frames)
        if pub.last_now is not None and pub.last_now[0] == epoch and now_seq < pub.last_now[1]:
            protocol_error("%s now %d went back (was %d in epoch %d)" % (what, now_seq,
                                                                        pub.last_now[1], epoch),
                           frames)
        pub.last_now = (epoch, now_seq)

    def prefix_pairs(self, body, what, number_name):
        pairs = {}
        for prefix, number in zip(body[0::2], body[1::2]):
            if prefix in pairs:
                raise ProtocolError("%s names prefix '%s' twice" % (what, text(prefix)))
            pairs[prefix] = u64(number, "%s %s" % (what, number_name))
        if set(pairs) != set(self.prefixes):
            raise ProtocolError("%s prefixes [%s] are not ours [%s]" % (
                what, ", ".join("'%s'" % text(p) for p in pairs),
                ", ".join("'%s'" % text(p) for p in self.prefixes)))
        return pairs

    def on_welcome(self, pub, frames, now):
        body = frames[1:]
        if len(body) < 4 or len(body) % 2:
            raise ProtocolError("SQ-WELCOME must have id, epoch, now, first and (prefix, after) "
                                "pairs, got %d frames" % len(body))
        pid = body[0]
        if not 1 <= len(pid) <= 255:
            raise ProtocolError("SQ-WELCOME id must be 1..255 bytes, got %d" % len(pid))
        try:
            pid.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError("SQ-WELCOME id is not UTF-8")
        epoch = u64(body[1], "SQ-WELCOME epoch")
        now_seq = u64(body[2], "SQ-WELCOME now")
        first = u64(body[3], "SQ-WELCOME first")
        afters = self.prefix_pairs(body[4:], "SQ-WELCOME", "after")
        self.check_now(pub, epoch, now_seq, first, "SQ-WELCOME", frames)
        mode, n = self.start
        for prefix, after in afters.items():
            if mode == NOW and after != now_seq:
                protocol_error("SQ-WELCOME after %d for '%s' is not now %d (start NOW)"
                               % (after, text(prefix), now_seq), frames)
            elif mode == FROM and after != n - 1:
                protocol_error("SQ-WELCOME after %d for '%s' is not %d (start FROM %d)"
                               % (after, text(prefix), n - 1, n), frames)
            elif mode == LAST and not max(first, 1) - 1 <= after <= now_seq:
                protocol_error("SQ-WELCOME after %d for '%s' not in first-1 %d .. now %d (start "
                               "LAST %d)" % (after, text(prefix), max(first, 1) - 1, now_seq, n),
                               frames)
        other = self.by_id.get(pid)
        if other is not None and other is not pub:
            raise ProtocolError("SQ-WELCOME id '%s' is already the id of the publisher at %s"
                                % (text(pid), other.replay))
        if pub.pid != pid:
            if pub.pid is not None:
                log("NOTE: the publisher at %s changed id from '%s' to '%s': a new publisher"
                    % (pub.replay, text(pub.pid), text(pid)))
                del self.by_id[pub.pid]
            pub.pid, pub.epoch = pid, epoch
            self.by_id[pid] = pub
            pub.streams = {p: Stream(p, afters[p]) for p in self.prefixes}
            log("WELCOME from %s (%s): epoch %d now %d first %d, after %s"
                % (pub.replay, text(pid), epoch, now_seq, first,
                   ", ".join("'%s' %d" % (text(p), afters[p]) for p in self.prefixes)))
        elif epoch != pub.epoch:
            old = pub.epoch
            log("WELCOME from %s (%s): new epoch %d (was %d)" % (pub.replay, text(pid), epoch, old))
            self.end_epoch(pub)
            print("NEWEPOCH %s %d %d" % (text(pid), epoch, old), flush=True)
            pub.epoch = epoch
            pub.streams = {p: Stream(p, 0) for p in self.prefixes}
        elif self.args.verbose:
            log("WELCOME again from %s, same epoch %d" % (pub.replay, epoch))

    def on_status(self, pub, frames, now):
        body = frames[1:]
        if len(body) < 3 or (len(body) - 3) % 2:
            raise ProtocolError("SQ-STATUS must have epoch, now, first and (prefix, last) pairs, "
                                "got %d frames" % len(body))
        epoch = u64(body[0], "SQ-STATUS epoch")
        now_seq = u64(body[1], "SQ-STATUS now")
        first = u64(body[2], "SQ-STATUS first")
        lasts = self.prefix_pairs(body[3:], "SQ-STATUS", "last")
        self.check_now(pub, epoch, now_seq, first, "SQ-STATUS", frames)
        for prefix, last in lasts.items():
            if last > now_seq:
                protocol_error("SQ-STATUS last %d of '%s' beyond now %d" % (last, text(prefix),
                                                                          now_seq), frames)
        if pub.pid is None:
            return                               # no WELCOME yet (it may have been dropped)
        if epoch != pub.epoch:
            return self.hello_soon(pub, now, "STATUS of epoch %d, we follow %d"
                                   % (epoch, pub.epoch))
        for prefix in self.prefixes:
            st = pub.streams[prefix]
            last = min(lasts[prefix], now_seq)
            st.status_last = last
            if last > st.after and st.open is None and not len(st.held) and st.reask is None:
                st.behind += 1
                if st.behind >= 2:               # two STATUS in a row: the tail was lost
                    self.send_replay(pub, st, last, now)
            else:
                st.behind = 0

    def on_data(self, pub, frames, now):
        body = frames[1:]
        try:
            topic, epoch, s, pid, links, payload, problems = parse_data(body)
        except ProtocolError as e:
            raise ProtocolError("SQ-DATA: %s" % e)
        for problem in problems:
            protocol_error("SQ-DATA: %s" % problem, frames)
        if not pub.reqs:
            raise ProtocolError("SQ-DATA with no SQ-REPLAY outstanding")
        asked = [r for r in pub.reqs if topic.startswith(r.prefix)]
        if not asked:
            raise ProtocolError("SQ-DATA topic '%s' does not start with the asked prefix"
                                % text(topic))
        if pub.pid is not None and pid != pub.pid:
            raise ProtocolError("SQ-DATA with id '%s', the publisher is '%s'" % (text(pid),
                                                                               text(pub.pid)))
        if not any(r.after < s <= r.up_to for r in asked):
            raise ProtocolError("SQ-DATA sequence %d outside the asked range (%s)" % (
                s, ", ".join("(%d, %d]" % (r.after, r.up_to) for r in asked)))
        if not any(r.epoch == epoch and r.after < s <= r.up_to for r in asked):
            raise ProtocolError("SQ-DATA of epoch %d, asked for epoch %d" % (epoch, asked[0].epoch))
        if epoch != pub.epoch:
            return                               # the answer to an old epoch's REPLAY
        self.receive(pub, pub.streams[self.match(topic)], s, links, topic, payload, frames, now)

    def on_end(self, pub, frames, now):
        body = frames[1:]
        if len(body) != 6:
            raise ProtocolError("SQ-END must have epoch, prefix, after, through, lostFrom, lostTo, "
                                "got %d frames" % len(body))
        epoch = u64(body[0], "SQ-END epoch")
        prefix = body[1]
        after = u64(body[2], "SQ-END after")
        through = u64(body[3], "SQ-END through")
        lost_from = u64(body[4], "SQ-END lostFrom")
        lost_to = u64(body[5], "SQ-END lostTo")
        for i, r in enumerate(pub.reqs):
            if r.prefix == prefix and r.after == after:
                break
        else:
            raise ProtocolError("SQ-END for '%s' after %d answers no SQ-REPLAY we sent"
                                % (text(prefix), after))
        for _ in range(i):
            old = pub.reqs.popleft()
            if self.args.verbose:
                log("NOTE: REPLAY '%s' (%d, %d] got no answer" % (text(old.prefix), old.after,
                                                                 old.up_to))
        req = pub.reqs.popleft()
        st = req.stream
        is_open = st.open is req
        current = req.epoch == pub.epoch and pub.streams.get(prefix) is st
        if epoch != req.epoch:                   # the publisher has another epoch
            if through != after or lost_from or lost_to:
                protocol_error("SQ-END for another epoch must have through = after and no lost "
                               "range", frames)
            if is_open:
                st.open = None
            if epoch != pub.epoch:
                self.hello_soon(pub, now, "END of epoch %d, we follow %d" % (epoch, pub.epoch))
            return
        if through < after:
            protocol_error("SQ-END through %d < after %d" % (through, after), frames)
            through = after
        if through > req.up_to:
            protocol_error("SQ-END through %d beyond the asked upTo %d" % (through, req.up_to),
                           frames)
            through = req.up_to
        lost = None
        if lost_from or lost_to:
            if not after < lost_from <= lost_to <= req.up_to:
                protocol_error("SQ-END lost range %d..%d inconsistent with the asked (%d, %d]"
                               % (lost_from, lost_to, after, req.up_to), frames)
                if lost_from <= lost_to and lost_to > after:
                    lost = (max(lost_from, after + 1), min(lost_to, req.up_to))
            else:
                lost = (lost_from, lost_to)
                if lost_to > through:
                    protocol_error("SQ-END lost range %d..%d beyond through %d" % (
                        lost_from, lost_to, through), frames)
        if self.args.verbose:
            log("END from %s '%s' after %d through %d lost %d..%d" % (
                pub.name(), text(prefix), after, through, lost_from, lost_to))
        if not current:
            return
        through = self.apply_end(pub, st, through, lost)   # short of what we dropped, if any
        if not is_open:
            return                               # an older answer: the open REPLAY follows
        st.open = None
        st.behind = 0
        if len(st.held):
            target = st.held.lowest() - 1
        elif through < req.up_to:
            target = req.up_to                   # stopped short: ask again from there
        else:
            return
        if target <= st.after:
            return
        st.zero = 0 if st.after > req.after else st.zero + 1   # progress since it was asked
        if st.zero >= 2:                         # no progress twice: do not spin
            st.reask = (now + self.hb / 10, target)
        else:
            self.send_replay(pub, st, target, now)

    # --- timers -------------------------------------------------------------------------

    def timers(self, now):
        for pub in self.pubs:
            if now - max(pub.heard, pub.hello_at) >= SILENCE_HEARTBEATS * self.hb:
                self.hello(pub, now, "nothing heard for %d heartbeats" % SILENCE_HEARTBEATS)
            while pub.reqs and (len(pub.reqs) > 256 or now - pub.reqs[0].sent_at > 30 * self.hb):
                pub.reqs.popleft()
            for st in pub.streams.values():
                if st.reask is not None and now >= st.reask[0]:
                    up_to = st.held.lowest() - 1 if len(st.held) else st.reask[1]
                    st.reask = None
                    if st.open is None:
                        self.send_replay(pub, st, up_to, now)
                if st.open is not None and now - st.open.sent_at >= RESEND_HEARTBEATS * self.hb:
                    up_to = st.held.lowest() - 1 if len(st.held) else st.open.up_to
                    log("REPLAY '%s' to %s unanswered for %d heartbeats: sent again"
                        % (text(st.prefix), pub.name(), RESEND_HEARTBEATS))
                    self.send_replay(pub, st, up_to, now)

    def next_timer(self):
        wake = []
        for pub in self.pubs:
            wake.append(max(pub.heard, pub.hello_at) + SILENCE_HEARTBEATS * self.hb)
            for st in pub.streams.values():
                if st.reask is not None:
                    wake.append(st.reask[0])
                if st.open is not None:
                    wake.append(st.open.sent_at + RESEND_HEARTBEATS * self.hb)
        return min(wake)

    def drain(self, sock, handler, limit=5000):
        for _ in range(limit):
            try:
                frames = sock.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            handler(frames, time.monotonic())

    def run(self):
        now = time.monotonic()
        for pub in self.pubs:
            self.hello(pub, now, "start %s" % self.args.start_text)
        if self.args.slow_start_ms:
            log("SLOW START: not reading for %d ms" % self.args.slow_start_ms)
            until = time.monotonic() + self.args.slow_start_ms / 1000.0
            while not self.life.stop and time.monotonic() < until:
                time.sleep(min(0.05, max(0.0, until - time.monotonic())))
        next_alive = time.monotonic() + self.hb
        while not self.life.stop:
            wake = min(next_alive, self.next_timer())
            events = dict(self.poller.poll(poll_ms(wake - time.monotonic())))
            if self.life.check(events):
                break
            # not yet welcomed publishers first (their data would be dropped otherwise), then the
            # data (so an old epoch's last messages are read before a new epoch's WELCOME)
            for pub in self.pubs:
                if pub.pid is None and pub.dealer in events:
                    self.drain(pub.dealer, lambda f, t, p=pub: self.on_dealer(p, f, t))
            if self.sub in events:
                self.drain(self.sub, self.on_live)
            for pub in self.pubs:
                if pub.dealer in events:
                    self.drain(pub.dealer, lambda f, t, p=pub: self.on_dealer(p, f, t))
            now = time.monotonic()
            if now >= next_alive:
                for pub in self.pubs:
                    self.send_dealer(pub, [ALIVE])
                next_alive = now + self.hb
            self.timers(now)
        self.sub.close()
        for pub in self.pubs:
            pub.dealer.close()
        self.ctx.term()
        report_total()
        return 0


# ---------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(
        description="Sequenced publish-subscribe (docs/sequenced.md) test peer")
    sub = p.add_subparsers(dest="role", required=True)

    def ident(value):
        if not 1 <= len(value.encode("utf-8")) <= 255:
            raise argparse.ArgumentTypeError("must be 1..255 bytes of UTF-8")
        return value

    def prefix(value):
        if len(value.encode("utf-8")) > 255:
            raise argparse.ArgumentTypeError("at most 255 bytes of UTF-8")
        return value

    def start(value):
        parse_start(value)
        return value

    pp = sub.add_parser("publisher", help="SequencedPublisher: PUB + ROUTER, commands on stdin")
    pp.add_argument("--data", required=True, help="bind endpoint of the PUB")
    pp.add_argument("--replay", required=True, help="bind endpoint of the ROUTER")
    pp.add_argument("--id", type=ident, required=True)
    pp.add_argument("--retain", type=positive, default=100000, help="messages kept for replay")
    pp.add_argument("--heartbeat-ms", type=positive, default=1000)
    pp.add_argument("--sndhwm", type=non_negative, default=1000, help="of the PUB and the ROUTER")
    pp.add_argument("--max-subscribers", type=positive, default=1000)
    pp.add_argument("--max-prefixes", type=positive, default=1000)
    pp.add_argument("--verbose", action="store_true")

    sp = sub.add_parser("subscriber", help="SequencedSubscriber: SUB + a DEALER per publisher")
    sp.add_argument("--data", required=True, action="append", help="a publisher's PUB endpoint")
    sp.add_argument("--replay", required=True, action="append",
                    help="that publisher's ROUTER endpoint (paired with --data in order)")
    sp.add_argument("--prefix", type=prefix, required=True, action="append")
    sp.add_argument("--start", type=start, default="now", help="now, from:N or last:N")
    sp.add_argument("--heartbeat-ms", type=positive, default=1000)
    sp.add_argument("--rcvhwm", type=non_negative, default=1000, help="of the SUB and the DEALERs")
    sp.add_argument("--max-pending", type=positive, default=100000,
                    help="held messages per (publisher, prefix)")
    sp.add_argument("--verbose", action="store_true")
    sp.add_argument("--slow-start-ms", type=non_negative, default=0, help=argparse.SUPPRESS)

    args = p.parse_args(argv)
    if args.role == "subscriber":
        if len(args.data) != len(args.replay):
            p.error("give one --replay per --data, in the same order")
        pair = overlapping([x.encode("utf-8") for x in args.prefix])
        if pair:
            p.error("prefixes may not overlap: '%s' and '%s'"
                    % (pair[0].decode(), pair[1].decode()))
        args.start_text, args.start = args.start, parse_start(args.start)
        try:
            peer = Subscriber(args)
        except zmq.ZMQError as e:
            log("FATAL: cannot connect: %s" % e)
            return 1
        return peer.run()
    try:
        peer = Publisher(args)
    except zmq.ZMQError as e:
        log("FATAL: cannot bind: %s" % e)
        return 1
    return peer.run()


if __name__ == "__main__":
    sys.exit(main())
