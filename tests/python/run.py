"""Run the Python-shell tests (tests/python/test_*.py): models.py, client.py and
server/app.py against the real server binary.

    python3 tests/python/run.py            # REVIEWGYM_BIN, REVIEWGYM_TASKS optional

The models need pydantic 2. Debian 12's python3-pydantic is 1.10, so when this
interpreter lacks pydantic 2 the runner re-runs itself with the first of
$REVIEWGYM_PYTHON, python3 on PATH, /usr/local/bin/python3, /usr/bin/python3,
~/.pyenv/versions/*/bin/python3 that has it; with none, the model tests are skipped (reported) and the launcher tests still run.
Prints a closing "python: N passed, N failed, N skipped" line; exit 1 on any failure.
"""
import glob
import os
import shutil
import subprocess
import sys
import unittest
import warnings

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)


def has_pydantic2(python):
    code = "import pydantic, sys; sys.exit(0 if pydantic.VERSION.startswith('2.') else 1)"
    try:
        return subprocess.run([python, "-c", code], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def pick_interpreter():
    if os.environ.get("RG_PYTHON_SHELL_REEXEC") or has_pydantic2(sys.executable):
        return None
    pyenv = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/*/bin/python3")))
    for cand in [os.environ.get("REVIEWGYM_PYTHON"), shutil.which("python3"),
                 "/usr/local/bin/python3", "/usr/bin/python3"] + pyenv[::-1]:
        if cand and os.path.realpath(cand) != os.path.realpath(sys.executable) \
                and os.access(cand, os.X_OK) and has_pydantic2(cand):
            return cand
    return None


other = pick_interpreter()
if other:
    print("python: %s has no pydantic 2; running with %s" % (sys.executable, other), flush=True)
    env = dict(os.environ, RG_PYTHON_SHELL_REEXEC="1")
    os.execve(other, [other, os.path.abspath(__file__)] + sys.argv[1:], env)

import shell_common  # noqa: E402,F401  (sets REVIEWGYM_BIN/TASKS defaults)

warnings.simplefilter("ignore", ResourceWarning)
print("python: interpreter %s, server %s" % (sys.executable, os.environ["REVIEWGYM_BIN"]),
      flush=True)
suite = unittest.TestLoader().discover(here, pattern="test_*.py", top_level_dir=here)
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors)
skipped = len(result.skipped)
passed = result.testsRun - failed - skipped
for test, reason in result.skipped:
    print("skipped %s: %s" % (test, reason))
print("python: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed or result.testsRun == 0 else 0)
