"""Finance report files served by the reporting dashboard."""
import os

REPORT_DIR = "reports"


def list_reports():
    """Names of the CSV reports available for download, sorted."""
    if not os.path.isdir(REPORT_DIR):
        return []
    return sorted(name for name in os.listdir(REPORT_DIR) if name.endswith(".csv"))


def report_count():
    """How many reports the dashboard can offer."""
    return len(list_reports())


def read_report(name):
    """Bytes of report `name` for the download endpoint (GET /reports/<name>)."""
    path = os.path.join(REPORT_DIR, name)
    with open(path, "rb") as fh:
        return fh.read()
