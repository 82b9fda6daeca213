"""Checks for cr-hard-password-reset. Usage: python3 test.py <candidate.py>"""
import hashlib
import hmac
import importlib.util
import os
import random
import secrets
import sys

ISSUES = ["md5-password-hash", "predictable-reset-token", "timing-token-compare", "reset-token-never-expires"]
KDF_CALLS = []
COMPARE_CALLS = []

_real_pbkdf2 = hashlib.pbkdf2_hmac
_real_scrypt = hashlib.scrypt
_real_compare = hmac.compare_digest


def _pbkdf2(hash_name, password, salt, iterations, dklen=None):
    KDF_CALLS.append(("pbkdf2_hmac", iterations))
    return _real_pbkdf2(hash_name, password, salt, iterations, dklen)


def _scrypt(password, *, salt, n, r, p, maxmem=0, dklen=64):
    KDF_CALLS.append(("scrypt", n))
    return _real_scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen)


def _compare(a, b):
    COMPARE_CALLS.append((a, b))
    return _real_compare(a, b)


def load(path):
    # Recorders are installed before the candidate is imported so that
    # "from hmac import compare_digest" style imports see them too.
    hashlib.pbkdf2_hmac = _pbkdf2
    hashlib.scrypt = _scrypt
    hmac.compare_digest = _compare
    secrets.compare_digest = _compare
    spec = importlib.util.spec_from_file_location("candidate_password_reset", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check_hash(mod):
    store = mod.AccountStore()
    del KDF_CALLS[:]
    store.set_password("alice", "correct horse")
    stored = store.password_hashes["alice"]
    assert store.check_password("alice", "correct horse"), "correct password rejected"
    assert not store.check_password("alice", "wrong horse"), "wrong password accepted"
    salt = stored.split("$", 1)[0]
    for algo in ("md5", "sha1", "sha256", "sha512"):
        for data in (salt + "correct horse", "correct horse" + salt, "correct horse"):
            fast = hashlib.new(algo, data.encode()).hexdigest()
            assert fast not in stored, f"password stored as a single fast {algo} digest"
    slow = [c for c in KDF_CALLS if (c[0] == "pbkdf2_hmac" and c[1] >= 100_000) or (c[0] == "scrypt" and c[1] >= 2 ** 14)]
    assert slow, "no slow, salted key-derivation function (pbkdf2_hmac >= 100k iterations or scrypt) used"


def check_random(mod):
    tokens = []
    for _ in range(2):
        store = mod.AccountStore()
        store.password_hashes["bob"] = "x$y"
        random.seed(1337)
        tokens.append(store.start_reset("bob", now=1000.0))
    assert tokens[0] and len(tokens[0]) >= 20, f"token too short: {tokens[0]!r}"
    assert tokens[0] != tokens[1], "reset token is reproducible from the random module's seed"


def check_timing(mod):
    store = mod.AccountStore()
    store.password_hashes["carol"] = "x$y"
    token = store.start_reset("carol", now=1000.0)
    store.set_password = lambda user, pw: None
    del COMPARE_CALLS[:]
    assert not store.finish_reset("carol", "A" * len(token), "pw", now=1001.0), "wrong token accepted"
    assert COMPARE_CALLS and any(token in (a, b) for a, b in COMPARE_CALLS), \
        "reset token not compared with a constant-time comparison (hmac.compare_digest)"
    assert store.finish_reset("carol", token, "pw", now=1002.0), "correct token rejected"


def check_expiry(mod):
    store = mod.AccountStore()
    store.password_hashes["dave"] = "x$y"
    store.set_password = lambda user, pw: None
    ttl = mod.RESET_TTL_SECONDS
    token = store.start_reset("dave", now=10_000.0)
    assert store.finish_reset("dave", token, "pw", now=10_000.0 + ttl - 5), "fresh token rejected"
    token = store.start_reset("dave", now=10_000.0)
    assert not store.finish_reset("dave", token, "pw", now=10_000.0 + ttl + 60), \
        "token accepted after RESET_TTL_SECONDS"
    assert not store.finish_reset("dave", token, "pw", now=10_000.0 + 10 * ttl), \
        "token accepted long after it expired"


def main():
    path = os.path.abspath(sys.argv[1])
    try:
        mod = load(path)
    except Exception as exc:
        for iid in ISSUES:
            print(f"FAIL {iid}: candidate does not import: {exc!r}")
        return 1
    checks = [("md5-password-hash", check_hash), ("predictable-reset-token", check_random),
              ("timing-token-compare", check_timing), ("reset-token-never-expires", check_expiry)]
    failed = 0
    for iid, fn in checks:
        try:
            fn(mod)
            print(f"ok {iid}")
        except Exception as exc:
            failed += 1
            print(f"FAIL {iid}: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
