"""A libzmq peer for zmq4j's security interop tests.

usage: secure_peer.py ROLE MECH ENDPOINT [key=value ...]
  ROLE: server (REP, binds, prints the endpoint) or client (REQ, connects)
  MECH: plain or curve
  server options: auth=allow|deny (ThreadAuthenticator: PLAIN password alice/secret, or CURVE allow any / deny all)
  client options: user=, password=, public=, secret=, serverkey= (Z85)
Prints 'ready <endpoint>' then one line per event: 'got <text>' / 'reply <text>' / 'timeout' / 'event <name> <value>',
then 'done' once the monitor has gone quiet (a server then waits for a line on stdin before it exits).
"""
import sys, zmq, zmq.auth
from zmq.auth.thread import ThreadAuthenticator
from zmq.utils.monitor import recv_monitor_message

import time


def report_failures(mon, quiet_ms=200, max_seconds=3.0):
    """Prints the handshake failures the monitor saw, once it is quiet (bounded: a client that keeps
    reconnecting never goes quiet)."""
    seen = set()
    end = time.time() + max_seconds
    while time.time() < end and mon.poll(quiet_ms):
        e = recv_monitor_message(mon)
        key = (e['event'], e['value'])
        if e['event'] in (zmq.EVENT_HANDSHAKE_FAILED_AUTH, zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL,
                          zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL) and key not in seen:
            seen.add(key)
            print('event %d %d' % key, flush=True)


role, mech, endpoint = sys.argv[1], sys.argv[2], sys.argv[3]
opts = dict(a.split('=', 1) for a in sys.argv[4:])
ctx = zmq.Context()
auth = None
if role == 'server':
    s = ctx.socket(zmq.REP)
    auth = ThreadAuthenticator(ctx)
    auth.start()
    if mech == 'plain':
        s.plain_server = True
        auth.configure_plain(domain='*', passwords={'alice': 'secret'})
    else:
        s.curve_server = True
        s.curve_secretkey = opts['secret'].encode()
        s.curve_publickey = opts['public'].encode()
        if opts.get('auth') == 'deny':
            auth.configure_curve(domain='*', location='/nonexistent-dir-with-no-keys')
        else:
            auth.configure_curve(domain='*', location=zmq.auth.CURVE_ALLOW_ANY)
    mon = s.get_monitor_socket()
    port = s.bind_to_random_port('tcp://127.0.0.1')
    print('ready tcp://127.0.0.1:%d' % port, flush=True)
    s.RCVTIMEO = int(opts.get('timeout', '5000'))
    try:
        frame = s.recv(copy=False)
        msg = frame.bytes
        print('got ' + msg.decode(), flush=True)
        print('user ' + (frame.get('User-Id') or ''), flush=True)
        s.send(b'echo ' + msg)
    except zmq.Again:
        print('timeout', flush=True)
    report_failures(mon)
    sys.stdin.readline()
else:
    s = ctx.socket(zmq.REQ)
    if mech == 'plain':
        s.plain_username = opts['user'].encode()
        s.plain_password = opts['password'].encode()
    else:
        s.curve_publickey = opts['public'].encode()
        s.curve_secretkey = opts['secret'].encode()
        s.curve_serverkey = opts['serverkey'].encode()
    mon = s.get_monitor_socket()
    s.connect(endpoint)
    print('ready ' + endpoint, flush=True)
    s.RCVTIMEO = int(opts.get('timeout', '5000'))
    # bounded: when the handshake already failed, libzmq has dropped the pipe and a blocking REQ
    # send would wait forever
    s.SNDTIMEO = s.RCVTIMEO
    try:
        s.send(b'hello from libzmq')
        print('reply ' + s.recv().decode(), flush=True)
    except zmq.Again:
        print('timeout', flush=True)
    report_failures(mon)
print('done', flush=True)
mon.close(linger=0)
s.close(linger=0)
if auth:
    auth.stop()
ctx.term()
