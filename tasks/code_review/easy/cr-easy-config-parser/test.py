"""Checks for cr-easy-config-parser: python3 test.py <candidate.py>. One check per issue."""
import importlib.util
import sys

sys.dont_write_bytecode = True


def load(path):
    spec = importlib.util.spec_from_file_location("candidate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SAMPLE = """
# service settings
host = example.internal
port = 9000

# query string with an '=' inside
greeting = a=b
"""


def check_comment_filter(mod):
    got = mod.parse_config(SAMPLE)
    want = {"host": "example.internal", "port": "9000", "greeting": "a=b"}
    if got != want:
        return f"parse_config(sample) = {got!r}, expected {want!r}"
    if mod.parse_config("# only = a comment\n\n") != {}:
        return "comment lines must be ignored"
    return None


def check_default_used(mod):
    config = {"host": "h"}
    if mod.get_setting(config, "host", "x") != "h":
        return "get_setting should return a present value"
    got = mod.get_setting(config, "timeout", "30")
    if got != "30":
        return f"get_setting for an absent key = {got!r}, expected the default '30'"
    got = mod.get_setting(config, "timeout")
    if got is not None:
        return f"get_setting without default for an absent key = {got!r}, expected None"
    return None


def check_port_int(mod):
    got = mod.server_port({"port": "9000"})
    if got != 9000 or not isinstance(got, int):
        return f"server_port({{'port': '9000'}}) = {got!r}, expected int 9000"
    got = mod.server_port({})
    if got != 8080:
        return f"server_port({{}}) = {got!r}, expected 8080"
    try:
        mod.server_port({"port": "70000"})
    except ValueError:
        return None
    return "server_port should raise ValueError for port 70000"


CHECKS = [
    ("comment-filter-inverted", check_comment_filter),
    ("default-ignored-keyerror", check_default_used),
    ("port-str-compared-to-int", check_port_int),
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
