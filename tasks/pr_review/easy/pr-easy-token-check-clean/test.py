"""Checks for pr-easy-token-check-clean. Usage: python3 test.py <candidate.py>

The environment variable is set and cleared by the test itself; constant-time
comparison is observed by wrapping hmac.compare_digest (and secrets.compare_digest)
in a recorder that still does the real comparison.
"""
import hmac
import importlib.util
import os
import secrets
import sys

ENV = "METRICS_API_TOKEN"
OLD_LITERAL = "mtr-4b1f9e07c2d84a6b"
TOKEN = "test-token-9d2c61aa"


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_auth", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    calls = []
    real = hmac.compare_digest

    def recorder(a, b):
        calls.append((a, b))
        return real(a, b)

    hmac.compare_digest = recorder
    secrets.compare_digest = recorder
    os.environ.pop(ENV, None)
    mod = load(sys.argv[1])
    for name in dir(mod):
        value = getattr(mod, name)
        assert not (isinstance(value, str) and OLD_LITERAL in value), f"token literal still in {name}"
    assert not mod.check_token(OLD_LITERAL), "the old hard-coded token must not be accepted"
    assert not mod.check_token(""), "with no token configured an empty token must be refused"
    assert not mod.check_token(None), "with no token configured nothing may be accepted"
    os.environ[ENV] = ""
    assert not mod.check_token(""), "an empty configured token must not accept an empty token"
    os.environ[ENV] = TOKEN
    calls.clear()
    assert mod.check_token(TOKEN), "the configured token must be accepted"
    assert calls, "the token comparison must use hmac.compare_digest"
    for wrong in ("", None, TOKEN[:-1], TOKEN + "x", TOKEN.upper(), OLD_LITERAL, "tést-token-9d2c61aa"):
        assert not mod.check_token(wrong), f"check_token({wrong!r}) must be False"
    assert mod.is_authorized({"Authorization": f"Bearer {TOKEN}"}), "a valid bearer header is refused"
    assert mod.is_authorized({"Authorization": f"bearer  {TOKEN} "}), "scheme is case-insensitive"
    for headers in ({}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": "Bearer "}, {"Authorization": "Bearer wrong"}):
        assert not mod.is_authorized(headers), f"is_authorized({headers!r}) must be False"
    os.environ[ENV] = "rotated-token-55e0"
    assert not mod.check_token(TOKEN), "the token must be read at call time, not import time"
    assert mod.check_token("rotated-token-55e0"), "a rotated token must be accepted"
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
