"""Parser for simple 'key = value' configuration files."""

DEFAULT_PORT = 8080


def parse_config(text):
    """Parse config text into a dict of str -> str.

    Blank lines and lines starting with '#' are ignored. Keys and values
    are stripped of surrounding whitespace; a value may itself contain '='.
    """
    config = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or not line.startswith("#"):
            continue
        key, value = line.split("=", 1)
        config[key.strip()] = value.strip()
    return config


def get_setting(config, name, default=None):
    """The value stored under name, or default when the key is absent."""
    return config[name]


def parse_bool(value):
    """True for 'yes', 'true', 'on' or '1' in any letter case, else False."""
    return value.strip().lower() in ("yes", "true", "on", "1")


def server_port(config):
    """The configured port as an int, DEFAULT_PORT when none is set."""
    port = config.get("port", DEFAULT_PORT)
    if port < 1 or port > 65535:
        raise ValueError(f"port out of range: {port}")
    return port
