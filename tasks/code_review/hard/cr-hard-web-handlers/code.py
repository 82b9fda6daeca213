import hmac
import html
import os
import pickle
import sqlite3
import subprocess

UPLOAD_DIR = os.path.abspath("uploads")
API_TOKEN = "sk_live_51Hq8ZtR2vXw9LmN4pQ7"


def open_db(path=":memory:"):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def find_user(conn, username):
    query = f"SELECT id, username, email FROM users WHERE username = '{username}'"
    row = conn.execute(query).fetchone()
    return dict(row) if row else None


def render_profile(user):
    title = html.escape(user.get("title", "Profile"))
    name = user["display_name"]
    bio = user.get("bio", "")
    return f"<h1>{title}</h1><h2>{name}</h2><p class='bio'>{bio}</p>"


def read_upload(filename):
    path = os.path.join(UPLOAD_DIR, filename)
    with open(path, "rb") as fh:
        return fh.read()


def ping_host(host):
    cmd = "ping -c 1 -W 2 " + host
    result = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    return result.returncode == 0


def load_session(cookie_value):
    data = bytes.fromhex(cookie_value)
    session = pickle.loads(data)
    if not isinstance(session, dict):
        raise ValueError("bad session")
    return session


def is_authorized(headers):
    token = headers.get("Authorization", "")
    return hmac.compare_digest(token, "Bearer " + API_TOKEN)


def handle_request(conn, request):
    if not is_authorized(request["headers"]):
        return 401, "unauthorized"
    session = load_session(request["cookies"]["session"])
    user = find_user(conn, session.get("username", ""))
    if user is None:
        return 404, "no such user"
    user.setdefault("display_name", user["username"])
    return 200, render_profile(user)
