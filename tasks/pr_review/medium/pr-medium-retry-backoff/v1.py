"""Retry helper for calls to the payment gateway."""
import logging
import time

log = logging.getLogger(__name__)


def retry(fn, attempts=3, base_delay=0.5, sleep=time.sleep):
    """Call fn() up to `attempts` times with exponential backoff.

    Waits base_delay, 2 * base_delay, 4 * base_delay, ... between attempts and
    returns fn()'s result as soon as an attempt succeeds.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(attempts):
        try:
            return fn()
        except Exception as exc:
            log.warning("gateway call failed (attempt %d/%d): %s", attempt + 1, attempts, exc)
            if attempt + 1 < attempts:
                sleep(base_delay * 2 ** attempt)
    return None
