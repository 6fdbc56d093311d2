#!/usr/bin/env python3
"""Starts a binary, makes a user and an app, then measures: VmHWM under 100
concurrent wrong-password logins, and wrong-password latency for a known vs an
unknown name. Usage: scripts/measure/logins.py BINARY PORT [extra env k=v ...]"""
import json, os, subprocess, sys, time, urllib.request, urllib.parse, concurrent.futures, tempfile, statistics
binary, port = sys.argv[1], sys.argv[2]
extra = dict(a.split("=", 1) for a in sys.argv[3:])
d = tempfile.mkdtemp()
cfg = os.path.join(d, "config.toml")
open(cfg, "w").write(f'''[instance]
domain = "localhost:{port}"
[server]
bind = "127.0.0.1:{port}"
[database]
url = "sqlite://{d}/p.db"
[media]
path = "{d}/media"
[limits]
api_per_minute = 0
[log]
level = "warn"
''')
env = dict(os.environ, PASSERELLE_CONFIG=cfg, **extra)
def cli(*args, stdin=None):
    return subprocess.run([binary, "--config", cfg, *args], input=stdin, capture_output=True, text=True, env=env, cwd=d)
r = cli("migrate"); 
r = cli("admin", "create-user", "alice", "--email", "alice@example.com", stdin="correct horse battery\n")
if r.returncode: print(r.stderr); sys.exit(1)
srv = subprocess.Popen([binary, "--config", cfg, "serve"], env=env, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://localhost:{port}"
for _ in range(100):
    try: urllib.request.urlopen(base + "/healthz"); break
    except Exception: time.sleep(0.2)
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
    for l in open(f"/proc/{srv.pid}/status"):
        if l.startswith(("VmHWM", "VmRSS")): print("  ", l.strip())
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
srv.terminate(); srv.wait()
