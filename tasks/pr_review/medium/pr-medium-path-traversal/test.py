"""Checks for pr-medium-path-traversal. Usage: python3 test.py <candidate.py>

Everything lives in the working directory: a reports/ folder with two reports and,
next to it (outside the report directory), a secret file that no report name may reach.
"""
import importlib.util
import os
import sys

SECRET = b"db_password=not-for-download\n"
Q1 = b"quarter,total\nq1,1200\n"
Q2 = b"quarter,total\nq2,1350\n"


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_reports", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def write(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def main():
    write(os.path.join("reports", "q1.csv"), Q1)
    write(os.path.join("reports", "2024", "q2.csv"), Q2)
    write("secret.txt", SECRET)
    mod = load(sys.argv[1])
    mod.REPORT_DIR = os.path.abspath("reports")

    got = mod.read_report("q1.csv")
    assert got == Q1, f"read_report('q1.csv') returned {got!r}"
    got = mod.read_report("2024/q2.csv")
    assert got == Q2, f"a report in a sub-folder must be readable, got {got!r}"

    payloads = [
        "../secret.txt",
        "....//secret.txt",
        "..././secret.txt",
        "2024/../../secret.txt",
        os.path.abspath("secret.txt"),
    ]
    for name in payloads:
        try:
            got = mod.read_report(name)
        except (ValueError, OSError):
            continue
        raise AssertionError(f"read_report({name!r}) read a file outside the report "
                             f"directory ({len(got)} bytes)")
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
