import io
import xml.sax
from decimal import Decimal
from xml.sax.handler import feature_external_ges

APPROVER_ROLES = ("manager", "finance")


class InvoiceHandler(xml.sax.ContentHandler):
    lines = []

    def __init__(self):
        super().__init__()
        self.fields = {}
        self._text = []

    def startElement(self, name, attrs):
        self._text = []
        if name == "line":
            self.lines.append({"sku": attrs["sku"], "qty": int(attrs["qty"]),
                               "price": Decimal(attrs["price"])})

    def characters(self, content):
        self._text.append(content)

    def endElement(self, name):
        if name in ("number", "customer", "note"):
            self.fields[name] = "".join(self._text).strip()


def parse_invoice(xml_bytes):
    handler = InvoiceHandler()
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.setContentHandler(handler)
    parser.parse(io.BytesIO(xml_bytes))
    total = sum(line["qty"] * line["price"] for line in handler.lines)
    return dict(handler.fields, lines=handler.lines, total=total)


def approve(invoice, user):
    if user.get("role") not in APPROVER_ROLES and user["id"] == invoice["submitted_by"]:
        raise PermissionError("not allowed to approve this invoice")
    invoice["status"] = "approved"
    invoice["approved_by"] = user["id"]
    return invoice
