import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.parse
import urllib.request

DEFAULT_HEADERS = {"User-Agent": "hook-relay/1.4", "Content-Type": "application/json"}
BLOCKED_HOSTS = {"localhost", "metadata.google.internal"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def is_allowed_target(url):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname.lower()
    if host in BLOCKED_HOSTS:
        return False
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return False
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in infos)


def deliver(url, payload, extra_headers=None):
    if not is_allowed_target(url):
        raise PermissionError(f"refusing to deliver to {url}")
    headers = dict(DEFAULT_HEADERS)
    if extra_headers:
        headers.update(extra_headers)
    data = json.dumps(payload).encode("utf-8")
    req = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with _opener.open(req, timeout=5) as resp:
        return resp.status


def verify_signature(secret, body, signature):
    expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def handle_event(secret, headers, body, subscriptions):
    signature = headers.get("X-Signature-256")
    if not signature or not verify_signature(secret, body, signature):
        return 401, "bad signature"
    event = json.loads(body)
    delivered = 0
    for sub in subscriptions.get(event.get("type"), []):
        deliver(sub["url"], event, sub.get("headers"))
        delivered += 1
    return 202, f"relayed to {delivered} subscribers"
