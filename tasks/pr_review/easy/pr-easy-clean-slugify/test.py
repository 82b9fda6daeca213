"""Checks for pr-easy-clean-slugify. Usage: python3 test.py <candidate.py>"""
import importlib.util
import sys


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_slugs", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


CASES = [
    ("Hello, World!", "hello-world"),
    ("Crème Brûlée, 2nd try", "creme-brulee-2nd-try"),
    ("  leading and trailing  ", "leading-and-trailing"),
    ("tabs\tand\nnewlines", "tabs-and-newlines"),
    ("a -- b __ c", "a-b-c"),
    ("---dashes---", "dashes"),
    ("Don't Panic", "dont-panic"),
    ("Straße", "strasse"),
    ("ＦＵＬＬ width", "full-width"),
    ("日本語 notes", "notes"),
    ("C++ & Python 3.12", "c-python-3-12"),
    ("", "untitled"),
    ("   ", "untitled"),
    ("!!!", "untitled"),
    ("東京", "untitled"),
]


def main():
    mod = load(sys.argv[1])
    for title, want in CASES:
        got = mod.slugify(title)
        assert got == want, f"slugify({title!r}) = {got!r}, expected {want!r}"
    got = mod.slugify("one two three", max_length=8)
    assert got == "one-two", f"truncation must not leave a trailing dash, got {got!r}"
    got = mod.slugify("abcdefghij", max_length=4)
    assert got == "abcd", f"max_length=4 gave {got!r}"
    long_slug = mod.slugify("word " * 40)
    assert len(long_slug) <= 80 and not long_slug.endswith("-"), f"default max_length broken: {long_slug!r}"
    for bad in (None, 42, b"bytes"):
        try:
            mod.slugify(bad)
        except TypeError:
            pass
        else:
            raise AssertionError(f"slugify({bad!r}) must raise TypeError")
    try:
        mod.slugify("x", max_length=0)
    except ValueError:
        pass
    else:
        raise AssertionError("max_length=0 must raise ValueError")
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
