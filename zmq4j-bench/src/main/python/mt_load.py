#!/usr/bin/env python3
"""The majortomo processes of the Majordomo benchmark (zmq4j-bench, org.zmq4j.bench.MajordomoBench).

majortomo (github.com/shoppimon/majortomo, MDP/0.2 in its own framing) is not part of zmq4j and is
not installed: it is imported from a checkout that the runner puts on PYTHONPATH.

  mt_load.py check                                  imports majortomo, prints the versions
  mt_load.py broker <bind-endpoint>                 majortomo.broker.Broker with its defaults
  mt_load.py worker <broker-endpoint> <service>     one majortomo.Worker echoing every request
  mt_load.py client <broker-endpoint> <body-size>   one majortomo.Client calling the service "echo"
                                                    synchronously, one request in flight

One client or worker per process (threads would share the GIL). The client follows the load
protocol of zmq4j-bench/src/main/c/md_load_common.h: "READY" after its first reply, then
"WINDOW <start-ms> <end-ms>" (epoch milliseconds) on stdin, then "RESULT <replies> <errors>
<window-ms>" at its first reply after the end. A request with no reply within 5 s counts as an
error (after the first reply) and the client starts over with a new socket (no retry of it).

About figcan: majortomo's broker module imports figcan (a configuration library, not installable
here) for its command line's configuration file, and its config module wraps the default logging
settings in figcan.Extensible at import time. This script builds the Broker object directly,
without that configuration, so only the name Extensible is read. When figcan cannot be imported,
the broker mode registers a module "figcan" that defines Extensible as a plain dict subclass and
nothing else, and says so on stderr; the broker's own code runs unchanged.
"""
import os
import sys
import threading
import time
import types

SERVICE = b'echo'
TIMEOUT_S = 5.0


def ensure_figcan():
    try:
        import figcan  # noqa: F401
        return 'figcan installed'
    except ImportError:
        module = types.ModuleType('figcan')

        class Extensible(dict):
            """Marks a dict that figcan may extend; majortomo only builds its defaults with it."""

        module.Extensible = Extensible
        sys.modules['figcan'] = module
        return 'figcan not installed: mt_load.py defines figcan.Extensible only (the broker is built without its config loader)'


def check():
    import zmq
    import majortomo
    from majortomo import Client, Worker  # noqa: F401
    how = ensure_figcan()
    from majortomo.broker import Broker  # noqa: F401
    root = os.path.dirname(os.path.dirname(os.path.abspath(majortomo.__file__)))
    version = '?'
    try:
        with open(os.path.join(root, 'VERSION')) as f:
            version = f.read().strip()
    except OSError:
        pass
    print('majortomo %s, Python %s, pyzmq %s, libzmq %s; %s' % (
        version, sys.version.split()[0], zmq.__version__, zmq.zmq_version(), how))


def broker(endpoint):
    how = ensure_figcan()
    if not how.startswith('figcan installed'):
        sys.stderr.write('mt_load.py: %s\n' % how)
    from majortomo.broker import Broker
    Broker(bind=endpoint).run()  # until the runner kills the process


def worker(endpoint, service):
    from majortomo import Worker
    w = Worker(endpoint, service.encode('ascii'))
    w.connect()
    sys.stdout.write('READY\n')
    sys.stdout.flush()
    while True:
        client, frames = w.wait_for_request()
        w.send_reply_final(client, frames)


def client(endpoint, size):
    from majortomo import Client
    body = b'\0' * size
    window = []  # [start, end] in seconds, once the runner has sent it

    def read_window():
        f = sys.stdin.readline().split()
        if len(f) != 3 or f[0] != 'WINDOW':
            sys.stderr.write('expected WINDOW <start-ms> <end-ms> on stdin, got %r\n' % f)
            os._exit(3)
        window.extend((int(f[1]) / 1000.0, int(f[2]) / 1000.0))

    c = Client(endpoint)
    c.connect()
    first = True
    count = 0
    errors = 0
    give_up = time.time() + 60
    while True:
        ok = True
        try:
            c.send(SERVICE, body)
            c.recv_all_as_list(timeout=TIMEOUT_S)
        except Exception as e:  # majortomo's Timeout; anything else is an error too
            ok = False
            if not first:  # before the first reply it is start-up, not a lost request
                errors += 1
            sys.stderr.write('mt_load.py client: %s: %s\n' % (type(e).__name__, e))
            c.close()
            c = Client(endpoint)
            c.connect()
        t = time.time()
        if first:
            if ok:
                first = False
                sys.stdout.write('READY\n')
                sys.stdout.flush()
                threading.Thread(target=read_window, daemon=True).start()
            elif t > give_up:
                sys.stderr.write('no reply within 60 s\n')
                sys.exit(3)
            continue
        if window and t >= window[1]:
            break
        if ok and window and t >= window[0]:
            count += 1
    sys.stdout.write('RESULT %d %d %d\n' % (count, errors, round((window[1] - window[0]) * 1000)))
    sys.stdout.flush()
    os._exit(0)


def main(argv):
    if len(argv) == 2 and argv[1] == 'check':
        check()
    elif len(argv) == 3 and argv[1] == 'broker':
        broker(argv[2])
    elif len(argv) == 4 and argv[1] == 'worker':
        worker(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == 'client':
        client(argv[2], int(argv[3]))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == '__main__':
    main(sys.argv)
