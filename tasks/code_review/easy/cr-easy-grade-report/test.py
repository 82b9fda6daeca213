"""Checks for cr-easy-grade-report: python3 test.py <candidate.py>. One check per issue."""
import importlib.util
import sys

sys.dont_write_bytecode = True


def load(path):
    spec = importlib.util.spec_from_file_location("candidate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_mean_fraction(mod):
    got = mod.mean_score([90, 93])
    if not isinstance(got, float) or abs(got - 91.5) > 1e-9:
        return f"mean_score([90, 93]) = {got!r}, expected 91.5"
    got = mod.mean_score([70, 71, 71])
    if abs(got - 212 / 3) > 1e-9:
        return f"mean_score([70, 71, 71]) = {got!r}, expected {212 / 3!r}"
    return None


def check_letter_order(mod):
    table = {100: "A", 90: "A", 89.9: "B", 80: "B", 79: "C", 70: "C",
             75.5: "C", 69.9: "D", 60: "D", 59: "F", 0: "F"}
    for score, want in table.items():
        got = mod.letter_grade(score)
        if got != want:
            return f"letter_grade({score}) = {got!r}, expected {want!r}"
    return None


def check_unknown_student(mod):
    roster = [{"name": "Ada", "email": "Ada@Example.ORG", "scores": [90]}]
    got = mod.contact_email(roster, "Ada")
    if got != "ada@example.org":
        return f"contact_email for a known student = {got!r}"
    got = mod.contact_email(roster, "Bob")
    if got != "":
        return f"contact_email for an unknown student = {got!r}, expected ''"
    return None


CHECKS = [
    ("mean-floor-division", check_mean_fraction),
    ("grade-branch-order", check_letter_order),
    ("unknown-student-none", check_unknown_student),
]


def main():
    if len(sys.argv) != 2:
        print("usage: python3 test.py <candidate.py>")
        return 2
    try:
        mod = load(sys.argv[1])
    except (Exception, SystemExit) as exc:
        for name, _ in CHECKS:
            print(f"FAIL {name}: could not import candidate: {type(exc).__name__}: {exc}")
        return 1
    failed = 0
    for name, check in CHECKS:
        try:
            problem = check(mod)
        except (Exception, SystemExit) as exc:
            problem = f"raised {type(exc).__name__}: {exc}"
        if problem:
            failed += 1
            print(f"FAIL {name}: {problem}")
        else:
            print(f"ok {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
