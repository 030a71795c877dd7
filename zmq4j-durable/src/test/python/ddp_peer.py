#!/usr/bin/python3
"""Durable delivery protocol reference peer for zmq4j interop tests.

Written only from the specification text, docs/durability.md, sections "Durable delivery on
the wire" (the commands) and "What is promised, in plain words" (the semantics); no code
taken from zmq4j. The wire, numbers big-endian, sequences signed 64-bit (-1: none):

  HELLO    S->R  0x01, version 1, epoch (8), id length (1), id (UTF-8, 1..255)   one frame
  WELCOME  R->S  0x02, last sequence acknowledged (8), last sequence delivered (8)
  DATA     S->R  0x03, sequence (8) | payload frame                                two frames
  ACK      R->S  0x04, sequence (8): this and every earlier one are stored for good
  WHO      R->S  0x05: unknown connection, say HELLO

Roles (see --help of each):
  send --connect EP --id NAME --count N --state DIR
        a durable sender (DEALER) of NAME-0 .. NAME-(N-1), payload i with sequence i. The
        payloads are derivable, so DIR holds only the epoch (random, 64 bits, made once and
        fsynced): the "journal" is all N messages from the start. HELLO on every new
        connection (socket monitor), on WHO, and after --ack-timeout-ms of silence with
        messages outstanding; DATA only after a WELCOME, from its position, in order, at
        most --window unacknowledged (go-back-N). Prints "ACKED N" and exits 0 once 0..N-1
        are acknowledged. Run it again with the same arguments after a kill -9: it learns
        the receiver's position from WELCOME.
  recv --bind EP --state DIR --out FILE
        a durable receiver (ROUTER) serving many senders. Each in-order payload and a newline
        are appended to FILE; FILE is fsynced, then the progress (per sender: epoch, acked,
        delivered; and FILE's length) is written to DIR/state.json atomically (fsync + rename
        + directory fsync), and only then are the ACKs sent. On start FILE is cut back to the
        recorded length: those lines were never acknowledged and come again. So FILE holds
        every message exactly once, in order per sender, across kill -9. Prints
        "READY <endpoint>" once bound; runs until SIGTERM/SIGINT/stdin EOF, then exits 0.

STRICT: a received message that breaks the specification is reported on stderr as
"PROTOCOL ERROR: <what>; frames=[hex,...]". The sender then exits 3. The receiver exits 3 when
the offender is a connection that said HELLO; from a connection it does not know it reports,
drops the message and goes on (the spec: "Malformed commands are dropped and counted").

Exit codes. send: 0 all acknowledged, 1 interrupted (SIGTERM/SIGINT/stdin EOF) or state
directory unusable, 2 --timeout-s passed (or usage), 3 PROTOCOL ERROR. recv: 0 stopped by
SIGTERM/SIGINT/stdin EOF, 1 state or FILE unusable, 3 PROTOCOL ERROR from a known sender.
Only the Python standard library and pyzmq are used.
"""
import argparse
import fcntl
import json
import os
import struct
import sys
import time

import zmq
from zmq.utils.monitor import recv_monitor_message

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "zmq4j-patterns", "src", "test", "python"))

from peer_common import hexframes, Lifeline, log, poll_ms, positive  # noqa: E402

HELLO, WELCOME, DATA, ACK, WHO = 0x01, 0x02, 0x03, 0x04, 0x05
NAMES = {HELLO: "HELLO", WELCOME: "WELCOME", DATA: "DATA", ACK: "ACK", WHO: "WHO"}
VERSION = 1
NONE = -1                          # "-1: none"
I64 = struct.Struct(">q")
HEARTBEAT_IVL_MS, HEARTBEAT_TIMEOUT_MS = 1000, 3000   # the spec's ZMTP heartbeats
BATCH = 1000                       # messages handled per poll wake-up (bounded loops)


class ProtocolError(Exception):
    def __init__(self, what, frames):
        super().__init__("%s; frames=%s" % (what, hexframes(frames)))
        self.what = what


class Interrupted(Exception):
    pass


# ---------------------------------------------------------------------------
# Encoding and strict decoding
# ---------------------------------------------------------------------------

def enc_hello(epoch, ident):
    return [bytes([HELLO, VERSION]) + epoch + bytes([len(ident)]) + ident]


def enc_welcome(acked, delivered):
    return [bytes([WELCOME]) + I64.pack(acked) + I64.pack(delivered)]


def enc_data(seq, payload):
    return [bytes([DATA]) + I64.pack(seq), payload]


def enc_ack(seq):
    return [bytes([ACK]) + I64.pack(seq)]


def enc_who():
    return [bytes([WHO])]


def command_of(frames, allowed, direction):
    if not frames:
        raise ProtocolError("empty message", frames)
    cmd = frames[0]
    if not cmd:
        raise ProtocolError("empty command frame", frames)
    code = cmd[0]
    if code not in NAMES:
        raise ProtocolError("unknown command 0x%02x" % code, frames)
    if code not in allowed:
        raise ProtocolError("%s (0x%02x) is not a %s command" % (NAMES[code], code, direction),
                            frames)
    return code


def expect_frames(frames, n, name):
    if len(frames) != n:
        raise ProtocolError("%s must be %d frame(s), got %d" % (name, n, len(frames)), frames)


def expect_length(frames, n, name):
    if len(frames[0]) != n:
        raise ProtocolError("%s command frame must be %d bytes, got %d"
                            % (name, n, len(frames[0])), frames)


def decode_for_receiver(frames):
    """Returns ("HELLO", epoch bytes, id str) or ("DATA", seq, payload)."""
    code = command_of(frames, (HELLO, DATA), "sender->receiver")
    cmd = frames[0]
    if code == HELLO:
        expect_frames(frames, 1, "HELLO")
        if len(cmd) < 12:
            raise ProtocolError("HELLO shorter than 12 bytes (command, version, epoch, "
                                "id length, id of 1+ bytes)", frames)
        if cmd[1] != VERSION:
            raise ProtocolError("HELLO version %d, only %d is defined" % (cmd[1], VERSION),
                                frames)
        idlen = cmd[10]
        if idlen == 0:
            raise ProtocolError("HELLO id length 0 (must be 1..255)", frames)
        if len(cmd) != 11 + idlen:
            raise ProtocolError("HELLO is %d bytes, its id length %d says %d"
                                % (len(cmd), idlen, 11 + idlen), frames)
        try:
            ident = cmd[11:].decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError("HELLO id is not UTF-8", frames) from None
        return "HELLO", cmd[2:10], ident
    expect_frames(frames, 2, "DATA")
    expect_length(frames, 9, "DATA")
    seq = I64.unpack_from(cmd, 1)[0]
    if seq < 0:
        raise ProtocolError("DATA sequence %d is negative (a journal index)" % seq, frames)
    return "DATA", seq, frames[1]


def decode_for_sender(frames):
    """Returns ("WELCOME", acked, delivered), ("ACK", seq) or ("WHO",)."""
    code = command_of(frames, (WELCOME, ACK, WHO), "receiver->sender")
    name = NAMES[code]
    expect_frames(frames, 1, name)
    if code == WHO:
        expect_length(frames, 1, name)
        return ("WHO",)
    if code == ACK:
        expect_length(frames, 9, name)
        seq = I64.unpack_from(frames[0], 1)[0]
        if seq < NONE:
            raise ProtocolError("ACK sequence %d below -1" % seq, frames)
        return "ACK", seq
    expect_length(frames, 17, name)
    acked, delivered = I64.unpack_from(frames[0], 1)[0], I64.unpack_from(frames[0], 9)[0]
    if acked < NONE or delivered < NONE:
        raise ProtocolError("WELCOME position below -1 (acked %d, delivered %d)"
                            % (acked, delivered), frames)
    if acked > delivered:
        raise ProtocolError("WELCOME acknowledged %d beyond delivered %d" % (acked, delivered),
                            frames)
    return "WELCOME", acked, delivered


# ---------------------------------------------------------------------------
# Durable files
# ---------------------------------------------------------------------------

def fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(directory, name, data):
    """tmp file, fsync, rename over NAME, fsync the directory: NAME is old or new, never torn."""
    tmp = os.path.join(directory, name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, os.path.join(directory, name))
    fsync_dir(directory)


def lock_dir(directory):
    """An exclusive lock for the life of the process (a kill -9 releases it)."""
    os.makedirs(directory, exist_ok=True)
    fd = os.open(os.path.join(directory, "lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise OSError("state directory %s is in use by another process" % directory) from None
    return fd


# ---------------------------------------------------------------------------
# Sender (DEALER)
# ---------------------------------------------------------------------------

def load_epoch(directory):
    """DIR/epoch: 16 hex digits, the random 64-bit epoch made on the first run."""
    path = os.path.join(directory, "epoch")
    try:
        with open(path, "r", encoding="ascii") as f:
            text = f.read().strip()
    except FileNotFoundError:
        epoch = os.urandom(8)
        write_atomically(directory, "epoch", (epoch.hex() + "\n").encode("ascii"))
        log("EPOCH %s created in %s" % (epoch.hex(), directory))
        return epoch
    try:
        epoch = bytes.fromhex(text)
    except ValueError:
        epoch = b""
    if len(epoch) != 8:
        raise OSError("%s does not hold 16 hex digits" % path)
    log("EPOCH %s from %s" % (epoch.hex(), directory))
    return epoch


class Sender:
    MONITORED = (zmq.EVENT_CONNECTED | zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED)

    def __init__(self, args):
        self.args = args
        self.n, self.window = args.count, args.window
        self.ack_timeout = args.ack_timeout_ms / 1000.0
        self.interval = args.interval_ms / 1000.0
        self.next_data_at = 0.0
        self.ident = args.id.encode("utf-8")
        self.lock = lock_dir(args.state)
        self.epoch = load_epoch(args.state)
        self.hello = enc_hello(self.epoch, self.ident)
        self.acked = NONE          # every sequence up to this one is stored for good
        self.next = None           # next sequence to transmit; None: no WELCOME to go by
        self.highest_sent = NONE   # highest sequence transmitted by this process
        self.first_welcome = None  # delivered of this process's first WELCOME
        self.awaiting = False      # a HELLO is out and no WELCOME came yet
        self.hello_due = False     # a HELLO could not be sent yet (no connection)
        self.hello_at = time.monotonic()   # the first HELLO waits for the handshake event
        self.last_heard = time.monotonic()
        self.stats = {"data": 0, "resent": 0, "hello": 0, "welcome": 0, "who": 0, "ack": 0}
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        # Nothing queued for a connection that is not (yet) there: after a reconnect the
        # receiver sees the new HELLO first, never stale DATA from before it.
        self.sock.setsockopt(zmq.IMMEDIATE, 1)
        self.sock.setsockopt(zmq.HEARTBEAT_IVL, HEARTBEAT_IVL_MS)
        self.sock.setsockopt(zmq.HEARTBEAT_TIMEOUT, HEARTBEAT_TIMEOUT_MS)
        self.monitor = self.sock.get_monitor_socket(self.MONITORED)
        self.sock.connect(args.connect)
        self.poller = zmq.Poller()
        self.poller.register(self.sock, zmq.POLLIN)
        self.poller.register(self.monitor, zmq.POLLIN)

    def close(self):
        try:
            self.sock.disable_monitor()
        except zmq.ZMQError:
            pass
        self.monitor.close(0)
        self.sock.close(0)
        self.ctx.term()
        os.close(self.lock)

    def claim_bound(self):
        """The highest sequence the receiver can truthfully claim to have once a WELCOME came:
        what this process sent, or what that first WELCOME reported (sent by an earlier run
        of this sender). The first WELCOME may claim anything of the N messages."""
        return max(self.highest_sent,
                   self.first_welcome if self.first_welcome is not None else NONE)

    def never_sent(self, what, seq, frames):
        if seq > self.n - 1:
            raise ProtocolError("%s %d: beyond this sender's last message %d (the receiver "
                                "holds more than the journal)" % (what, seq, self.n - 1), frames)
        if self.first_welcome is None:
            raise ProtocolError("%s %d before any WELCOME: nothing was sent" % (what, seq),
                                frames)
        raise ProtocolError("%s %d: never sent (this run sent up to %d, its first WELCOME "
                            "said %d)" % (what, seq, self.highest_sent, self.first_welcome),
                            frames)

    def say_hello(self, why, retry_soon=False):
        """HELLO; no DATA until its WELCOME (the spec: only after a WELCOME has told it where
        the receiver is). Without a connection the HELLO cannot go: retried in 10 ms when a
        handshake was just reported (retry_soon), else after --ack-timeout-ms."""
        self.next = None
        self.hello_at = time.monotonic()
        try:
            self.sock.send_multipart(self.hello, zmq.NOBLOCK)
        except zmq.Again:
            self.awaiting = False
            self.hello_due = retry_soon
            return
        self.awaiting = True
        self.hello_due = False
        self.stats["hello"] += 1
        log("HELLO (%s) id=%s epoch=%s" % (why, self.args.id, self.epoch.hex()))

    def on_monitor(self):
        for _ in range(BATCH):
            try:
                event = recv_monitor_message(self.monitor, zmq.NOBLOCK)
            except zmq.Again:
                return
            kind = event["event"]
            if kind == zmq.EVENT_CONNECTED:
                log("CONNECTED %s" % event["endpoint"].decode(errors="replace"))
            elif kind == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                self.say_hello("new connection", retry_soon=True)
            elif kind == zmq.EVENT_DISCONNECTED:
                log("DISCONNECTED %s" % event["endpoint"].decode(errors="replace"))
                self.next = None
                self.awaiting = False
                self.hello_due = False

    def on_message(self, frames):
        msg = decode_for_sender(frames)
        self.last_heard = time.monotonic()
        if msg[0] == "WHO":
            self.stats["who"] += 1
            if self.awaiting:
                log("WHO while a HELLO is out: nothing more to say")
            else:
                self.say_hello("WHO")
        elif msg[0] == "ACK":
            seq = msg[1]
            if seq > self.claim_bound():
                self.never_sent("ACK", seq, frames)
            self.stats["ack"] += 1
            if seq > self.acked:
                self.acked = seq
                if self.next is not None and self.next <= seq:
                    self.next = seq + 1
        else:
            acked, delivered = msg[1], msg[2]
            if delivered > (self.claim_bound() if self.first_welcome is not None
                            else self.n - 1):
                self.never_sent("WELCOME delivered", delivered, frames)
            if acked < self.acked:
                raise ProtocolError("WELCOME acknowledged %d, but ACK %d said it was stored for "
                                    "good" % (acked, self.acked), frames)
            self.stats["welcome"] += 1
            if self.first_welcome is None:
                self.first_welcome = delivered
            resend = self.highest_sent - delivered if self.highest_sent > delivered else 0
            log("WELCOME acked=%d delivered=%d: sending from %d%s"
                % (acked, delivered, delivered + 1,
                   " (go back %d)" % resend if resend else ""))
            self.acked = acked
            self.next = delivered + 1
            self.awaiting = False

    def pump(self):
        """Transmit in order from self.next, at most `window` unacknowledged."""
        if self.next is None:
            return
        for _ in range(self.window):
            seq = self.next
            if seq >= self.n or seq > self.acked + self.window:
                return
            if self.interval:
                now = time.monotonic()
                if now < self.next_data_at:
                    return
                self.next_data_at = now + self.interval
            payload = ("%s-%d" % (self.args.id, seq)).encode("utf-8")
            try:
                self.sock.send_multipart(enc_data(seq, payload), zmq.NOBLOCK)
            except zmq.Again:
                return                       # no connection: HELLO again when there is one
            if seq <= self.highest_sent:
                self.stats["resent"] += 1
            else:
                self.highest_sent = seq
            self.stats["data"] += 1
            if self.acked + 1 == seq:        # nothing was outstanding: silence counts from now
                self.last_heard = time.monotonic()
            self.next = seq + 1

    def tick(self, now):
        if self.hello_due or (self.awaiting and now - self.hello_at >= self.ack_timeout):
            if self.hello_due:
                self.say_hello("retry", retry_soon=True)
            else:
                self.say_hello("no WELCOME in %d ms" % self.args.ack_timeout_ms)
        elif (self.next is not None and self.next > self.acked + 1
              and now - self.last_heard >= self.ack_timeout):
            log("ACK TIMEOUT: %d ms of silence with %d outstanding (acked %d)"
                % (self.args.ack_timeout_ms, self.next - self.acked - 1, self.acked))
            self.say_hello("ack timeout")
        elif self.next is None and not self.awaiting and now - self.hello_at >= self.ack_timeout:
            # no connection event seen for a while: try a HELLO (fails quietly when down)
            self.say_hello("idle")

    def run(self):
        life = Lifeline(self.poller)
        deadline = (time.monotonic() + self.args.timeout_s) if self.args.timeout_s else None
        next_report = time.monotonic() + 1.0
        while True:
            if self.acked >= self.n - 1:
                log("DONE %s" % " ".join("%s=%d" % kv for kv in self.stats.items()))
                print("ACKED %d" % self.n, flush=True)
                return 0
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                log("TIMEOUT: acked %d of %d after %g s" % (self.acked + 1, self.n,
                                                           self.args.timeout_s))
                return 2
            wake = min(now + 1.0, next_report)
            if self.hello_due:
                wake = min(wake, now + 0.01)
            elif self.awaiting:
                wake = min(wake, self.hello_at + self.ack_timeout)
            elif self.next is not None and self.next > self.acked + 1:
                wake = min(wake, self.last_heard + self.ack_timeout)
            if self.interval and self.next is not None and self.next < self.n \
                    and self.next <= self.acked + self.window:
                wake = min(wake, self.next_data_at)
            if deadline is not None:
                wake = min(wake, deadline)
            events = dict(self.poller.poll(poll_ms(max(0.0, wake - now))))
            if life.check(events):
                log("INTERRUPTED: acked %d of %d" % (self.acked + 1, self.n))
                return 1
            if self.monitor in events:
                self.on_monitor()
            if self.sock in events:
                for _ in range(BATCH):
                    try:
                        frames = self.sock.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    self.on_message(frames)
                    self.pump()          # right after a WELCOME: before any later ACK
            now = time.monotonic()
            self.tick(now)
            self.pump()
            if now >= next_report:
                next_report = now + 1.0
                log("PROGRESS acked=%d next=%s sent=%d" % (self.acked, self.next,
                                                           self.stats["data"]))


def run_send(args):
    try:
        if not 1 <= len(args.id.encode("utf-8")) <= 255:
            log("--id must be 1..255 bytes of UTF-8")
            return 2
        if not (args.interval_ms >= 0 and args.timeout_s >= 0):
            log("--interval-ms and --timeout-s must be >= 0")
            return 2
        sender = Sender(args)
    except OSError as e:
        log("STATE ERROR: %s" % e)
        return 1
    try:
        return sender.run()
    except ProtocolError as e:
        log("PROTOCOL ERROR: %s" % e)
        return 3
    finally:
        sender.close()


# ---------------------------------------------------------------------------
# Receiver (ROUTER)
# ---------------------------------------------------------------------------

STATE_FORMAT = "ddp_peer recv state 1"


class StateError(Exception):
    pass


class Receiver:
    def __init__(self, args):
        self.args = args
        self.dir = args.state
        self.lock = lock_dir(self.dir)
        self.senders = {}          # id -> {"epoch": hex, "acked": n, "delivered": n}
        self.file_length = 0
        self.load()
        self.out = open(args.out, "ab")
        self.conns = {}            # routing id -> sender id (a connection that said HELLO)
        self.owner = {}            # sender id -> its current routing id
        self.gap_welcomed = set()  # senders answered a gap since their last in-order DATA
        self.dirty = False
        self.written = False
        self.replies = []
        self.malformed = 0
        self.stats = {"delivered": 0, "duplicate": 0, "gap": 0, "who": 0, "hello": 0}

    def load(self):
        path = os.path.join(self.dir, "state.json")
        try:
            size = os.path.getsize(self.args.out)
        except FileNotFoundError:
            size = 0
        try:
            with open(path, "rb") as f:
                state = json.loads(f.read().decode("utf-8"))
        except FileNotFoundError:
            # first start: whatever FILE holds now is not ours to cut
            self.file_length = size
            self.write_state()
            log("STATE new in %s; %s is %d bytes" % (self.dir, self.args.out, size))
            return
        except (ValueError, UnicodeDecodeError) as e:
            raise StateError("%s is not valid JSON: %s" % (path, e)) from None
        try:
            if state["format"] != STATE_FORMAT:
                raise StateError("%s: unknown format %r" % (path, state["format"]))
            self.file_length = int(state["file_length"])
            for ident, s in state["senders"].items():
                self.senders[ident] = {"epoch": str(s["epoch"]), "acked": int(s["acked"]),
                                       "delivered": int(s["delivered"])}
        except (KeyError, TypeError, AttributeError, ValueError) as e:
            raise StateError("%s: malformed state (%s)" % (path, e)) from None
        if size < self.file_length:
            raise StateError("%s is %d bytes, shorter than the %d acknowledged"
                             % (self.args.out, size, self.file_length))
        if size > self.file_length:
            os.truncate(self.args.out, self.file_length)
            fd = os.open(self.args.out, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            log("TRUNCATED %s from %d to %d bytes: lines never acknowledged, they come again"
                % (self.args.out, size, self.file_length))
        log("STATE loaded: %d sender(s), %s is %d bytes; %s"
            % (len(self.senders), self.args.out, self.file_length,
               " ".join("%s@%d" % (i, s["acked"]) for i, s in sorted(self.senders.items()))))

    def write_state(self):
        state = {"format": STATE_FORMAT, "file_length": self.file_length,
                 "senders": self.senders}
        write_atomically(self.dir, "state.json", json.dumps(state, sort_keys=True).encode())

    def commit(self):
        """FILE to disk, then the progress; the replies (ACKs, WELCOMEs) only after both."""
        if self.written:
            self.out.flush()
            os.fsync(self.out.fileno())
            self.file_length = self.out.tell()
            self.written = False
            self.dirty = True
        if self.dirty:
            self.write_state()
            self.dirty = False

    def send_replies(self):
        for frames in self.replies:
            try:
                self.sock.send_multipart(frames, zmq.NOBLOCK)
            except zmq.Again:
                pass                       # peer gone or its pipe full: it times out, HELLOs
        self.replies = []

    def reply(self, rid, frames):
        self.replies.append([rid] + frames)

    def malformed_input(self, rid, err):
        self.malformed += 1
        if rid in self.conns:
            raise err
        log("PROTOCOL ERROR: from an unknown connection %s (dropped, %d so far): %s"
            % (rid.hex(), self.malformed, err))

    def handle(self, frames):
        if len(frames) < 1:
            return
        rid, body = frames[0], frames[1:]
        try:
            msg = decode_for_receiver(body)
        except ProtocolError as e:
            self.malformed_input(rid, e)
            return
        if msg[0] == "HELLO":
            self.on_hello(rid, msg[1], msg[2])
        else:
            self.on_data(rid, msg[1], msg[2])

    def on_hello(self, rid, epoch, ident):
        self.stats["hello"] += 1
        s = self.senders.get(ident)
        if s is None or s["epoch"] != epoch.hex():
            why = "new sender" if s is None else "new epoch (was %s)" % s["epoch"]
            s = {"epoch": epoch.hex(), "acked": NONE, "delivered": NONE}
            self.senders[ident] = s
            self.dirty = True
        else:
            why = "known"
        old = self.owner.get(ident)
        if old is not None and old != rid:
            self.conns.pop(old, None)    # a sender speaks on its newest connection
        previous = self.conns.get(rid)
        if previous is not None and previous != ident and self.owner.get(previous) == rid:
            del self.owner[previous]
        self.conns[rid] = ident
        self.owner[ident] = rid
        self.gap_welcomed.discard(ident)
        log("HELLO %s epoch=%s conn=%s (%s) -> WELCOME acked=%d delivered=%d"
            % (ident, epoch.hex(), rid.hex(), why, s["acked"], s["delivered"]))
        self.reply(rid, enc_welcome(s["acked"], s["delivered"]))

    def on_data(self, rid, seq, payload):
        ident = self.conns.get(rid)
        if ident is None:
            self.stats["who"] += 1
            if self.stats["who"] <= 10 or self.stats["who"] % 1000 == 0:
                log("WHO to %s: DATA %d on a connection that said no HELLO (%d WHO so far)"
                    % (rid.hex(), seq, self.stats["who"]))
            self.reply(rid, enc_who())
            return
        s = self.senders[ident]
        if seq == s["delivered"] + 1:
            self.out.write(payload + b"\n")
            self.written = True
            s["delivered"] = s["acked"] = seq
            self.stats["delivered"] += 1
            self.gap_welcomed.discard(ident)
            self.reply(rid, enc_ack(seq))
        elif seq <= s["delivered"]:
            self.stats["duplicate"] += 1
            self.reply(rid, enc_ack(s["acked"]))
        elif ident not in self.gap_welcomed:
            self.stats["gap"] += 1
            self.gap_welcomed.add(ident)
            log("GAP %s: DATA %d, expected %d -> WELCOME acked=%d delivered=%d"
                % (ident, seq, s["delivered"] + 1, s["acked"], s["delivered"]))
            self.reply(rid, enc_welcome(s["acked"], s["delivered"]))

    def run(self):
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.ROUTER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.setsockopt(zmq.ROUTER_HANDOVER, 1)
        self.sock.setsockopt(zmq.HEARTBEAT_IVL, HEARTBEAT_IVL_MS)
        self.sock.setsockopt(zmq.HEARTBEAT_TIMEOUT, HEARTBEAT_TIMEOUT_MS)
        self.sock.bind(self.args.bind)
        poller = zmq.Poller()
        poller.register(self.sock, zmq.POLLIN)
        life = Lifeline(poller)
        print("READY " + self.sock.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)
        next_report = time.monotonic() + 1.0
        reported = None
        code = 0
        try:
            while True:
                events = dict(poller.poll(poll_ms(max(0.0, next_report - time.monotonic()))))
                if life.check(events):
                    break
                if self.sock in events:
                    try:
                        for _ in range(BATCH):
                            try:
                                frames = self.sock.recv_multipart(zmq.NOBLOCK)
                            except zmq.Again:
                                break
                            self.handle(frames)
                    except ProtocolError as e:
                        log("PROTOCOL ERROR: %s" % e)
                        # nothing of this batch is acknowledged; FILE is cut back on restart
                        code = 3
                        break
                    self.commit()
                    self.send_replies()
                now = time.monotonic()
                if now >= next_report:
                    next_report = now + 1.0
                    line = " ".join("%s@%d" % (i, s["acked"])
                                    for i, s in sorted(self.senders.items()))
                    line += " " + " ".join("%s=%d" % kv for kv in self.stats.items())
                    if line != reported:
                        log("PROGRESS " + line)
                        reported = line
        finally:
            self.out.close()
            self.sock.close(0)
            self.ctx.term()
            os.close(self.lock)
        log("STOPPED %s malformed=%d" % (" ".join("%s=%d" % kv for kv in self.stats.items()),
                                         self.malformed))
        return code


def run_recv(args):
    try:
        receiver = Receiver(args)
    except (OSError, StateError) as e:
        log("STATE ERROR: %s" % e)
        return 1
    try:
        return receiver.run()
    except zmq.ZMQError as e:
        log("ZMQ ERROR: %s" % e)
        return 1
    except OSError as e:
        log("STATE ERROR: %s" % e)
        return 1


# ---------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description="zmq4j durable delivery protocol test peer "
                                            "(docs/durability.md)")
    sub = p.add_subparsers(dest="role", required=True)

    s = sub.add_parser("send", help="durable sender (DEALER) of NAME-0 .. NAME-(N-1)")
    s.add_argument("--connect", required=True, help="the receiver's endpoint")
    s.add_argument("--id", required=True, help="sender id (1..255 bytes UTF-8), payload prefix")
    s.add_argument("--count", required=True, type=positive, help="how many messages")
    s.add_argument("--state", required=True, help="directory for the epoch")
    s.add_argument("--window", type=positive, default=100,
                   help="unacknowledged messages at most (default 100)")
    s.add_argument("--ack-timeout-ms", type=positive, default=1000,
                   help="silence with messages outstanding before HELLO again (default 1000)")
    s.add_argument("--interval-ms", type=float, default=0.0,
                   help="pause between DATA transmissions, to slow a test run (default 0)")
    s.add_argument("--timeout-s", type=float, default=600.0,
                   help="give up (exit 2) after this many seconds; 0: never (default 600)")

    r = sub.add_parser("recv", help="durable receiver (ROUTER) appending payloads to FILE")
    r.add_argument("--bind", required=True, help="endpoint, e.g. tcp://127.0.0.1:*")
    r.add_argument("--state", required=True, help="directory for the senders' progress")
    r.add_argument("--out", required=True, help="FILE the payloads and newlines go to")

    args = p.parse_args(argv)
    return run_send(args) if args.role == "send" else run_recv(args)


if __name__ == "__main__":
    sys.exit(main())
