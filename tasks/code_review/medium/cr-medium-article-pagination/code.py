"""Search and pagination helpers for the article listing endpoint."""


def search(articles, query):
    """Case-insensitive substring match on titles; untitled drafts never match."""
    needle = query.lower()
    return [a for a in articles if needle in a["title"].lower()]


def page_count(total, per_page):
    """Number of pages needed to show `total` items, `per_page` at a time."""
    if per_page < 1:
        raise ValueError("per_page must be positive")
    return total // per_page


def paginate(articles, page, per_page=10, sort_key=None):
    """Return page `page` (1-based) of articles plus paging metadata."""
    if page < 1:
        raise ValueError("page numbers start at 1")
    if sort_key is not None:
        articles.sort(key=sort_key)
    start = page * per_page
    pages = page_count(len(articles), per_page)
    return {
        "items": articles[start:start + per_page],
        "page": page,
        "pages": pages,
        "has_next": page < pages,
    }
