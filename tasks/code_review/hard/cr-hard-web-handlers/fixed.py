import hmac
import html
import os
import json
import sqlite3
import subprocess

UPLOAD_DIR = os.path.abspath("uploads")
API_TOKEN = os.environ.get("API_TOKEN", "")


def open_db(path=":memory:"):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def find_user(conn, username):
    query = "SELECT id, username, email FROM users WHERE username = ?"
    row = conn.execute(query, (username,)).fetchone()
    return dict(row) if row else None


def render_profile(user):
    title = html.escape(user.get("title", "Profile"))
    name = html.escape(user["display_name"])
    bio = html.escape(user.get("bio", ""))
    return f"<h1>{title}</h1><h2>{name}</h2><p class='bio'>{bio}</p>"


def read_upload(filename):
    base = os.path.realpath(UPLOAD_DIR)
    path = os.path.realpath(os.path.join(base, filename))
    if os.path.commonpath([base, path]) != base:
        raise PermissionError("path escapes the upload directory")
    with open(path, "rb") as fh:
        return fh.read()


def ping_host(host):
    cmd = ["ping", "-c", "1", "-W", "2", "--", host]
    result = subprocess.run(cmd, capture_output=True, text=True)
    return result.returncode == 0


def load_session(cookie_value):
    data = bytes.fromhex(cookie_value)
    session = json.loads(data)
    if not isinstance(session, dict):
        raise ValueError("bad session")
    return session


def is_authorized(headers):
    token = headers.get("Authorization", "")
    return bool(API_TOKEN) and hmac.compare_digest(token, "Bearer " + API_TOKEN)


def handle_request(conn, request):
    if not is_authorized(request["headers"]):
        return 401, "unauthorized"
    session = load_session(request["cookies"]["session"])
    user = find_user(conn, session.get("username", ""))
    if user is None:
        return 404, "no such user"
    user.setdefault("display_name", user["username"])
    return 200, render_profile(user)
