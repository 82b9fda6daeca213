"""Checks for pr-medium-sqli-negotiation. Usage: python3 test.py <candidate.py>

The database is in memory. Injection is observed harmlessly: an authorizer records
any read of the `secrets` table, which no honest search touches.
"""
import importlib.util
import sqlite3
import sys


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_customers", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def make_db(mod):
    conn = mod.open_db()
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, email TEXT, created TEXT)")
    conn.execute("CREATE TABLE secrets (token TEXT)")
    conn.execute("INSERT INTO secrets VALUES ('s3cr3t')")
    conn.executemany("INSERT INTO customers (name, email, created) VALUES (?, ?, ?)",
                     [("Alice", "alice@example.test", "2024-01-02"),
                      ("Bob", "bob@example.test", "2024-01-01"),
                      ("Sean O'Brien", "sean@example.test", "2024-01-03")])
    reads = []

    def authorizer(action, arg1, arg2, db, trigger):
        if action == sqlite3.SQLITE_READ and arg1 == "secrets":
            reads.append(arg2)
        return sqlite3.SQLITE_OK

    conn.set_authorizer(authorizer)
    return conn, reads


def main():
    mod = load(sys.argv[1])
    conn, reads = make_db(mod)
    names = [r["name"] for r in mod.search_customers(conn, "li")]
    assert names == ["Alice"], f"search 'li' returned {names!r}"
    names = [r["name"] for r in mod.search_customers(conn, "O'Brien")]
    assert names == ["Sean O'Brien"], f"a quote in the name must be searchable, got {names!r}"
    by_created = [r["name"] for r in mod.search_customers(conn, "", order_by="created")]
    assert by_created == ["Bob", "Alice", "Sean O'Brien"], f"order_by=created gave {by_created!r}"
    try:
        got = mod.search_customers(conn, "zz' OR '1'='1")
    except sqlite3.Error as exc:
        raise AssertionError(f"a quote in the name breaks the query: {exc}")
    assert got == [], f"name injection returned {len(got)} rows"
    try:
        mod.search_customers(conn, "", order_by="(SELECT token FROM secrets)")
    except (ValueError, sqlite3.Error):
        pass
    assert not reads, "order_by injection read the secrets table"
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
