"""Receiver for the payment provider's webhooks."""
import hashlib
import hmac
import json

HANDLERS = {}
SIGNATURE_HEADER = "X-Signature"


def on(event_type):
    """Register the decorated function as the handler for `event_type`."""
    def register(fn):
        HANDLERS[event_type] = fn
        return fn
    return register


def verify_signature(secret, body, header):
    """True if `header` is "sha256=<hex HMAC-SHA256 of body under secret>"."""
    if not header or not header.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.encode())


def handle_webhook(body, headers, secret):
    """Dispatch one signed webhook delivery; returns (status, message)."""
    if not verify_signature(secret, body, headers.get(SIGNATURE_HEADER)):
        return 401, "bad signature"
    event = json.loads(body)
    handler = HANDLERS.get(event.get("type"))
    if handler is None:
        return 202, "ignored"
    handler(event)
    return 200, "ok"
