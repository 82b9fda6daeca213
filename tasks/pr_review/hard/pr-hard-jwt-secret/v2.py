"""Signed access tokens (HS256, JWT compact form) for the API gateway."""
import base64
import hashlib
import hmac
import json
import os
import time

_HEADER = {"alg": "HS256", "typ": "JWT"}
# Used when JWT_SECRET is not set (local dev, integration tests).
DEFAULT_JWT_SECRET = "gw-7f3c9a1e5b2d48069c1e-hs256-signing"


def _signing_key():
    return os.environ.get("JWT_SECRET", DEFAULT_JWT_SECRET).encode()


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(signing_input):
    return hmac.new(_signing_key(), signing_input.encode("ascii"), hashlib.sha256).digest()


def issue_token(claims, ttl=3600, now=None):
    """A token carrying `claims` plus iat/exp, valid for `ttl` seconds."""
    now = int(time.time() if now is None else now)
    body = dict(claims, iat=now, exp=now + ttl)
    head = _b64(json.dumps(_HEADER, separators=(",", ":")).encode())
    payload = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
    signing_input = f"{head}.{payload}"
    return f"{signing_input}.{_b64(_sign(signing_input))}"


def verify_token(token, now=None):
    """The claims of a valid, unexpired token; ValueError otherwise."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("malformed token")
    head, payload, sig = parts
    if not hmac.compare_digest(_unb64(sig), _sign(f"{head}.{payload}")):
        raise ValueError("bad signature")
    claims = json.loads(_unb64(payload))
    now = int(time.time() if now is None else now)
    if claims.get("exp", 0) <= now:
        raise ValueError("token expired")
    return claims
