"""Checks for cr-hard-invoice-import. Usage: python3 test.py <candidate.py>

The external entity only points at a file created in the current (temporary)
directory; nothing is fetched from the network.
"""
import importlib.util
import os
import pathlib
import sys
from decimal import Decimal

ISSUES = ["xxe-external-entities", "shared-lines-class-attribute", "approval-check-and"]

INVOICE_A = b"""<?xml version="1.0"?>
<invoice><number>A-1</number><customer>Ada Ltd</customer>
<line sku="P1" qty="2" price="10.50"/><line sku="P2" qty="1" price="4.00"/></invoice>"""
INVOICE_B = b"""<?xml version="1.0"?>
<invoice><number>B-7</number><customer>Bo GmbH</customer>
<line sku="P9" qty="3" price="1.25"/></invoice>"""


def load(path):
    import urllib.request

    def no_network(url, *a, **k):
        target = getattr(url, "full_url", url)
        if not str(target).startswith("file:"):
            raise AssertionError(f"parser tried to fetch {target}")
        return real_urlopen(url, *a, **k)

    real_urlopen = urllib.request.urlopen
    urllib.request.urlopen = no_network
    spec = importlib.util.spec_from_file_location("candidate_invoice_import", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check_xxe(mod):
    secret = pathlib.Path("server-secret.txt").absolute()
    secret.write_text("TOP-SECRET-DB-PASSWORD")
    doc = ("<?xml version=\"1.0\"?>\n"
           f"<!DOCTYPE invoice [<!ENTITY leak SYSTEM \"{secret.as_uri()}\">]>\n"
           "<invoice><number>X-1</number><customer>Eve</customer><note>&leak;</note>"
           "<line sku=\"P1\" qty=\"1\" price=\"1.00\"/></invoice>").encode()
    try:
        result = mod.parse_invoice(doc)
    except Exception:
        return
    assert "TOP-SECRET" not in repr(result), "external entity resolved: a local file ended up in the invoice"


def check_lines(mod):
    a = mod.parse_invoice(INVOICE_A)
    b = mod.parse_invoice(INVOICE_B)
    assert [l["sku"] for l in a["lines"]] == ["P1", "P2"], f"first invoice lines wrong: {a['lines']}"
    assert [l["sku"] for l in b["lines"]] == ["P9"], f"second invoice contains lines of the first: {[l['sku'] for l in b['lines']]}"
    assert b["total"] == Decimal("3.75"), f"second invoice total is {b['total']}"
    assert b["number"] == "B-7" and b["customer"] == "Bo GmbH", "header fields wrong"


def check_approval(mod):
    def invoice():
        return {"number": "A-1", "submitted_by": 1, "status": "submitted"}

    clerk_other = {"id": 2, "role": "clerk"}
    manager_self = {"id": 1, "role": "manager"}
    manager_other = {"id": 3, "role": "manager"}
    for user, why in ((clerk_other, "a clerk approved someone else's invoice"),
                      (manager_self, "a manager approved their own invoice")):
        try:
            inv = mod.approve(invoice(), user)
        except PermissionError:
            continue
        raise AssertionError(f"{why} (status {inv.get('status')!r})")
    inv = mod.approve(invoice(), manager_other)
    assert inv["status"] == "approved" and inv["approved_by"] == 3, "legitimate approval failed"


def main():
    path = os.path.abspath(sys.argv[1])
    try:
        mod = load(path)
    except Exception as exc:
        for iid in ISSUES:
            print(f"FAIL {iid}: candidate does not import: {exc!r}")
        return 1
    checks = [("xxe-external-entities", check_xxe), ("shared-lines-class-attribute", check_lines),
              ("approval-check-and", check_approval)]
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
