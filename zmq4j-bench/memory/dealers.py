# N idle libzmq DEALERs for zmq4j-bench/memory/connections.sh: connect to argv[1], wait for stdin to close.
import sys, zmq, resource
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
n = int(sys.argv[2])
ctx = zmq.Context(io_threads=2)
ctx.max_sockets = n + 100
socks = []
for i in range(n):
    d = ctx.socket(zmq.DEALER)
    d.setsockopt(zmq.LINGER, 0)
    d.connect(sys.argv[1])
    socks.append(d)
print("connected %d" % n, flush=True)
sys.stdin.read()
