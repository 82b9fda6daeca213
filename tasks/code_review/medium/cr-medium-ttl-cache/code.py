"""A small in-memory cache with per-entry expiry and a size bound."""
import time
from collections import OrderedDict


class TTLCache:
    """Keeps at most `capacity` entries; each entry lives for `ttl` seconds."""

    def __init__(self, capacity, ttl, clock=time.monotonic):
        self.capacity = capacity
        self.ttl = ttl
        self._clock = clock
        self._data = OrderedDict()

    def get(self, key, default=None):
        entry = self._data.get(key)
        if entry is None:
            return default
        value, expires_at = entry
        if self._clock() < expires_at:
            del self._data[key]
            return default
        self._data.move_to_end(key)
        return value

    def put(self, key, value):
        if key in self._data:
            del self._data[key]
        elif len(self._data) > self.capacity:
            self._data.popitem(last=False)
        self._data[key] = (value, self._clock() + self.ttl)

    def get_many(self, keys, found={}):
        """Return a dict with the live entries among `keys`."""
        for key in keys:
            value = self.get(key)
            if value is not None:
                found[key] = value
        return found

    def __len__(self):
        return len(self._data)
