"""Outgoing mail settings for the notification service."""
import os
import smtplib

SMTP_HOST = "smtp.mail.internal"
SMTP_PORT = 587
SMTP_USER = "notifier"
PASSWORD_ENV_VAR = "SMTP_PASSWORD"


class ConfigError(RuntimeError):
    """Raised when a required setting is missing from the environment."""


def smtp_password():
    """The relay password, from the SMTP_PASSWORD environment variable."""
    password = os.environ.get(PASSWORD_ENV_VAR)
    if not password:
        raise ConfigError(
            f"{PASSWORD_ENV_VAR} is not set: export the notifier's SMTP password "
            "(it is in the ops vault) before starting the notification service")
    return password


def smtp_settings():
    """Connection settings for the outgoing mail relay."""
    return {"host": SMTP_HOST, "port": SMTP_PORT, "user": SMTP_USER, "password": smtp_password()}


def open_connection(settings=None):
    """A logged-in SMTP connection to the relay (STARTTLS)."""
    s = settings or smtp_settings()
    conn = smtplib.SMTP(s["host"], s["port"], timeout=10)
    conn.starttls()
    conn.login(s["user"], s["password"])
    return conn
