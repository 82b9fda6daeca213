"""Load key=value settings files for the worker processes.

load_settings() returns `defaults` overridden by the file's entries; blank lines
and lines starting with '#' are ignored. Values are kept as strings and converted
on access by the typed getters.
"""


class ConfigError(Exception):
    pass


def load_settings(path, defaults={}):
    settings = defaults
    fh = open(path, encoding="utf-8")
    for raw in fh:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}: malformed line {raw!r}")
        settings[key.strip()] = value.strip()
    return settings


def get_int(settings, key, default):
    """Integer value of `key`, `default` if absent; ConfigError if not an integer."""
    if key not in settings:
        return default
    try:
        return int(settings[key])
    except Exception:
        return default


def get_bool(settings, key, default=False):
    if key not in settings:
        return default
    return settings[key].lower() in ("1", "true", "yes", "on")
