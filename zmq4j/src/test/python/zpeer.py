#!/usr/bin/env python3
"""A libzmq peer (through pyzmq) scripted line by line over stdin/stdout.

The zmq4j test suite (org.zmq4j.testsuite.LibzmqPeer, the one driver of this script) starts
this process and drives it; it is also handy by hand:

    python3 zpeer.py
    socket s PULL
    bind s tcp://127.0.0.1:*

Protocol: one request per line on stdin, exactly one reply line per request on stdout.
Tokens are separated by single spaces. Binary values (frames, ROUTING_ID, SUBSCRIBE...)
are written as "x" followed by lowercase hex, so "x" alone is an empty frame and
"x6869" is b"hi". Integers are written in decimal.

On start the peer prints:        ready zmq=<libzmq version> pyzmq=<version> pid=<pid>

Requests and their replies:
    ping                                  ok
    socket NAME TYPE                      ok                 (TYPE: PUSH, PULL, SUB, ...)
    setopt NAME OPTION VALUE              ok                 (VALUE: integer or x<hex>)
    getopt NAME OPTION                    ok VALUE
    bind NAME ENDPOINT [RETRY_MS]         ok RESOLVED        (retries EADDRINUSE up to RETRY_MS)
    connect NAME ENDPOINT                 ok
    unbind NAME ENDPOINT                  ok
    disconnect NAME ENDPOINT              ok
    send NAME TIMEOUT_MS FRAME...         ok                 (SNDTIMEO = TIMEOUT_MS)
    sendretry NAME TIMEOUT_MS FRAME...    ok                 (also retries EHOSTUNREACH until
                                                              TIMEOUT_MS: ROUTER_MANDATORY peers
                                                              whose connection is not up yet)
    recv NAME TIMEOUT_MS                  msg FRAME...  |  timeout
    close NAME [LINGER_MS]                ok
    exit                                  ok                 (closes everything, LINGER 0)
Any failure replies:                      err ERRNAME free text

The peer never blocks without a bound: every wait has a timeout, it exits when stdin
closes, and a watchdog ends the process after --max-seconds (default 600) whatever happens.
Set ZPEER_TRACE=1 to log every request and reply (abbreviated) on stderr.
Sockets are closed with LINGER 0 on exit, so a test must have seen what it needed first
(libzmq issue 4660: keep the sending side open until the receiver is done).
"""

import argparse
import os
import sys
import threading
import time

import zmq

ERRNO_NAMES = {}
for _name in ("EAGAIN", "EFSM", "ETERM", "EHOSTUNREACH", "EINVAL", "EADDRINUSE",
              "EADDRNOTAVAIL", "ENOTSUP", "EPROTONOSUPPORT", "ENOCOMPATPROTO", "ENOENT",
              "EINTR", "ENOTSOCK", "EMSGSIZE", "ECONNREFUSED", "EMTHREAD", "ENODEV"):
    if hasattr(zmq, _name):
        ERRNO_NAMES[getattr(zmq, _name)] = _name


class PeerError(Exception):
    def __init__(self, name, text):
        super().__init__(text)
        self.name = name
        self.text = text


def decode_bytes(token):
    if not token.startswith("x"):
        raise PeerError("EINVAL", "binary value must be x<hex>: %r" % token[:40])
    try:
        return bytes.fromhex(token[1:])
    except ValueError:
        raise PeerError("EINVAL", "bad hex in %r" % token[:40])


def encode_bytes(data):
    return "x" + bytes(data).hex()


def decode_value(token):
    if token.startswith("x"):
        return decode_bytes(token)
    try:
        return int(token)
    except ValueError:
        raise PeerError("EINVAL", "value must be an integer or x<hex>: %r" % token[:40])


def constant(name, what):
    value = getattr(zmq, name.upper(), None)
    if not isinstance(value, int):
        raise PeerError("EINVAL", "unknown %s %r" % (what, name))
    return value


class Peer:
    def __init__(self):
        self.ctx = zmq.Context.instance()
        self.sockets = {}

    def sock(self, name):
        s = self.sockets.get(name)
        if s is None:
            raise PeerError("ENOTSOCK", "no socket named %r" % name)
        return s

    def handle(self, args):
        if not args:
            raise PeerError("EINVAL", "empty request")
        cmd = args[0]
        handler = getattr(self, "cmd_" + cmd, None)
        if handler is None:
            raise PeerError("EINVAL", "unknown command %r" % cmd)
        return handler(*args[1:])

    def cmd_ping(self):
        return "ok"

    def cmd_socket(self, name, type_name):
        if name in self.sockets:
            raise PeerError("EINVAL", "socket %r exists" % name)
        s = self.ctx.socket(constant(type_name, "socket type"))
        s.setsockopt(zmq.LINGER, 0)
        self.sockets[name] = s
        return "ok"

    def cmd_setopt(self, name, option, value):
        self.sock(name).setsockopt(constant(option, "option"), decode_value(value))
        return "ok"

    def cmd_getopt(self, name, option):
        value = self.sock(name).getsockopt(constant(option, "option"))
        if isinstance(value, bytes):
            return "ok " + encode_bytes(value)
        return "ok %s" % value

    def cmd_bind(self, name, endpoint, retry_ms="0"):
        s = self.sock(name)
        deadline = time.monotonic() + int(retry_ms) / 1000.0
        while True:
            try:
                s.bind(endpoint)
                break
            except zmq.ZMQError as e:
                if e.errno != zmq.EADDRINUSE or time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)
        return "ok " + s.getsockopt(zmq.LAST_ENDPOINT).decode()

    def cmd_connect(self, name, endpoint):
        self.sock(name).connect(endpoint)
        return "ok"

    def cmd_unbind(self, name, endpoint):
        self.sock(name).unbind(endpoint)
        return "ok"

    def cmd_disconnect(self, name, endpoint):
        self.sock(name).disconnect(endpoint)
        return "ok"

    def _send(self, name, timeout_ms, frames, retry_unreachable):
        s = self.sock(name)
        if not frames:
            raise PeerError("EINVAL", "send needs at least one frame")
        parts = [decode_bytes(f) for f in frames]
        timeout = int(timeout_ms)
        deadline = time.monotonic() + timeout / 1000.0
        s.setsockopt(zmq.SNDTIMEO, timeout)
        while True:
            try:
                s.send_multipart(parts, copy=True)
                return "ok"
            except zmq.ZMQError as e:
                if (retry_unreachable and e.errno == zmq.EHOSTUNREACH
                        and time.monotonic() < deadline):
                    time.sleep(0.005)
                    continue
                raise

    def cmd_send(self, name, timeout_ms, *frames):
        return self._send(name, timeout_ms, frames, False)

    def cmd_sendretry(self, name, timeout_ms, *frames):
        return self._send(name, timeout_ms, frames, True)

    def cmd_recv(self, name, timeout_ms):
        s = self.sock(name)
        deadline = time.monotonic() + int(timeout_ms) / 1000.0
        while True:
            left = max(0, int((deadline - time.monotonic()) * 1000))
            if s.poll(left, zmq.POLLIN):
                try:
                    frames = s.recv_multipart(zmq.NOBLOCK)
                    return "msg " + " ".join(encode_bytes(f) for f in frames)
                except zmq.Again:
                    pass                   # e.g. REQ dropped a stale reply: keep waiting
            if time.monotonic() >= deadline:
                return "timeout"

    def cmd_close(self, name, linger_ms="0"):
        s = self.sockets.pop(name, None)
        if s is None:
            raise PeerError("ENOTSOCK", "no socket named %r" % name)
        s.close(linger=int(linger_ms))
        return "ok"

    def close_all(self):
        for s in self.sockets.values():
            s.close(linger=0)
        self.sockets.clear()
        self.ctx.term()


def reply(line):
    out = sys.stdout.buffer
    out.write(line.encode("ascii") + b"\n")
    out.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-seconds", type=float, default=600.0,
                        help="end the process after this long whatever happens (default 600)")
    opts = parser.parse_args()

    watchdog = threading.Timer(opts.max_seconds, lambda: os._exit(3))
    watchdog.daemon = True
    watchdog.start()

    trace = os.environ.get("ZPEER_TRACE") == "1"
    peer = Peer()
    reply("ready zmq=%s pyzmq=%s pid=%d" % (zmq.zmq_version(), zmq.pyzmq_version(), os.getpid()))
    try:
        while True:
            raw = sys.stdin.buffer.readline()
            if not raw:
                break                      # stdin closed: the test is gone
            line = raw.decode("ascii", "replace").strip()
            if not line:
                continue
            args = line.split(" ")
            if args[0] == "exit":
                reply("ok")
                break
            try:
                out = peer.handle(args)
                if trace:
                    sys.stderr.write("%.3f %s -> %s\n" % (time.monotonic(), line[:100], out[:100]))
                reply(out)
            except PeerError as e:
                reply("err %s %s" % (e.name, e.text))
            except zmq.ZMQError as e:
                reply("err %s %s" % (ERRNO_NAMES.get(e.errno, "E%d" % e.errno), e))
            except TypeError as e:         # wrong number of arguments
                reply("err EINVAL %s" % str(e).replace("\n", " "))
            except Exception as e:         # never die silently on a bad request
                reply("err EIO %s: %s" % (type(e).__name__, str(e).replace("\n", " ")))
    finally:
        peer.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
