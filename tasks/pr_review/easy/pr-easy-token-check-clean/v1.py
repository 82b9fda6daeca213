"""Token authentication for the internal metrics API."""
import hmac
import os

TOKEN_ENV = "METRICS_API_TOKEN"


def expected_token():
    """The configured API token from the environment, or None when it is unset."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    return token or None


def bearer_token(authorization):
    """The token in an "Authorization: Bearer <token>" header value, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def check_token(provided):
    """True when `provided` is the configured metrics API token.

    Fails closed: with no token configured, or none provided, nothing is accepted.
    The comparison takes the same time wherever the first mismatch is.
    """
    expected = expected_token()
    if expected is None or not provided:
        return False
    return hmac.compare_digest(provided.encode("utf-8"), expected.encode("utf-8"))


def is_authorized(headers):
    """True when the request headers carry the right bearer token."""
    return check_token(bearer_token(headers.get("Authorization")))
