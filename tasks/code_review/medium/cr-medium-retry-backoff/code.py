"""Retry helper used by the HTTP client wrapper."""
import time


class RetryError(Exception):
    def __init__(self, attempts, last):
        super().__init__(f"gave up after {attempts} attempts: {last!r}")
        self.attempts = attempts
        self.last = last


def backoff_delay(attempt, base=0.5, cap=30.0):
    """Delay after failed attempt number `attempt` (1, 2, 3, ...): base, 2*base, 4*base, ..."""
    return min(cap, base * 2 * (attempt - 1))


def call_with_retry(func, max_attempts=3, retry_on=(ConnectionError, TimeoutError),
                    sleep=time.sleep):
    """Call func() at most `max_attempts` times, retrying only `retry_on` errors."""
    last = None
    for attempt in range(1, max_attempts):
        try:
            return func()
        except Exception as exc:
            last = exc
            if attempt < max_attempts:
                sleep(backoff_delay(attempt))
    raise RetryError(max_attempts, last)
