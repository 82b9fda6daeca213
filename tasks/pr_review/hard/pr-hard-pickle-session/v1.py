"""Session storage for the web app.

Sessions travel in the cookie itself, so any worker can serve any request
without a shared session table (no more sticky sessions on the balancer).
"""
import base64
import pickle


def save_session(data):
    """Serialise `data` into the value to put in the session cookie."""
    return base64.urlsafe_b64encode(pickle.dumps(dict(data))).decode("ascii")


def load_session(cookie):
    """The session for a cookie value, or None if there is none."""
    if not cookie:
        return None
    return pickle.loads(base64.urlsafe_b64decode(cookie.encode("ascii")))
