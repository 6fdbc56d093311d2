"""Shared by the measurement scripts: a release binary started on a fresh SQLite
database in a temporary folder, with user alice; `extra_env` overrides settings
(`PASSERELLE__LIMITS__LOGIN_FAILURES=0`), `extra_server` adds [server] keys."""
import os, subprocess, sys, tempfile, time, urllib.request


class Server:
    def __init__(self, binary, port, extra_env=None, extra_server=""):
        self.binary, self.dir = binary, tempfile.mkdtemp()
        self.cfg = os.path.join(self.dir, "config.toml")
        with open(self.cfg, "w") as f:
            f.write(f'''[instance]
domain = "localhost:{port}"
[server]
bind = "127.0.0.1:{port}"
{extra_server}
[database]
url = "sqlite://{self.dir}/p.db"
[media]
path = "{self.dir}/media"
[limits]
api_per_minute = 0
[log]
level = "warn"
''')
        self.env = dict(os.environ, PASSERELLE_CONFIG=self.cfg, **(extra_env or {}))
        self.cli("migrate")
        r = self.cli("admin", "create-user", "alice", "--email", "alice@example.com",
                     stdin="correct horse battery\n")
        if r.returncode:
            sys.exit(r.stderr)
        self.proc = subprocess.Popen([binary, "--config", self.cfg, "serve"], env=self.env,
                                     cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://localhost:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/healthz")
                break
            except Exception:
                time.sleep(0.2)

    def cli(self, *args, stdin=None):
        return subprocess.run([self.binary, "--config", self.cfg, *args], input=stdin,
                              capture_output=True, text=True, env=self.env, cwd=self.dir)

    def token(self, scopes="read write"):
        return self.cli("admin", "create-token", "alice", "--scopes", scopes).stdout.strip()

    def memory(self):
        """VmHWM (peak) and VmRSS, in MB."""
        kb = {}
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith(("VmHWM", "VmRSS")):
                key, value = line.split(":")
                kb[key] = int(value.split()[0])
        return kb["VmHWM"] // 1024, kb["VmRSS"] // 1024

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
