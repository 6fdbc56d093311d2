#!/usr/bin/env python3
"""Peak memory under concurrent uploads: N clients each send a 40 MiB document
to /api/v2/media at once. Usage: scripts/measure/uploads.py BINARY PORT [N]
[extra env k=v ...]; PASSERELLE__LIMITS__UPLOAD_MEMORY_BYTES=100000000000 lifts
the upload budget, to compare."""
import concurrent.futures, os, sys, time, urllib.request, urllib.error
sys.path.insert(0, os.path.dirname(__file__))
from server import Server

binary, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 24
server = Server(binary, port, dict(a.split("=", 1) for a in sys.argv[4:]))
token = server.token()
size = 40 * 1024 * 1024 - 4096
boundary = "measure"
body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        f'Content-Type: application/pdf\r\n\r\n').encode() + b"%PDF" + b"7" * (size - 4) \
       + f"\r\n--{boundary}--\r\n".encode()

def upload(_):
    r = urllib.request.Request(server.base + "/api/v2/media", body, {
        "Authorization": "Bearer " + token,
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(r, timeout=300) as x:
            return x.status
    except urllib.error.HTTPError as e:
        return e.code
    except urllib.error.URLError:
        # Refused (503) before the body was read: the client could not finish sending it.
        return "closed early"

print("before: VmHWM %d MB, VmRSS %d MB" % server.memory())
t = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(n) as ex:
    statuses = list(ex.map(upload, range(n)))
print(f"{n} concurrent 40 MiB uploads in {time.perf_counter() - t:.1f} s:",
      {s: statuses.count(s) for s in set(statuses)})
print("after: VmHWM %d MB, VmRSS %d MB" % server.memory())
server.stop()
