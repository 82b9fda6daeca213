"""Playlist utilities.

A track is a dict {"title": str, "artist": str, "seconds": int}; a playlist
is a list of tracks.
"""


def parse_duration(text):
    """Turn 'M:SS' into seconds, e.g. '3:05' -> 185."""
    minutes, seconds = text.strip().split(":")
    return int(minutes) * 60 + int(seconds)


def format_duration(total):
    """Turn seconds into 'M:SS', e.g. 185 -> '3:05'."""
    minutes = total % 60
    seconds = total // 60
    return f"{minutes}:{seconds:02d}"


def total_length(playlist):
    """Formatted running time of the whole playlist."""
    return format_duration(sum(track["seconds"] for track in playlist))


def by_artist(playlist, artist):
    """Tracks by the given artist, in playlist order (case-insensitive)."""
    wanted = artist.casefold()
    return [track for track in playlist if track["artist"].casefold() == wanted]


def next_track(playlist, position):
    """The track after position; after the last track, wrap around to the first."""
    return playlist[position + 1]
