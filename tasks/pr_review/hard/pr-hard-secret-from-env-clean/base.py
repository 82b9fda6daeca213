"""Outgoing mail settings for the notification service."""
import smtplib

SMTP_HOST = "smtp.mail.internal"
SMTP_PORT = 587
SMTP_USER = "notifier"
SMTP_PASSWORD = "Notif!er-2023-smtp-pw"


def smtp_settings():
    """Connection settings for the outgoing mail relay."""
    return {"host": SMTP_HOST, "port": SMTP_PORT, "user": SMTP_USER, "password": SMTP_PASSWORD}


def open_connection(settings=None):
    """A logged-in SMTP connection to the relay (STARTTLS)."""
    s = settings or smtp_settings()
    conn = smtplib.SMTP(s["host"], s["port"], timeout=10)
    conn.starttls()
    conn.login(s["user"], s["password"])
    return conn
