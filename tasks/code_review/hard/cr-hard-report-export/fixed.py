import ast
import csv
import logging
import os
import tempfile

log = logging.getLogger("reports")
DEFAULT_COLUMNS = ("id", "customer", "status", "amount")


def parse_criteria(raw):
    if not raw:
        return {}
    criteria = ast.literal_eval(raw)
    if not isinstance(criteria, dict):
        raise ValueError("criteria must be a mapping")
    return criteria


def select_rows(rows, criteria):
    return [row for row in rows if all(row.get(k) == v for k, v in criteria.items())]


def write_csv(rows, columns=DEFAULT_COLUMNS):
    fd, path = tempfile.mkstemp(prefix="report-", suffix=".csv")
    with os.fdopen(fd, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            out = dict(row, amount=f"{row['amount'] / 100:.2f}")
            writer.writerow([out[c] for c in columns])
    return path


def summarize(rows):
    total_cents = sum(row["amount"] for row in rows)
    return {"count": len(rows), "total": f"{total_cents / 100:.2f}"}


def handle_export(params, rows):
    try:
        criteria = parse_criteria(params.get("filter", ""))
        selected = select_rows(rows, criteria)
        path = write_csv(selected)
        summary = summarize(selected)
        return {"status": 200, "file": os.path.basename(path), "summary": summary}
    except Exception:
        log.exception("export failed")
        return {"status": 500, "error": "internal error while exporting the report"}
