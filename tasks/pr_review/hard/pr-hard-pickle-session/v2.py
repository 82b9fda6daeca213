"""Session storage for the web app.

Sessions travel in the cookie itself, so any worker can serve any request
without a shared session table (no more sticky sessions on the balancer).
"""
import base64
import binascii
import pickle


def save_session(data):
    """Serialise `data` into the value to put in the session cookie."""
    return base64.urlsafe_b64encode(pickle.dumps(dict(data))).decode("ascii")


def load_session(cookie):
    """The session for a cookie value, or None if there is none."""
    if not cookie:
        return None
    try:
        session = pickle.loads(base64.urlsafe_b64decode(cookie.encode("ascii")))
    except (binascii.Error, ValueError, EOFError, pickle.UnpicklingError):
        # A corrupt or tampered cookie just starts a fresh session.
        return None
    return session if isinstance(session, dict) else None
