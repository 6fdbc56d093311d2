#!/usr/bin/env python3
"""After-fix DoS figures on a release binary: (1) a 200k-key form body to
/api/v1/apps (alone, and two at once with /healthz latency); (2) status creation
latency with 0 and 500 silent anonymous public-stream listeners.
Usage: scripts/measure/dos.py BINARY PORT"""
import json, os, socket, sys, time, urllib.request, statistics, threading, resource
sys.path.insert(0, os.path.dirname(__file__))
from server import Server
binary, port = sys.argv[1], sys.argv[2]
resource.setrlimit(resource.RLIMIT_NOFILE, (8192, 8192))
server = Server(binary, port, extra_server="max_connections_per_address = 4000")
token, base = server.token(), server.base

def req(path, body=None, ctype=None, auth=False):
    h = {}
    if ctype: h["Content-Type"] = ctype
    if auth: h["Authorization"] = "Bearer " + token
    r = urllib.request.Request(base + path, body, h)
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(r, timeout=300) as x: code = x.status; x.read()
    except urllib.error.HTTPError as e: code = e.code; e.read()
    except Exception as e: code = str(e)
    return code, time.perf_counter() - t

import itertools, string
alphabet = string.ascii_letters + string.digits
form = "&".join("".join(p) for p, _ in zip(itertools.product(alphabet, repeat=3), range(200_000))).encode()
print(f"form body: {len(form)/1024:.0f} KiB, 200000 keys")
code, t = req("/api/v1/apps", form, "application/x-www-form-urlencoded")
print(f"one form: {code} in {t*1000:.0f} ms")
res = []
ths = [threading.Thread(target=lambda: res.append(req("/api/v1/apps", form, "application/x-www-form-urlencoded"))) for _ in range(2)]
for th in ths: th.start()
time.sleep(0.05)
hc = req("/healthz")
for th in ths: th.join()
print(f"two forms at once: {[(c, round(t*1000)) for c, t in res]}; /healthz meanwhile {hc[0]} in {hc[1]*1000:.0f} ms")

def posts(n=40):
    ts = []
    for i in range(n):
        code, t = req("/api/v1/statuses", json.dumps({"status": f"post {i} {time.time()}"}).encode(), "application/json", auth=True)
        assert code == 200, code
        ts.append(t * 1000)
    ts.sort()
    return statistics.median(ts), ts[int(len(ts) * 0.95) - 1], ts[-1]
posts(5)
print("status creation, no listeners: p50 %.1f ms, p95 %.1f ms, max %.1f ms" % posts())
silent = []
for i in range(500):
    s = socket.create_connection(("127.0.0.1", int(port)))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(f"GET /api/v1/streaming/public HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
    silent.append(s)
time.sleep(2)
print("status creation, 500 silent public listeners: p50 %.1f ms, p95 %.1f ms, max %.1f ms" % posts())
print("   VmHWM %d MB, VmRSS %d MB" % server.memory())
for s in silent: s.close()
server.stop()
