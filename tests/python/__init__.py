"""Tests of the Python shell (models.py, client.py, server/app.py): run them with
`python3 tests/python/run.py`, which picks an interpreter that has pydantic 2."""
