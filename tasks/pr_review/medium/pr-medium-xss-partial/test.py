"""Checks for pr-medium-xss-partial. Usage: python3 test.py <candidate.py>

The rendered card is parsed with html.parser: for every display name the markup must
have exactly the expected tags and attributes, and the browser-visible title attribute
and heading text must equal the name itself.
"""
import importlib.util
import sys
from html.parser import HTMLParser


class CardParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.open, self.heading = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag != "img":
            self.open.append(tag)

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        if self.open and self.open[-1] == "h3":
            self.heading.append(data)


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_card", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check(mod, name):
    html = mod.render_card({"id": 42, "display_name": name})
    p = CardParser()
    p.feed(html)
    p.close()
    tags = [t for t, _ in p.tags]
    assert tags == ["div", "img", "h3"], f"name {name!r} changed the markup: tags {tags} in {html!r}"
    div = p.tags[0][1]
    keys = sorted(k for k, _ in div)
    assert keys == ["class", "data-user-id", "title"], f"name {name!r} added attributes {keys} in {html!r}"
    title = dict(div)["title"]
    assert title == name, f"title attribute is {title!r}, expected {name!r}"
    text = "".join(p.heading)
    assert text == name, f"heading text is {text!r}, expected {name!r}"


def main():
    mod = load(sys.argv[1])
    for name in ["Ada Lovelace", "Tom & Jerry", "Zoë", "<script>alert(1)</script>",
                 '" onmouseover="alert(1)', "O'Neil \"Ace\"", "' autofocus onfocus='x"]:
        check(mod, name)
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
