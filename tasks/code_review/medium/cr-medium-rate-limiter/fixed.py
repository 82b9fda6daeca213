"""Token-bucket rate limiter shared by the request-handling threads."""
import threading
import time


class RateLimiter:
    """Allow `per_minute` requests per minute on average, bursts up to `burst`."""

    def __init__(self, per_minute, burst, clock=time.monotonic):
        self.rate = per_minute / 60
        self.capacity = burst
        self.tokens = float(burst)
        self._clock = clock
        self._last = clock()
        self._lock = threading.Lock()

    def _refill(self):
        now = self._clock()
        elapsed = now - self._last
        self._last = now
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)

    def _try_take(self):
        self._refill()
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def allow(self):
        """Called concurrently from many worker threads."""
        with self._lock:
            return self._try_take()

    def wait_time(self):
        """Seconds until the next request would be allowed."""
        with self._lock:
            self._refill()
            if self.tokens >= 1:
                return 0.0
            return (1 - self.tokens) / self.rate
