"""Checks for cr-hard-doc-share. Usage: python3 test.py <candidate.py>

Uses an in-memory SQLite database; the injected SQL only calls a recorder function.
"""
import importlib.util
import os
import sys
from urllib.parse import urlsplit

ISSUES = ["order-by-injection", "idor-get-document", "open-redirect-next"]
ALICE, BOB = 1, 2


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_doc_share", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def fresh_db(mod):
    conn = mod.connect()
    conn.executemany(
        "INSERT INTO documents (id, owner_id, title, body, created_at, size) VALUES (?, ?, ?, ?, ?, ?)",
        [(10, ALICE, "beta plan", "alice secret plan", "2024-01-02", 30),
         (11, ALICE, "alpha notes", "alice notes", "2024-01-01", 20),
         (20, BOB, "bob diary", "bob private", "2024-01-03", 10)])
    return conn


def check_order_by(mod):
    conn = fresh_db(mod)
    hits = []
    conn.create_function("rg_probe", 0, lambda: hits.append(1) or 0)
    for payload in ("rg_probe()", "(SELECT rg_probe())", "title, rg_probe()"):
        try:
            mod.list_documents(conn, ALICE, sort=payload)
        except Exception:
            pass
    assert not hits, "the sort parameter is spliced into the SQL and executed"
    got = [d["title"] for d in mod.list_documents(conn, ALICE, sort="title")]
    assert got == ["alpha notes", "beta plan"], f"sorting by title broken: {got}"
    got = [d["id"] for d in mod.list_documents(conn, ALICE, sort="size", descending=True)]
    assert got == [10, 11], f"descending sort by size broken: {got}"


def check_idor(mod):
    conn = fresh_db(mod)
    own = mod.get_document(conn, ALICE, 10)
    assert own and own["body"] == "alice secret plan", "owner cannot read her own document"
    try:
        other = mod.get_document(conn, BOB, 10)
    except Exception:
        other = None
    assert not other, "user 2 can read user 1's document just by knowing its id"


def offsite(url):
    cleaned = "".join(ch for ch in url if ch not in "\t\r\n").replace("\\", "/").strip()
    parts = urlsplit(cleaned)
    return bool(parts.scheme or parts.netloc or cleaned.startswith("//"))


def check_redirect(mod):
    assert mod.safe_next_url("/documents/10?tab=history") == "/documents/10?tab=history", \
        "local path no longer accepted"
    assert mod.safe_next_url(None) == "/documents", "missing next should use the default"
    for evil in ("https://evil.example/login", "//evil.example/login", "/\\evil.example/login",
                 "/\t/evil.example/login"):
        got = mod.safe_next_url(evil)
        assert not offsite(got), f"next={evil!r} redirects off-site to {got!r}"
    resp = mod.after_login(ALICE, {"next": "//evil.example/"})
    assert not offsite(resp["location"]), "after_login redirects to another host"


def main():
    path = os.path.abspath(sys.argv[1])
    try:
        mod = load(path)
    except Exception as exc:
        for iid in ISSUES:
            print(f"FAIL {iid}: candidate does not import: {exc!r}")
        return 1
    checks = [("order-by-injection", check_order_by), ("idor-get-document", check_idor),
              ("open-redirect-next", check_redirect)]
    failed = 0
    for iid, fn in checks:
        try:
            fn(mod)
            print(f"ok {iid}")
        except Exception as exc:
            failed += 1
            print(f"FAIL {iid}: {exc}" if isinstance(exc, AssertionError) else f"FAIL {iid}: {exc!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
