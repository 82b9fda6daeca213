"""Token authentication for the internal metrics API."""

API_TOKEN = "mtr-4b1f9e07c2d84a6b"


def bearer_token(authorization):
    """The token in an "Authorization: Bearer <token>" header value, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def check_token(provided):
    """True when `provided` is the metrics API token."""
    return provided == API_TOKEN


def is_authorized(headers):
    """True when the request headers carry the right bearer token."""
    return check_token(bearer_token(headers.get("Authorization")))
