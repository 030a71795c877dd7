"""What the RFC peers (mdp_peer.py, ppp_peer.py, flp_peer.py, bstar_peer.py) share: logging to
stderr, frames rendered for diagnostics, argparse number types, poll timeouts, and the Lifeline
that turns signals and stdin EOF into poll events. Python standard library and pyzmq only."""
import argparse
import math
import os
import signal
import sys

import zmq


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def hexframes(frames):
    """Render frames for diagnostics: hex, long frames truncated, empty shown."""
    shown = []
    for f in frames:
        if len(f) > 32:
            shown.append(f[:32].hex() + "..(%d bytes)" % len(f))
        else:
            shown.append(f.hex() or "(empty)")
    return "[" + ", ".join(shown) + "]"


def positive(text):
    """argparse type: an integer above zero."""
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return value


def non_negative(text):
    """argparse type: an integer of zero or more."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def poll_ms(seconds):
    """Poll timeout in whole milliseconds, rounded up so we never spin."""
    return max(0, math.ceil(seconds * 1000))


def read_lines(pending):
    """One read of standard input (after a poll said it is readable), split into whole lines.
    Returns (lines, the partial line left for next time, eof); at EOF the partial line is a line."""
    try:
        data = os.read(0, 65536)
    except OSError:
        data = b""
    *lines, rest = (pending + data).split(b"\n")
    if not data:
        if rest:
            lines.append(rest)
        rest = b""
    return [line.decode("utf-8", "replace").rstrip("\r") for line in lines], rest, not data


class Lifeline:
    """SIGTERM/SIGINT (via the signal wakeup fd) and EOF on stdin as pollable
    events, so a poll loop notices shutdown requests promptly. The Java tests keep
    a peer's stdin as a pipe: a peer cannot outlive the test that started it."""

    def __init__(self, poller, watch_stdin=True):
        self.stop = False
        self.poller = poller
        self.pipe_r, pipe_w = os.pipe()
        for fd in (self.pipe_r, pipe_w):
            os.set_blocking(fd, False)
        signal.set_wakeup_fd(pipe_w)
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        poller.register(self.pipe_r, zmq.POLLIN)
        self.stdin = None
        if watch_stdin:
            try:
                os.fstat(0)
            except OSError:
                pass                    # stdin closed: only a signal ends us
            else:
                poller.register(0, zmq.POLLIN)
                self.stdin = 0

    def _stop(self, signum, frame):
        self.stop = True

    def check(self, events):
        """Consume lifeline events; True when the process should shut down."""
        if self.pipe_r in events:
            try:
                os.read(self.pipe_r, 512)
            except BlockingIOError:
                pass
        if self.stdin is not None and self.stdin in events:    # data, EOF or hangup
            try:
                data = os.read(0, 65536)
            except OSError:
                data = b""
            if not data:
                log("stdin EOF")
                self.poller.unregister(0)
                self.stdin = None
                self.stop = True
        return self.stop
