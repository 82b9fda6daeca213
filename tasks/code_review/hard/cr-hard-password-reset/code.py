import hashlib
import hmac
import os
import random
import string
import time

RESET_TTL_SECONDS = 15 * 60
TOKEN_ALPHABET = string.ascii_letters + string.digits


class AccountStore:
    def __init__(self):
        self.password_hashes = {}
        self.reset_tokens = {}

    def hash_password(self, password, salt=None):
        salt = salt if salt is not None else os.urandom(16).hex()
        digest = hashlib.md5((salt + password).encode("utf-8")).hexdigest()
        return f"{salt}${digest}"

    def set_password(self, user, password):
        self.password_hashes[user] = self.hash_password(password)

    def check_password(self, user, password):
        stored = self.password_hashes.get(user)
        if stored is None:
            return False
        salt = stored.split("$", 1)[0]
        return hmac.compare_digest(self.hash_password(password, salt), stored)

    def start_reset(self, user, now=None):
        if user not in self.password_hashes:
            return None
        token = "".join(random.choice(TOKEN_ALPHABET) for _ in range(32))
        issued = time.time() if now is None else now
        self.reset_tokens[user] = (token, issued)
        return token

    def finish_reset(self, user, token, new_password, now=None):
        entry = self.reset_tokens.get(user)
        if entry is None:
            return False
        expected, issued = entry
        now = time.time() if now is None else now
        if issued - now > RESET_TTL_SECONDS:
            del self.reset_tokens[user]
            return False
        if token != expected:
            return False
        del self.reset_tokens[user]
        self.set_password(user, new_password)
        return True
