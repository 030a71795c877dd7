"""libzmq's four perf programs (perf/local_thr, remote_thr, local_lat, remote_lat in libzmq's
source tree) re-enacted through pyzmq, so zmq4j's `perf` commands can be run against real libzmq.
Same arguments, same sockets, same checks and the same output lines as the C programs.

usage: libzmq_perf.py local_thr|remote_thr|local_lat|remote_lat ENDPOINT MESSAGE_SIZE COUNT
"""
import sys
import time

import zmq

role, endpoint, size, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ctx = zmq.Context()

if role == 'local_thr':
    s = ctx.socket(zmq.PULL)
    s.bind(endpoint)
    start = None
    for i in range(count):
        m = s.recv(copy=False)
        if start is None:
            start = time.perf_counter()
        if len(m.bytes) != size:
            print('message of incorrect size received', flush=True)
            sys.exit(1)
    elapsed = max(time.perf_counter() - start, 1e-9) if count > 1 else 1e-9
    print('message size: %d [B]' % size)
    print('message count: %d' % count)
    print('mean throughput: %d [msg/s]' % int(count / elapsed))
    print('mean throughput: %.3f [Mb/s]' % (count / elapsed * size * 8 / 1e6), flush=True)
elif role == 'remote_thr':
    s = ctx.socket(zmq.PUSH)
    s.connect(endpoint)
    body = b'\0' * size
    for i in range(count):
        s.send(body, copy=size > 1024)
elif role == 'local_lat':
    s = ctx.socket(zmq.REP)
    s.bind(endpoint)
    for i in range(count):
        m = s.recv()
        if len(m) != size:
            print('message of incorrect size received', flush=True)
            sys.exit(1)
        s.send(m)
elif role == 'remote_lat':
    s = ctx.socket(zmq.REQ)
    s.connect(endpoint)
    body = b'\0' * size
    start = time.perf_counter()
    for i in range(count):
        s.send(body)
        m = s.recv()
        if len(m) != size:
            print('message of incorrect size received', flush=True)
            sys.exit(1)
    elapsed = time.perf_counter() - start
    print('message size: %d [B]' % size)
    print('roundtrip count: %d' % count)
    print('average latency: %.3f [us]' % (elapsed * 1e6 / count / 2), flush=True)
else:
    sys.exit('unknown role ' + role)

s.close()
ctx.term()
