"""Paging helpers shared by the list endpoints."""

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def clamp_page_size(page_size):
    """A requested page size forced into 1..MAX_PAGE_SIZE (None = the default)."""
    if page_size is None:
        return DEFAULT_PAGE_SIZE
    return max(1, min(int(page_size), MAX_PAGE_SIZE))


def page_count(total, page_size):
    """How many pages `total` items fill; an empty listing still has one page."""
    page_size = clamp_page_size(page_size)
    return max(1, -(-total // page_size))


def paginate(items, page, page_size):
    """The items shown on `page`, as a new list.

    Pages are 1-based, as in the UI: page 1 is the first page. A page past the
    end is an empty list; a page number below 1 raises ValueError.
    """
    if page < 1:
        raise ValueError(f"page must be 1 or more, got {page}")
    page_size = clamp_page_size(page_size)
    start = page * page_size
    return list(items[start:start + page_size])
