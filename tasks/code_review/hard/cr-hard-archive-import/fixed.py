import os
import re
import shutil
import threading
import zipfile

ARCHIVE_NAME = re.compile(r"^[A-Za-z0-9]+(?:[ ._-][A-Za-z0-9]+)*\.zip$")
MAX_MEMBERS = 1000
MAX_TOTAL_BYTES = 200 * 1024 * 1024


def valid_archive_name(name):
    return bool(ARCHIVE_NAME.match(name))


class ImportLimiter:
    def __init__(self, max_active=2):
        self._lock = threading.Lock()
        self.max_active = max_active
        self.active = {}

    def begin(self, user):
        with self._lock:
            count = self.active.get(user, 0)
            if count >= self.max_active:
                return False
            self.active[user] = count + 1
        return True

    def end(self, user):
        with self._lock:
            self.active[user] = max(0, self.active.get(user, 0) - 1)


def extract_archive(zip_path, dest):
    written = []
    with zipfile.ZipFile(zip_path) as zf:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_TOTAL_BYTES:
            raise ValueError("archive too large")
        for info in members:
            if info.is_dir():
                continue
            base = os.path.realpath(dest)
            target = os.path.realpath(os.path.join(base, info.filename))
            if os.path.commonpath([base, target]) != base:
                raise ValueError(f"archive member escapes destination: {info.filename!r}")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            written.append(target)
    return written


def import_archive(limiter, user_id, zip_path, upload_root):
    name = os.path.basename(zip_path)
    if not valid_archive_name(name):
        raise ValueError("bad archive name")
    if not limiter.begin(user_id):
        raise RuntimeError("too many concurrent imports")
    try:
        return extract_archive(zip_path, os.path.join(upload_root, str(int(user_id))))
    finally:
        limiter.end(user_id)
