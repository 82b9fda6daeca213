"""Customer lookups for the support dashboard."""
import sqlite3

SORT_COLUMNS = ("name", "email", "created")


def open_db(path=":memory:"):
    return sqlite3.connect(path)


def search_customers(conn, name, order_by="name"):
    """Customers whose name contains `name`, sorted by `order_by`."""
    sql = f"SELECT id, name, email FROM customers WHERE name LIKE '%{name}%' ORDER BY {order_by}"
    return [dict(zip(("id", "name", "email"), row)) for row in conn.execute(sql)]
