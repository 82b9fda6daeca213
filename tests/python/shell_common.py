"""Shared set-up of the Python-shell tests (tests/python): paths, the integration
harness's Server (the real `reviewgym serve` on 127.0.0.1, port 0), and whether this
interpreter has pydantic 2 (the models need it; Debian 12's python3-pydantic is 1.x)."""
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
for p in (REPO, os.path.join(REPO, "tests", "integration"), HERE):
    if p not in sys.path:
        sys.path.insert(0, p)


def _default_bin():
    for rel in ("build/release/reviewgym", "build/reviewgym"):
        path = os.path.join(REPO, rel)
        if os.access(path, os.X_OK):
            return path
    return os.path.join(REPO, "build/reviewgym")


os.environ.setdefault("REVIEWGYM_BIN", _default_bin())
os.environ.setdefault("REVIEWGYM_TASKS", os.path.join(REPO, "tasks"))

# harness.py imports `websockets` for its own WS client, which these tests do not use
# (they speak WebSocket through wsclient.py). An interpreter without it gets an empty
# placeholder so that harness.Server can still be imported.
try:
    import websockets  # noqa: F401
except ImportError:
    sys.modules["websockets"] = types.ModuleType("websockets")

import harness  # noqa: E402

Server = harness.Server
load_task = harness.load_task
oracle_action = harness.oracle_action


def pydantic2():
    """None when pydantic >= 2 is importable, else the reason it is not."""
    try:
        import pydantic
    except ImportError:
        return ("pydantic is not installed for %s; run `python3 tests/python/run.py`, "
                "which picks an interpreter that has pydantic 2" % sys.executable)
    if not pydantic.VERSION.startswith("2."):
        return ("pydantic %s is not 2.x (%s); run `python3 tests/python/run.py`"
                % (pydantic.VERSION, sys.executable))
    return None
