"""Customer record clean-up and basket pricing."""

LOYALTY_DISCOUNT = 0.10
FREE_SHIPPING_THRESHOLD = 50.0
SHIPPING_FEE = 4.99


def normalise_email(email):
    return email.strip().lower()


def find_duplicates(records):
    """Return the set of normalised emails that occur more than once."""
    duplicates = set()
    seen = set()
    for record in records:
        email = normalise_email(record["email"])
        if email in seen:
            duplicates.add(email)
        seen.add(email)
    return duplicates


def merge_customers(records):
    """Collapse records sharing an email into one customer, keeping all orders."""
    merged = {}
    for record in records:
        key = normalise_email(record["email"])
        if key in merged:
            merged[key]["orders"].extend(record["orders"])
            continue
        merged[key] = {
            "email": key,
            "name": record["name"],
            "loyal": record.get("loyal", False),
            "orders": list(record["orders"]),
        }
    return list(merged.values())


def order_total(customer, items):
    """Sum price * qty, apply the loyalty discount, add shipping below the threshold."""
    subtotal = sum(item["price"] * item["qty"] for item in items)
    if customer.get("loyal"):
        subtotal -= subtotal * LOYALTY_DISCOUNT
    if subtotal >= FREE_SHIPPING_THRESHOLD:
        return round(subtotal, 2)
    return round(subtotal + SHIPPING_FEE, 2)
