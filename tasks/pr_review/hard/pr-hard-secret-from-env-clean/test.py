"""Checks for pr-hard-secret-from-env-clean. Usage: python3 test.py <candidate.py>

No network: smtplib.SMTP is replaced by a fake that records the login. The password
must come from SMTP_PASSWORD, a missing variable must fail with an error naming it,
and the old password literal must be gone from the module.
"""
import importlib.util
import os
import smtplib
import sys

OLD_PASSWORD = "Notif!er-2023-smtp-pw"
LOGINS = []


class FakeSMTP:
    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def starttls(self):
        pass

    def login(self, user, password):
        LOGINS.append((self.host, self.port, user, password))


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_mail_config", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    path = sys.argv[1]
    smtplib.SMTP = FakeSMTP
    os.environ["SMTP_PASSWORD"] = "from-env-test-only-8e1f"
    mod = load(path)
    mod.open_connection()
    assert LOGINS == [("smtp.mail.internal", 587, "notifier", "from-env-test-only-8e1f")], \
        f"logins {LOGINS!r}"
    os.environ["SMTP_PASSWORD"] = "rotated-again-2b7a"
    assert mod.smtp_settings()["password"] == "rotated-again-2b7a", "password not read from the environment"

    del os.environ["SMTP_PASSWORD"]
    try:
        settings = mod.smtp_settings()
    except Exception as exc:
        assert "SMTP_PASSWORD" in str(exc), f"the error does not name SMTP_PASSWORD: {exc}"
    else:
        raise AssertionError(f"no error without SMTP_PASSWORD; password={settings['password']!r}")

    assert OLD_PASSWORD not in open(path).read(), "the old password literal is still in the module"
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
