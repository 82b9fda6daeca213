"""Checks for pr-hard-jwt-secret. Usage: python3 test.py <candidate.py>

The signing key must come from the JWT_SECRET environment variable only: tokens are
checked against a secret the test sets, the module must refuse to sign when the
variable is missing, and no string literal may serve as the key or as its fallback.
"""
import ast
import base64
import hashlib
import hmac
import importlib.util
import json
import os
import sys

SECRET = "test-only-secret-3b9f0c2e71d84a56-from-env"
NOW = 1_700_000_000


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def mac(key, head, payload):
    return hmac.new(key, f"{head}.{payload}".encode("ascii"), hashlib.sha256).digest()


def rejected(mod, token, now):
    try:
        mod.verify_token(token, now=now)
    except ValueError:
        return True
    return False


def check_behaviour(mod):
    token = mod.issue_token({"sub": "user-17", "scope": "read"}, ttl=60, now=NOW)
    head, payload, sig = token.split(".")
    assert json.loads(unb64(head)).get("alg") == "HS256", "header must say HS256"
    assert unb64(sig) == mac(SECRET.encode(), head, payload), "token is not signed with JWT_SECRET"
    claims = mod.verify_token(token, now=NOW + 30)
    assert claims["sub"] == "user-17" and claims["exp"] == NOW + 60, f"claims {claims!r}"
    assert rejected(mod, token, NOW + 60), "expired token accepted"
    other = f"{head}.{payload}.{b64(mac(b'some-other-key', head, payload))}"
    assert rejected(mod, other, NOW + 30), "token signed with another key accepted"
    forged_payload = b64(json.dumps({"sub": "admin", "exp": NOW + 999}).encode())
    assert rejected(mod, f"{head}.{forged_payload}.{sig}", NOW + 30), "tampered payload accepted"


def check_refuses_without_secret(path):
    del os.environ["JWT_SECRET"]
    try:
        mod = load(path, "candidate_tokens_nosecret")
        token = mod.issue_token({"sub": "user-17"}, ttl=60, now=NOW)
    except Exception:
        return
    finally:
        os.environ["JWT_SECRET"] = SECRET
    raise AssertionError(f"issued a token without JWT_SECRET: {token[:24]}...")


def check_no_literal_key(path):
    tree = ast.parse(open(path).read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            owner = getattr(f, "value", None)
            owner = getattr(owner, "attr", getattr(owner, "id", ""))
            env_lookup = name == "getenv" or (name == "get" and owner == "environ")
            default = node.args[1:2] + [k.value for k in node.keywords if k.arg == "default"]
            if env_lookup and default and not (
                    isinstance(default[0], ast.Constant) and default[0].value is None):
                raise AssertionError(f"line {node.lineno}: environment lookup with a fallback secret")
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        value = getattr(node, "value", None)
        for t in targets:
            if (isinstance(t, ast.Name) and any(w in t.id.upper() for w in ("SECRET", "KEY"))
                    and isinstance(value, ast.Constant) and isinstance(value.value, (str, bytes))
                    and value.value):
                raise AssertionError(f"line {node.lineno}: {t.id} is a hard-coded key")


def main():
    path = sys.argv[1]
    os.environ["JWT_SECRET"] = SECRET
    check_behaviour(load(path, "candidate_tokens"))
    check_refuses_without_secret(path)
    check_no_literal_key(path)
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
