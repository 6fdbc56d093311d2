#!/usr/bin/env python3
"""Starts a binary, makes a user and an app, then measures: VmHWM under 100
concurrent wrong-password logins, and wrong-password latency for a known vs an
unknown name. Usage: scripts/measure/logins.py BINARY PORT [extra env k=v ...]"""
import json, os, sys, time, urllib.request, urllib.parse, concurrent.futures, statistics
sys.path.insert(0, os.path.dirname(__file__))
from server import Server
binary, port = sys.argv[1], sys.argv[2]
server = Server(binary, port, dict(a.split("=", 1) for a in sys.argv[3:]))
base = server.base
def post(path, data, js=False):
    body = json.dumps(data).encode() if js else urllib.parse.urlencode(data).encode()
    req = urllib.request.Request(base + path, body, {"Content-Type": "application/json" if js else "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req) as r: return r.status, r.read()
    except urllib.error.HTTPError as e: return e.code, e.read()
_, app = post("/api/v1/apps", {"client_name": "m", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"}, js=True)
cid = json.loads(app)["client_id"]
def login(name, pw="wrong password"):
    return post("/oauth/authorize", {"response_type": "code", "client_id": cid, "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "scope": "read", "login": name, "password": pw, "decision": "approve"})[0]
def hwm():
    print("   VmHWM %d MB, VmRSS %d MB" % server.memory())
# Timing first (a warm-up call makes the dummy hash).
login("nobody"); login("alice")
def timed(name, n=15):
    ts = []
    for _ in range(n):
        t = time.perf_counter(); login(name); ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts)
print("wrong password, median ms: existing name %.1f, unknown name %.1f, existing e-mail %.1f, unknown e-mail %.1f" % (
    timed("alice"), timed("nobody"), timed("alice@example.com"), timed("nobody@example.com")))
print("before the burst:"); hwm()
with concurrent.futures.ThreadPoolExecutor(100) as ex:
    statuses = list(ex.map(lambda i: login("alice" if i % 2 else f"user{i}"), range(100)))
print("statuses:", {s: statuses.count(s) for s in set(statuses)})
print("after 100 concurrent wrong logins:"); hwm()
server.stop()
