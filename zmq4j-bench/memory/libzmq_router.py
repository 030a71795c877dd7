# A libzmq ROUTER that counts handshakes and reports its RSS on "measure" (stdin).
import sys, zmq, threading
ctx = zmq.Context()
ctx.max_sockets = 20000
r = ctx.socket(zmq.ROUTER)
r.setsockopt(zmq.LINGER, 0)
r.setsockopt(zmq.BACKLOG, 4096)
mon = r.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
port = r.bind_to_random_port("tcp://127.0.0.1")
print("endpoint tcp://127.0.0.1:%d" % port, flush=True)
count = [0]
def watch():
    from zmq.utils.monitor import recv_monitor_message
    while True:
        try:
            recv_monitor_message(mon)
            count[0] += 1
        except zmq.ZMQError:
            return
threading.Thread(target=watch, daemon=True).start()
def rss():
    for l in open("/proc/self/status"):
        if l.startswith("VmRSS:"):
            return int(l.split()[1])
for line in sys.stdin:
    if line.strip() == "measure":
        print("heap 0 rss %d handshakes %d accepted 0" % (rss(), count[0]), flush=True)
    elif line.strip() == "quit":
        break
