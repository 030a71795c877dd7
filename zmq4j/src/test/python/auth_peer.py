"""A libzmq (pyzmq) REQ client for zmq4j's Authenticator tests.

usage: auth_peer.py MECH ENDPOINT [key=value ...]
  MECH: null, plain or curve
  options: user=, password= (PLAIN); serverkey= (Z85) and cert=PATH (a secret certificate, read
           with zmq.auth.load_certificate) or public=, secret= (Z85) (CURVE); timeout=ms (default 10000)
Prints 'ready', then exactly one of:
  'reply <text>'            the server answered 'hello from libzmq'
  'refused <event> <value>' the handshake failed (first HANDSHAKE_FAILED_* monitor event)
  'timeout'                 neither within the timeout
"""
import os
import sys
import time

import zmq
import zmq.auth
from zmq.utils.monitor import recv_monitor_message

mech, endpoint = sys.argv[1], sys.argv[2]
opts = dict(a.split('=', 1) for a in sys.argv[3:])
ctx = zmq.Context()
s = ctx.socket(zmq.REQ)
s.linger = 0
if mech == 'plain':
    s.plain_username = opts['user'].encode()
    s.plain_password = opts['password'].encode()
elif mech == 'curve':
    if 'cert' in opts:
        public, secret = zmq.auth.load_certificate(opts['cert'])
    else:
        public, secret = opts['public'].encode(), opts['secret'].encode()
    s.curve_publickey = public
    s.curve_secretkey = secret
    s.curve_serverkey = opts['serverkey'].encode()
failures = (zmq.EVENT_HANDSHAKE_FAILED_AUTH, zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL,
            zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL)
mon = s.get_monitor_socket(zmq.EVENT_ALL)
s.connect(endpoint)
print('ready', flush=True)
poller = zmq.Poller()
poller.register(mon, zmq.POLLIN)
deadline = time.monotonic() + int(opts.get('timeout', '10000')) / 1000.0
outcome = 'timeout'
# the request is sent without blocking: when libzmq's I/O thread has already failed the handshake
# (and dropped the connection's pipe) before we get here, a blocking REQ send waits forever; the
# failure is then in the monitor queue (seen once in CI under load: the test timed out)
pending = True
while time.monotonic() < deadline:
    if pending:
        try:
            s.send(b'hello from libzmq', zmq.NOBLOCK)
            pending = False
            poller.register(s, zmq.POLLIN)
        except zmq.Again:
            pass
    wait_ms = 10 if pending else max(1, int((deadline - time.monotonic()) * 1000))
    ready = dict(poller.poll(wait_ms))
    if s in ready:
        outcome = 'reply ' + s.recv().decode()
        break
    if mon in ready:
        e = recv_monitor_message(mon)
        if e['event'] in failures:
            outcome = 'refused %d %d' % (e['event'], e['value'])
            break
print(outcome, flush=True)
# the outcome is all the test needs: exit now rather than risk libzmq's context shutdown hanging
# on the monitor socket (seen once in CI, which left the test waiting for EOF)
os._exit(0)
