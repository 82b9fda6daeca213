"""Checks for cr-hard-webhook-relay. Usage: python3 test.py <candidate.py>

No network: DNS is answered by a fake resolver and HTTP requests are captured by a
fake opener that never connects anywhere.
"""
import hashlib
import hmac
import importlib.util
import ipaddress
import json
import os
import socket
import sys

ISSUES = ["ssrf-unresolved-hostname", "shared-default-headers", "missing-signature-accepted"]
SECRET = b"whsec_test_only"
FAKE_DNS = {
    "hooks.example.com": "93.184.216.34",
    "tenant-b.example.net": "93.184.216.35",
    "rebind.attacker.example": "169.254.169.254",
    "internal.attacker.example": "10.0.0.7",
    "2130706433": "127.0.0.1",
    "127.1": "127.0.0.1",
}


def fake_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    host = host.decode() if isinstance(host, bytes) else host
    try:
        ip = str(ipaddress.ip_address(host))
    except ValueError:
        if host not in FAKE_DNS:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        ip = FAKE_DNS[host]
    fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
    addr = (ip, port or 0, 0, 0) if fam == socket.AF_INET6 else (ip, port or 0)
    return [(fam, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", addr)]


class FakeResponse:
    status = 200

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self, *a):
        return b""


class FakeOpener:
    def __init__(self):
        self.requests = []

    def open(self, req, *args, **kwargs):
        self.requests.append(req)
        return FakeResponse()


def no_network(*args, **kwargs):
    raise AssertionError("the candidate tried to open a real connection")


def load(path):
    socket.getaddrinfo = fake_getaddrinfo
    socket.create_connection = no_network
    spec = importlib.util.spec_from_file_location("candidate_webhook_relay", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    import urllib.request
    urllib.request.urlopen = no_network
    mod._opener = FakeOpener()
    return mod


def check_ssrf(mod):
    assert mod.is_allowed_target("https://hooks.example.com/in"), "public webhook target refused"
    for url in ("http://127.0.0.1/admin", "http://localhost:8080/", "http://rebind.attacker.example/latest/meta-data",
                "http://internal.attacker.example/", "http://2130706433/", "http://127.1/", "http://[::1]/",
                "file:///etc/passwd"):
        assert not mod.is_allowed_target(url), f"{url} is allowed although it reaches an internal address"
    mod._opener.requests.clear()
    try:
        mod.deliver("http://rebind.attacker.example/latest/meta-data", {"x": 1})
    except Exception:
        pass
    assert not mod._opener.requests, "deliver() sent a request to the cloud metadata address"


def check_headers(mod):
    before = dict(mod.DEFAULT_HEADERS)
    mod._opener.requests.clear()
    mod.deliver("https://hooks.example.com/a", {"n": 1}, {"Authorization": "Bearer tenant-a-key"})
    mod.deliver("https://tenant-b.example.net/b", {"n": 2})
    first, second = mod._opener.requests
    assert first.get_header("Authorization") == "Bearer tenant-a-key", "extra header not sent"
    assert second.get_header("Authorization") is None, "tenant A's Authorization header sent to tenant B"
    assert mod.DEFAULT_HEADERS == before, "DEFAULT_HEADERS modified by deliver()"


def check_signature(mod):
    mod._opener.requests.clear()
    body = json.dumps({"type": "order.created", "id": 5}).encode()
    subs = {"order.created": [{"url": "https://hooks.example.com/orders"}]}
    good = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    status, _ = mod.handle_event(SECRET, {"X-Signature-256": good}, body, subs)
    assert status == 202 and len(mod._opener.requests) == 1, "correctly signed event not relayed"
    mod._opener.requests.clear()
    for headers in ({}, {"X-Signature-256": ""}, {"X-Signature-256": "sha256=" + "0" * 64}):
        status, _ = mod.handle_event(SECRET, headers, body, subs)
        assert status in (400, 401, 403), f"event with headers {headers} accepted (status {status})"
    assert not mod._opener.requests, "unsigned event was relayed to subscribers"


def main():
    path = os.path.abspath(sys.argv[1])
    try:
        mod = load(path)
    except Exception as exc:
        for iid in ISSUES:
            print(f"FAIL {iid}: candidate does not import: {exc!r}")
        return 1
    checks = [("ssrf-unresolved-hostname", check_ssrf), ("shared-default-headers", check_headers),
              ("missing-signature-accepted", check_signature)]
    failed = 0
    for iid, fn in checks:
        try:
            fn(mod)
            print(f"ok {iid}")
        except Exception as exc:
            failed += 1
            print(f"FAIL {iid}: {exc}" if isinstance(exc, AssertionError) else f"FAIL {iid}: {exc!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
