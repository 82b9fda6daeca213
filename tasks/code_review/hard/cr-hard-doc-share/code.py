import sqlite3

SORTABLE = ("title", "created_at", "size")


def connect(path=":memory:"):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    conn.execute(
        "CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY, owner_id INTEGER,"
        " title TEXT, body TEXT, created_at TEXT, size INTEGER)"
    )
    return conn


def list_documents(conn, user_id, sort="created_at", descending=False):
    direction = "DESC" if descending else "ASC"
    sql = f"SELECT id, title, created_at, size FROM documents WHERE owner_id = ? ORDER BY {sort} {direction}"
    return [dict(r) for r in conn.execute(sql, (user_id,))]


def get_document(conn, user_id, doc_id):
    row = conn.execute(
        "SELECT id, owner_id, title, body FROM documents WHERE id = ?", (doc_id,)
    ).fetchone()
    if row is None:
        raise LookupError("document not found")
    return dict(row)


def rename_document(conn, user_id, doc_id, title):
    cur = conn.execute(
        "UPDATE documents SET title = ? WHERE id = ? AND owner_id = ?", (title, doc_id, user_id)
    )
    if cur.rowcount == 0:
        raise LookupError("document not found")


def safe_next_url(target, default="/documents"):
    if not target:
        return default
    if target.startswith("/"):
        return target
    return default


def after_login(user_id, params):
    return {"status": 302, "location": safe_next_url(params.get("next"))}
