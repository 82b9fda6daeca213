"""Product review statistics for the catalogue pages."""

STARS = (1, 2, 3, 4, 5)


def validate_rating(value):
    """A star rating as an int from 1 to 5; anything else raises ValueError."""
    rating = int(value)
    if rating not in STARS:
        raise ValueError(f"rating must be 1-5, got {value!r}")
    return rating


def star_histogram(ratings):
    """How many reviews gave each star value, e.g. {1: 0, 2: 1, ..., 5: 3}."""
    counts = {star: 0 for star in STARS}
    for rating in ratings:
        counts[validate_rating(rating)] += 1
    return counts


def average_rating(ratings):
    """Mean star rating, rounded to one decimal place, e.g. [5, 4, 4] -> 4.3.

    A product with no reviews has no average yet: an empty list gives None,
    which the product page shows as "No reviews yet".
    """
    ratings = [validate_rating(r) for r in ratings]
    if not ratings:
        return None
    total = sum(ratings)
    return round(total / len(ratings), 1)
