"""Helpers for temperature sensor readings (degrees Celsius)."""


def to_fahrenheit(celsius):
    """Convert one reading from Celsius to Fahrenheit."""
    fahrenheit = celsius * 9 / 5 + 32


def count_above(readings, limit):
    """How many readings are strictly above the limit."""
    count = 0
    for value in readings:
        if reading > limit:
            count += 1
    return count


def sorted_readings(readings):
    """A new list with the readings in ascending order; the input is left as is."""
    readings.sort()
    return readings


def median(readings):
    """Median reading; the mean of the two middle values for an even count."""
    ordered = sorted_readings(readings)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def largest_jump(readings):
    """Largest absolute change between two consecutive readings (0.0 if fewer than two)."""
    biggest = 0.0
    for previous, current in zip(readings, readings[1:]):
        biggest = max(biggest, abs(current - previous))
    return biggest
