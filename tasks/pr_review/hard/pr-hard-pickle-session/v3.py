"""Session storage for the web app.

Sessions travel in the cookie itself, so any worker can serve any request
without a shared session table (no more sticky sessions on the balancer).
The cookie is base64(JSON) plus an HMAC-SHA256 tag keyed by SESSION_SECRET.
"""
import base64
import hashlib
import hmac
import json
import os


def _tag(payload):
    secret = os.environ.get("SESSION_SECRET")
    if not secret:
        raise RuntimeError("SESSION_SECRET is not set")
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def save_session(data):
    """Serialise and sign `data` into the value to put in the session cookie."""
    payload = base64.urlsafe_b64encode(json.dumps(dict(data), sort_keys=True).encode())
    return f"{payload.decode('ascii')}.{_tag(payload)}"


def load_session(cookie):
    """The session for a cookie value, or None if there is none or it is not ours."""
    if not cookie:
        return None
    payload, _, tag = cookie.rpartition(".")
    try:
        raw = payload.encode("ascii")
        if not hmac.compare_digest(tag.encode("ascii"), _tag(raw).encode("ascii")):
            return None
        session = json.loads(base64.urlsafe_b64decode(raw))
    except ValueError:
        return None
    return session if isinstance(session, dict) else None
