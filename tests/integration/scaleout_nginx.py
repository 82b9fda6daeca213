"""Run deploy/nginx.conf for a test: the same file, with its two backend addresses
replaced by the test's servers, its listen port by a free loopback port, and every
path (pid, logs, temp files) moved into a temporary prefix; nginx runs in the
foreground as one process (`daemon off; master_process off;`) as the current user."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(os.path.dirname(os.path.dirname(HERE)), "deploy", "nginx.conf")


def find_nginx():
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(text, backends, port, prefix):
    """deploy/nginx.conf for these backends and this port, with paths under prefix."""
    subs = [
        (r"(?m)^user [^;]*;\n", ""),
        (r"(?m)^pid [^;]*;", "pid %s/nginx.pid;" % prefix),
        (r"(?m)^error_log [^;]*;", "error_log %s/error.log info;" % prefix),
        (r"access_log /var/log/nginx/reviewgym-access\.log", "access_log %s/access.log" % prefix),
        (r"listen 8000;", "listen 127.0.0.1:%d;" % port),
        (r"127\.0\.0\.1:8001", "127.0.0.1:%d" % backends[0]),
        (r"127\.0\.0\.1:8002", "127.0.0.1:%d" % backends[1]),
        (r"(?m)^http \{\n", "http {\n" + "".join(
            "    %s_temp_path %s/%s;\n" % (k, prefix, k)
            for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))),
    ]
    for pattern, repl in subs:
        text, n = re.subn(pattern, repl, text)
        if n == 0:
            raise AssertionError("deploy/nginx.conf changed: %r not found" % pattern)
    return text


class Nginx:
    def __init__(self, backends):
        self.bin = find_nginx()
        self.dir = tempfile.mkdtemp(prefix="rg-nginx-")
        self.port = free_port()
        with open(CONF) as f:
            conf = render(f.read(), backends, self.port, self.dir)
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        args = [self.bin, "-p", self.dir, "-c", self.conf, "-e", os.path.join(self.dir, "error.log"),
                "-g", "daemon off; master_process off;"]
        check = subprocess.run(args[:-2] + ["-t"], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError("nginx -t failed:\n" + check.stderr)
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.02)
        raise RuntimeError("nginx did not start:\n" + self.logs())

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def logs(self):
        path = os.path.join(self.dir, "error.log")
        return open(path, errors="replace").read() if os.path.exists(path) else ""

    def access_log(self):
        path = os.path.join(self.dir, "access.log")
        return open(path, errors="replace").read() if os.path.exists(path) else ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
