"""Receiver for the payment provider's webhooks."""
import json

HANDLERS = {}


def on(event_type):
    """Register the decorated function as the handler for `event_type`."""
    def register(fn):
        HANDLERS[event_type] = fn
        return fn
    return register


def handle_webhook(body, headers):
    """Dispatch one webhook delivery; returns (status, message)."""
    event = json.loads(body)
    handler = HANDLERS.get(event.get("type"))
    if handler is None:
        return 202, "ignored"
    handler(event)
    return 200, "ok"
