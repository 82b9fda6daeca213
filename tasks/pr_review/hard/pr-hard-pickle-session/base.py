"""Session storage for the web app."""
import secrets

_SESSIONS = {}


def save_session(data):
    """Store `data` and return the value to put in the session cookie."""
    sid = secrets.token_urlsafe(32)
    _SESSIONS[sid] = dict(data)
    return sid


def load_session(cookie):
    """The session for a cookie value, or None if there is none."""
    if not cookie:
        return None
    session = _SESSIONS.get(cookie)
    return dict(session) if session is not None else None
