"""URL slugs for blog posts."""
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(title, max_length=80):
    """A lowercase ASCII slug for `title`.

    "Crème Brûlée, 2nd try" -> "creme-brulee-2nd-try".
    Case is folded (ß -> ss), accents are removed, other non-ASCII characters dropped;
    apostrophes vanish ("Don't" -> "dont"); every other run of spaces, punctuation,
    underscores or dashes becomes a single dash, never at either end. The slug is at
    most `max_length` characters, and a title with nothing usable gives "untitled".
    """
    if not isinstance(title, str):
        raise TypeError("title must be a string")
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    text = unicodedata.normalize("NFKD", title.casefold())
    text = text.encode("ascii", "ignore").decode("ascii")
    text = text.replace("'", "")
    slug = _NON_ALNUM.sub("-", text).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "untitled"
