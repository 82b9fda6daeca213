"""Checks for pr-hard-timing-compare. Usage: python3 test.py <candidate.py>

hmac.compare_digest is replaced by a recorder that delegates to the real function,
so the test sees whether the signature comparison is the constant-time one.
"""
import hashlib
import hmac
import importlib.util
import json
import secrets
import sys

REAL_COMPARE = hmac.compare_digest
COMPARISONS = []


def recording_compare(a, b):
    COMPARISONS.append((a, b))
    return REAL_COMPARE(a, b)


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_webhooks", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def as_text(value):
    return value.decode("latin-1") if isinstance(value, (bytes, bytearray)) else str(value)


def compared(digest):
    """True if some compare_digest call had the expected signature as an argument."""
    forms = {digest.hex(), "sha256=" + digest.hex(), digest.decode("latin-1")}
    return any(as_text(x) in forms for call in COMPARISONS for x in call)


def main():
    hmac.compare_digest = recording_compare
    secrets.compare_digest = recording_compare
    mod = load(sys.argv[1])
    seen = []
    mod.on("payment.succeeded")(seen.append)
    secret = b"whsec-test-only-41c7"
    body = json.dumps({"type": "payment.succeeded", "id": "evt_1", "amount": 1250}).encode()
    digest = hmac.new(secret, body, hashlib.sha256).digest()
    good = "sha256=" + digest.hex()

    status, _ = mod.handle_webhook(body, {"X-Signature": good}, secret)
    assert status == 200 and len(seen) == 1, f"valid delivery gave {status}, handler calls {len(seen)}"
    assert compared(digest), "valid signature was not checked with hmac.compare_digest"

    COMPARISONS.clear()
    bad = "sha256=" + ("0" if good[7] != "0" else "1") + good[8:]
    status, _ = mod.handle_webhook(body, {"X-Signature": bad}, secret)
    assert status == 401 and len(seen) == 1, f"bad signature gave {status}"
    assert compared(digest), "invalid signature was not checked with hmac.compare_digest"

    other = "sha256=" + hmac.new(b"another-secret", body, hashlib.sha256).hexdigest()
    for headers in ({}, {"X-Signature": ""}, {"X-Signature": digest.hex()}, {"X-Signature": other}):
        status, _ = mod.handle_webhook(body, headers, secret)
        assert status == 401, f"headers {headers!r} gave {status}"
    assert len(seen) == 1, "a handler ran for an unsigned delivery"
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
