"""Checks for cr-easy-playlist: python3 test.py <candidate.py>. One check per issue."""
import importlib.util
import sys

sys.dont_write_bytecode = True


def load(path):
    spec = importlib.util.spec_from_file_location("candidate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_format(mod):
    for total, want in ((185, "3:05"), (60, "1:00"), (59, "0:59"), (0, "0:00"), (3600, "60:00")):
        got = mod.format_duration(total)
        if got != want:
            return f"format_duration({total}) = {got!r}, expected {want!r}"
    return None


def check_wrap(mod):
    playlist = [{"title": t, "artist": "x", "seconds": 1} for t in ("a", "b", "c")]
    if mod.next_track(playlist, 0)["title"] != "b":
        return "next_track(playlist, 0) should be the second track"
    got = mod.next_track(playlist, 2)
    if got["title"] != "a":
        return f"next_track after the last track = {got!r}, expected the first track"
    return None


CHECKS = [
    ("format-operators-swapped", check_format),
    ("next-track-no-wrap", check_wrap),
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
