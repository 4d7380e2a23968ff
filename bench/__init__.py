"""`make bench`: how fast the loaders are, against the limits of this machine.

Run with `python -m bench` (see `bench/__main__.py`); results go to `bench/RESULTS.md`.
"""
