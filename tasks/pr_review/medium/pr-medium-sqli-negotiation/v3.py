"""Customer lookups for the support dashboard."""
import sqlite3

SORT_COLUMNS = ("name", "email", "created")


def open_db(path=":memory:"):
    return sqlite3.connect(path)


def search_customers(conn, name, order_by="name"):
    """Customers whose name contains `name`, sorted by `order_by`."""
    if order_by not in SORT_COLUMNS:
        raise ValueError(f"cannot sort by {order_by!r}")
    pattern = f"%{name}%"
    # Column names cannot be bound parameters: order_by is checked against an allow-list.
    sql = f"SELECT id, name, email FROM customers WHERE name LIKE ? ORDER BY {order_by}"
    return [dict(zip(("id", "name", "email"), row)) for row in conn.execute(sql, (pattern,))]
