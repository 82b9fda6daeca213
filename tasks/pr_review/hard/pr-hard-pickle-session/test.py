"""Checks for pr-hard-pickle-session. Usage: python3 test.py <candidate.py>

Insecure deserialization is observed harmlessly: the malicious cookie is a pickle
whose __reduce__ calls record(), which only appends to a list.
"""
import base64
import importlib.util
import os
import pickle
import sys

CALLS = []


def record(tag):
    CALLS.append(tag)
    return {"user_id": 1, "roles": ["admin"]}


class Payload:
    def __reduce__(self):
        return (record, ("payload executed during load_session",))


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_sessions", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def safe_load(mod, cookie):
    try:
        return mod.load_session(cookie)
    except Exception as exc:  # an exception is an acceptable way to refuse
        return exc


def main():
    os.environ["SESSION_SECRET"] = "test-only-session-secret-5d1c"
    mod = load(sys.argv[1])
    session = {"user_id": 7, "name": "Dana", "roles": ["editor"]}
    cookie = mod.save_session(session)
    assert isinstance(cookie, str) and cookie, f"cookie {cookie!r}"
    assert mod.load_session(cookie) == session, "a saved session does not round-trip"
    assert mod.load_session("") is None, "an empty cookie must give no session"

    evil = base64.urlsafe_b64encode(pickle.dumps(Payload())).decode("ascii")
    got = safe_load(mod, evil)
    assert not CALLS, f"the cookie was unpickled: {CALLS[0]}"
    assert not isinstance(got, dict), f"an attacker-made cookie was accepted: {got!r}"

    tampered = ("A" if cookie[0] != "A" else "B") + cookie[1:]
    got = safe_load(mod, tampered)
    assert not isinstance(got, dict), f"a tampered cookie was accepted: {got!r}"
    assert safe_load(mod, "not-a-session") is None, "garbage cookie must give no session"
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
