"""Calendar helpers for the booking page."""

from datetime import date, timedelta


def parse_iso(text):
    """Parse 'YYYY-MM-DD' into a date."""
    year, month, day = (int(part) for part in text.strip().split("-"))
    return date(year, month, day)


def date_range(start, end):
    """Every date from start to end, both inclusive, in order."""
    days = []
    for offset in range((end - start).days):
        days.append(start + timedelta(days=offset))
    return days


def is_weekend(day):
    """True for Saturday and Sunday."""
    return day.weekday() > 5


def working_days(start, end):
    """Number of weekdays between start and end, both inclusive."""
    return sum(1 for day in date_range(start, end) if not is_weekend(day))


def describe_stay(start, end):
    """Human readable summary, e.g. '2024-03-01 to 2024-03-04 (3 nights)'."""
    nights = (end - start).days
    return start.isoformat() + " to " + end.isoformat() + " (" + nights + " nights)"
